import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gengbao } from '../support/gengbao-process.ts';

/**
 * Finding: a fresh install created `admin` and every demo account with the published password
 * and listened on all interfaces. Now the demo answers on 127.0.0.1 unless HOST says otherwise
 * (test/start-demo.test.ts checks that), and `gengbao init` makes a real installation: one
 * administrator with a generated password, no demo, served on every interface.
 */
describe('a real installation with gengbao init', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-init-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { GENGBAO_DATA_DIR: dir, PORT: '0', HOST: '' };

  it('creates one administrator with a generated password, no demo account, and serves the network', async () => {
    const init = gengbao(['init', '--jurisdiction', '140525', '--name', '泽州县'], env);
    expect(await init.exited).toBe(0);
    const password = /shown once\): (\S+)/.exec(init.output())?.[1];
    expect(password).toMatch(/^.{16}$/);

    const again = gengbao(['init', '--jurisdiction', '140525', '--name', '泽州县'], env);
    expect(await again.exited).not.toBe(0);
    expect(again.output()).toMatch(/已初始化/);

    const server = gengbao(['start'], env);
    const url = (await server.waitFor(/serving http:\/\/localhost:\d+/)).replace('serving ', '');
    try {
      expect(server.output()).toMatch(/listening on 0\.0\.0\.0/);
      expect(server.output()).not.toMatch(/demo region loaded/);
      const login = (username: string, pw: string) =>
        fetch(`${url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: pw }),
        });
      expect((await login('admin', 'gengbao-demo')).status).toBe(401);
      expect((await login('zz.officer', 'gengbao-demo')).status).toBe(401);
      const ok = await login('admin', password!);
      expect(ok.status).toBe(200);
      const cookie = ok.headers.get('set-cookie')!.split(';')[0];
      const units = (await (
        await fetch(`${url}/api/jurisdictions`, { headers: { cookie } })
      ).json()) as { items: { code: string; name: string }[] };
      expect(units.items.map((j) => [j.code, j.name])).toEqual([['140525', '泽州县']]);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
  }, 240_000);

  it('refuses a weak password given on stdin', async () => {
    const other = mkdtempSync(join(tmpdir(), 'gengbao-init-weak-'));
    const p = gengbao(
      ['init', '--jurisdiction', '140525', '--name', '泽州县', '--password-stdin'],
      { ...env, GENGBAO_DATA_DIR: other },
      '12345678\n',
    );
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/密码不符合要求/);
    rmSync(other, { recursive: true, force: true });
  }, 120_000);
});
