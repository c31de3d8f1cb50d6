import { loadEnv } from '../../src/config/env.ts';
import { DEMO_PASSWORD } from '../../src/demo/load.ts';
import { startServer, type Running } from '../../src/server/start.ts';
import { buildWeb } from '../../web/scripts/build.ts';

/**
 * `gengbao start` in-process on `dataDir` (the demo loads into an empty one) with the office app
 * freshly built, on a free port of 127.0.0.1: what the browser tests drive.
 */
export async function startDemoServer(dataDir: string): Promise<{ server: Running; base: string }> {
  await buildWeb({ log: () => undefined });
  const server = await startServer(
    loadEnv({ GENGBAO_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', GENGBAO_LOG_LEVEL: 'warn' }),
    () => undefined,
  );
  return { server, base: server.url.replace('localhost', '127.0.0.1') };
}

/** The session cookie of a demo account, for the API calls a test makes around the browser. */
export async function demoCookie(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0];
}
