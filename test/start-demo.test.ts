import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_YEAR_POLYGONS } from '../src/demo/oversight-year.ts';
import { buildDemoRegion } from '../src/demo/region.ts';
import { gengbao } from './support/gengbao-process.ts';

describe('gengbao start on a fresh data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('survives being killed during the first demo load, then serves the complete demo region, scoped', async () => {
    // 1. kill -9 in the middle of the demo transaction
    const first = gengbao(['demo'], { GENGBAO_DATA_DIR: dir });
    await first.waitFor('storing the demo region in one transaction');
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.output()).not.toMatch(/demo region stored/);

    // 2. start again: the demo loads whole; with its published passwords and no HOST given,
    //    it answers on this machine only, and says so
    const server = gengbao(['start'], { GENGBAO_DATA_DIR: dir, PORT: '0', HOST: '' });
    const url = (await server.waitFor(/serving http:\/\/localhost:\d+/)).replace('serving ', '');
    try {
      expect(server.output()).toMatch(/listening on 127\.0\.0\.1/);
      expect(server.output()).toMatch(/演示账号（12 个，含 admin）仍使用公开的演示密码/);
      const health = await (await fetch(`${url}/api/health`)).json();
      expect(health).toMatchObject({ status: 'ok', database: { kind: 'pglite', reachable: true } });

      const expected = buildDemoRegion();
      const login = async (username: string) => {
        const res = await fetch(`${url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: 'gengbao-demo' }),
        });
        expect(res.status).toBe(200);
        return res.headers.get('set-cookie')!.split(';')[0];
      };
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies checked by the assertions
      const get = async (path: string, cookie: string): Promise<any> =>
        (await fetch(`${url}${path}`, { headers: { cookie } })).json();

      const province = await login('sx.monitor');
      const counties = await get('/api/jurisdictions?level=county', province);
      expect(counties.items.map((c: { code: string }) => c.code).sort()).toEqual([
        '140502',
        '140521',
        '140522',
        '140524',
        '140525',
        '140581',
      ]);
      // Jurisdictions come a page at a time (at most 1,000): follow the cursor.
      let units = 0;
      for (let page = await get('/api/jurisdictions?limit=1000', province); ;) {
        units += page.count;
        if (!page.nextCursor) break;
        page = await get(
          `/api/jurisdictions?limit=1000&cursor=${encodeURIComponent(page.nextCursor)}`,
          province,
        );
      }
      expect(units).toBe(expected.jurisdictions.length);
      const layers = await get('/api/layers', province);
      expect(
        layers.items.reduce((n: number, l: { featureCount: number }) => n + l.featureCount, 0),
      ).toBe(expected.layers.length);
      const polygons = await get('/api/polygons?limit=10000', province);
      // The region's 图斑 and the demo oversight year's 2025 round (src/demo/oversight-year.ts).
      expect(polygons.count).toBe(expected.polygons.length + DEMO_YEAR_POLYGONS);

      const village = await login('zz.village');
      const me = await get('/api/me', village);
      const own = me.user.jurisdictionCode;
      expect(own).toMatch(/^140525\d{6}$/);
      const vj = await get('/api/jurisdictions', village);
      expect(vj.items.map((j: { code: string }) => j.code)).toEqual([own]);
      const vp = await get('/api/polygons?limit=10000&bbox=110,34,115,37', village);
      expect(vp.items.every((p: { jurisdictionCode: string }) => p.jurisdictionCode === own)).toBe(
        true,
      );
      expect(vp.count).toBe(expected.polygons.filter((p) => p.jurisdictionCode === own).length);
      const vf = await get('/api/layers/features?bbox=110,34,115,37&limit=2000', village);
      expect(vf.features.length).toBeGreaterThan(0);
      expect(
        vf.features.every(
          (f: { properties: { jurisdictionCode: string } }) =>
            f.properties.jurisdictionCode === own,
        ),
      ).toBe(true);

      // The demo record's field photos exist: a verified 图斑's photo link opens a real image
      // whose bytes hash to the SHA-256 the record cites.
      let photo: { sha256: string } | undefined;
      for (const p of vp.items as { id: number }[]) {
        const detail = await get(`/api/polygons/${p.id}`, village);
        photo = detail.events
          .flatMap((e: { payload: { input?: { photos?: { sha256: string }[] } } }) =>
            Array.isArray(e.payload.input?.photos) ? e.payload.input.photos : [],
          )
          .at(0);
        if (photo) break;
      }
      expect(photo).toBeDefined();
      const image = await fetch(`${url}/api/field/evidence/${photo!.sha256}`, {
        headers: { cookie: village },
      });
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toMatch(/^image\/(png|jpeg)/);
      const bytes = Buffer.from(await image.arrayBuffer());
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(photo!.sha256);

      const page = await (await fetch(url)).text();
      expect(page).toMatch(/耕保/);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: shutting down gracefully/);
  }, 240_000);

  it('refuses a corrupt data directory with a clear message and a non-zero exit', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'gengbao-bad-'));
    mkdirSync(join(bad, 'pg'));
    writeFileSync(join(bad, 'pg', 'PG_VERSION'), 'garbage\n');
    writeFileSync(join(bad, 'pg', 'postgresql.conf'), '\x00\x01 not a config');
    const p = gengbao(['migrate'], { GENGBAO_DATA_DIR: bad });
    expect(await p.exited).toBe(3);
    expect(p.output()).toMatch(/damaged or not a Gengbao data directory/);
    rmSync(bad, { recursive: true, force: true });
  }, 120_000);
});
