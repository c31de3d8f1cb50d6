import { beforeAll, describe, expect, it } from 'vitest';
import { servedFixture } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Finding: a NUL byte in a string gave 500 on four routes (one public), because PostgreSQL
 * refuses it in text. Now NUL, unpaired surrogates, bad JSON, bad UTF-8 and over-long input
 * are refused with 400 and a clear body before any route runs.
 */
describe.each(testBackends())('malformed input on $name', (backend) => {
  const fx = servedFixture(backend);
  let cookie: string;

  beforeAll(async () => {
    cookie = await fx.s.login('admin');
  });

  const send = (method: 'GET' | 'POST', url: string, body?: string | Buffer, auth = true) =>
    fx.s.app.inject({
      method,
      url,
      body,
      headers: {
        ...(auth ? { cookie } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
    });

  const expect400 = (
    r: { statusCode: number; json(): { error: { code: string; message: string } } },
    message: RegExp,
  ) => {
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('bad_input');
    expect(r.json().error.message).toMatch(message);
  };

  const NUL = 'a\u0000b';
  const bodies: [string, string, object, boolean][] = [
    ['POST', '/api/public/tips', { lon: 112.05, lat: 35.05, description: NUL }, false],
    ['POST', '/api/auth/login', { username: NUL, password: 'x' }, false],
    [
      'POST',
      '/api/users',
      {
        username: 'nul.user',
        displayName: NUL,
        password: 'long-enough-pw',
        role: 'village_chief',
        jurisdictionCode: '140525100200',
      },
      true,
    ],
    ['POST', '/api/polygons/1/actions', { action: 'note', input: { text: NUL } }, true],
    ['POST', '/api/tips/1/triage', { outcome: 'reject', reason: NUL }, true],
    ['POST', '/api/jobs', { type: NUL, payload: {} }, true],
  ];

  it.each(bodies)(
    '%s %s with a NUL in a JSON string is a 400 naming the field',
    async (method, url, body, auth) => {
      const r = await send(method as 'POST', url, JSON.stringify(body), auth);
      expect400(r, /NUL/);
    },
  );

  it('a NUL in the path or the query is a 400', async () => {
    expect400(await send('GET', '/api/public/tips/ABC%00DEF', undefined, false), /NUL/);
    expect400(await send('GET', '/api/polygons?period=2026-11%00'), /NUL/);
    expect400(await send('GET', '/api/search?q=%00'), /NUL/);
  });

  it('an unpaired surrogate is a 400 (jsonb would refuse it)', async () => {
    const r = await send(
      'POST',
      '/api/public/tips',
      '{"lon":112.05,"lat":35.05,"description":"x\\ud800y"}',
      false,
    );
    expect400(r, /surrogate/);
  });

  it('bad JSON, an empty JSON body and bad UTF-8 are 400s', async () => {
    expect400(await send('POST', '/api/public/tips', '{"lon":112.05,', false), /JSON/);
    expect400(await send('POST', '/api/auth/login', '', false), /JSON|empty/);
    const bad = Buffer.concat([
      Buffer.from('{"username":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","password":"x"}'),
    ]);
    expect400(await send('POST', '/api/auth/login', bad, false), /UTF-8/);
  });

  it('over-long strings and bodies are refused, not stored', async () => {
    expect400(
      await send(
        'POST',
        '/api/auth/login',
        JSON.stringify({ username: 'x'.repeat(100_000), password: 'x' }),
        false,
      ),
      /username/,
    );
    const huge = JSON.stringify({ type: 'x', payload: { blob: 'x'.repeat(2 * 1024 * 1024) } });
    const r = await send('POST', '/api/jobs', huge);
    expect(r.statusCode).toBe(413);
    expect(r.json().error.message).toMatch(/too large/i);
  });

  it('prototype-poisoning keys are refused', async () => {
    const r = await send(
      'POST',
      '/api/auth/login',
      '{"username":"a","password":"b","__proto__":{"admin":true}}',
      false,
    );
    expect(r.statusCode).toBe(400);
  });
});
