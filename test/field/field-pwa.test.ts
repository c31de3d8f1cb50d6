/**
 * The field app in a real browser: Debian's Chromium (playwright-core) with geolocation and
 * offline emulation against a real Gengbao server on PGlite. A village chief downloads task
 * packages, goes offline, verifies three 图斑 with camera photos, reloads the app with no
 * network, comes back online and syncs; the server then holds each submission once, with its
 * originals, valid hashes where nothing was touched and flags where something was.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPolygons } from '../../src/store/polygons.ts';
import { Scope } from '../../src/store/scope.ts';
import { testBackends } from '../../src/store/testing.ts';
import {
  seedFixtureRegion,
  square,
  testServer,
  type TestServer,
} from '../../src/server/testing.ts';
import { sha256, testPng } from './fixtures.ts';
import { chromiumPath, CHROMIUM_FLAGS } from '../support/chromium.ts';

const FIELD_ROOT = fileURLToPath(new URL('../../field/', import.meta.url));
const DATA_DIR = mkdtempSync(join(tmpdir(), 'gengbao-field-pwa-'));
process.env.GENGBAO_DATA_DIR = DATA_DIR;

/** The sync queue as the app stored it in IndexedDB (read in the page; this tsconfig has no DOM types). */
const READ_QUEUE = `new Promise((resolve, reject) => {
  const r = indexedDB.open('gengbao-field', 1);
  r.onerror = () => reject(r.error);
  r.onsuccess = () => { const q = r.result.transaction('queue').objectStore('queue').getAll(); q.onsuccess = () => resolve(q.result); };
})`;
const PUT_QUEUE = (item: unknown) => `new Promise((resolve, reject) => {
  const r = indexedDB.open('gengbao-field', 1);
  r.onerror = () => reject(r.error);
  r.onsuccess = () => { const tx = r.result.transaction('queue', 'readwrite'); tx.objectStore('queue').put(${JSON.stringify(item)}); tx.oncomplete = () => resolve(true); };
})`;

interface QueueItem {
  id: string;
  code: string;
  state: string;
  submission: { id: string; polygonId: number; photos: { data: string; sha256: string }[] };
}

// Centres of the three 图斑 and a point 5 km east of the second (1° lon ≈ 91.2 km at 35° N).
const AT: Record<'F-1' | 'F-2' | 'F-3', [number, number]> = {
  'F-1': [112.0305, 35.0305],
  'F-2': [112.0505, 35.0505],
  'F-3': [112.0705, 35.0705],
};
const FAR: [number, number] = [112.0505 + 0.0548, 35.0505];

describe('the field app offline and back', () => {
  const backend = testBackends()[0];
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let base = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let county = '';
  const ids: Record<string, number> = {};
  let requests = 0;
  let seed = 1;

  beforeAll(async () => {
    const { build } = await import('vite');
    await build({
      root: FIELD_ROOT,
      configFile: join(FIELD_ROOT, 'vite.config.ts'),
      logLevel: 'warn',
    });
    const executablePath = chromiumPath();
    db = await backend.open();
    await seedFixtureRegion(db);
    await insertPolygons(
      db,
      Scope.system(),
      Object.entries(AT).map(([code, [x, y]]) => ({
        code,
        source: 'detection' as const,
        period: '2026-11',
        jurisdictionCode: '140525100200',
        geometry: square(x - 0.0005, y - 0.0005, 0.001),
      })),
    );
    s = await testServer(db);
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = s.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    // Requests the app makes. Not the browser's own check for a new service-worker script
    // (GET sw.js), which Chromium makes outside the page's network emulation, offline too.
    s.app.server.on('request', (req) => {
      if (!req.url?.endsWith('/sw.js')) requests++;
    });
    const province = await s.login('province');
    county = await s.login('zezhou');
    const list = (
      await s.app.inject({ method: 'GET', url: '/api/polygons', headers: { cookie: province } })
    ).json().items as { id: number; code: string }[];
    for (const p of list) ids[p.code] = p.id;
    for (const code of Object.keys(AT)) {
      const r = await s.app.inject({
        method: 'POST',
        url: `/api/polygons/${ids[code]}/transitions`,
        headers: { cookie: province },
        payload: {
          action: 'analyse',
          input: {
            version: 1,
            totalMu: 1.4,
            layerMu: { farmland: 1.4 },
            preJudgment: {
              approval: 'unapproved',
              onFarmland: true,
              onPermanentBasicFarmland: false,
            },
          },
        },
      });
      expect(r.statusCode).toBe(200);
    }
    const pushed = await s.app.inject({
      method: 'POST',
      url: '/api/dispatch',
      headers: { cookie: province },
      payload: { period: '2026-11', ids: Object.keys(AT).map((c) => ids[c]) },
    });
    expect(pushed.json().pushed).toHaveLength(3);

    browser = await chromium.launch({
      executablePath,
      args: CHROMIUM_FLAGS,
    });
    context = await browser.newContext({
      baseURL: base,
      geolocation: { longitude: AT['F-1'][0], latitude: AT['F-1'][1], accuracy: 6 },
      permissions: ['geolocation'],
      locale: 'zh-CN',
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  const queue = async () => (await page.evaluate(READ_QUEUE)) as QueueItem[];

  /** Fills the form of one 图斑 and takes photos, each at the position given. */
  async function verify(code: keyof typeof AT, shots: [number, number][]) {
    await page.locator(`li[data-task="${code}"] button.verify`).click();
    await page.locator('textarea[name=description]').fill(`${code}：耕地上新建彩钢棚一处`);
    await page.locator('select[name=onGround]').selectOption('在建建筑');
    await page.locator('input[name=builder]').fill('李四');
    expect(await page.locator('#photo').getAttribute('capture')).toBe('environment');
    for (const [i, [lon, lat]] of shots.entries()) {
      await context.setGeolocation({ longitude: lon, latitude: lat, accuracy: 6 });
      await page.locator('#photo').setInputFiles({
        name: `IMG_${code}_${i}.png`,
        mimeType: 'image/png',
        buffer: testPng(seed++, 24),
      });
      await expect.poll(() => page.locator('#photos li').count()).toBe(i + 1);
    }
    await page.locator('#save').click();
    await page.locator(`li[data-task="${code}"]`).waitFor();
  }

  it('logs in, lists my tasks with deadlines on the map, and downloads their packages', async () => {
    await page.goto('/field/');
    await page.locator('#username').fill('village');
    await page.locator('#password').fill('fixture-password');
    await page.locator('#login').click();
    for (const code of Object.keys(AT)) await page.locator(`li[data-task="${code}"]`).waitFor();
    expect(await page.locator('li[data-task="F-1"] .due').textContent()).toMatch(
      /截止 \d{4}-\d{2}-\d{2}/,
    );
    expect(await page.locator('svg.map path').count()).toBeGreaterThanOrEqual(3);
    // Chinese only until the chief switches: the inbox button too (issue 20)
    await expect.poll(() => page.locator('#inbox-open').textContent()).toMatch(/^消息/);
    expect(await page.locator('#inbox-open').textContent()).not.toContain('Inbox');
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    for (const code of Object.keys(AT)) {
      await page.locator(`li[data-task="${code}"] button.download`).click();
      await expect
        .poll(() => page.locator(`li[data-task="${code}"] button.download`).textContent())
        .toContain('已下载');
    }
    await expect.poll(() => page.evaluate('!!navigator.serviceWorker.controller')).toBe(true);
  });

  it('verifies three 图斑 offline, survives a reload with no network, then syncs each once', async () => {
    await context.setOffline(true);
    const before = requests;
    await expect.poll(() => page.locator('#net').textContent()).toContain('离线');
    await verify('F-1', [AT['F-1'], [AT['F-1'][0] + 0.0002, AT['F-1'][1]]]);
    await verify('F-2', [AT['F-2'], FAR]);
    await verify('F-3', [AT['F-3'], AT['F-3']]);
    let items = await queue();
    expect(items.map((q) => `${q.code}:${q.state}`).sort()).toEqual([
      'F-1:queued',
      'F-2:queued',
      'F-3:queued',
    ]);

    // Someone swaps a queued photo of F-3 for another picture; the hash taken at capture stays.
    const f3 = items.find((q) => q.code === 'F-3')!;
    f3.submission.photos[0].data = testPng(999, 24).toString('base64');
    await page.evaluate(PUT_QUEUE(f3));

    await page.reload();
    await page.locator('li[data-task="F-1"]').waitFor();
    expect(await page.locator('#net').textContent()).toContain('离线');
    expect(await page.locator('#pending').textContent()).toContain('3');
    expect(await page.locator('#queue li[data-state=queued]').count()).toBe(3);
    expect(requests - before).toBe(0); // nothing reached the server while offline, the reload included

    await context.setOffline(false);
    await expect
      .poll(async () => (await queue()).map((q) => q.state).join(','), { timeout: 20_000 })
      .toBe('sent,sent,sent');
    items = await queue();
    expect(await page.locator('#queue .flag').count()).toBeGreaterThanOrEqual(2);

    const evidence = async (code: string) =>
      (
        await s.app.inject({
          method: 'GET',
          url: `/api/field/polygons/${ids[code]}/evidence`,
          headers: { cookie: county },
        })
      ).json();
    for (const code of ['F-1', 'F-2']) {
      const ev = await evidence(code);
      expect(ev.submissions).toHaveLength(1);
      for (const ph of ev.submissions[0].photos) {
        expect(ph.sha256).toBe(ph.claimedSha256);
        expect(sha256(readFileSync(join(DATA_DIR, 'evidence', ph.sha256)))).toBe(ph.sha256);
      }
    }
    expect((await evidence('F-1')).flags).toEqual([]);
    const far = (await evidence('F-2')).flags;
    expect(far.map((f: { kind: string; photo: number }) => `${f.photo}:${f.kind}`)).toEqual([
      '1:too_far',
    ]);
    expect(far[0].detail.distanceM).toBeGreaterThan(4900);
    const tampered = (await evidence('F-3')).flags;
    expect(tampered.map((f: { kind: string; photo: number }) => `${f.photo}:${f.kind}`)).toEqual([
      '0:hash_mismatch',
    ]);
    expect(tampered[0].detail.actual).toBe(sha256(testPng(999, 24)));
    for (const code of Object.keys(AT)) {
      const state = await s.app.inject({
        method: 'GET',
        url: `/api/polygons/${ids[code]}/actions`,
        headers: { cookie: county },
      });
      expect(state.json().state.status).toBe('verified');
    }
  });

  it('stores a replayed submission once', async () => {
    const f1 = (await queue()).find((q) => q.code === 'F-1')!;
    // The answer was lost: the app still thinks it is queued and sends it again.
    await page.evaluate(PUT_QUEUE({ ...f1, state: 'queued' }));
    await page.locator('#sync').click();
    await expect
      .poll(async () => (await queue()).find((q) => q.code === 'F-1')!.state)
      .toBe('sent');
    const replay = (await page.evaluate(
      `fetch('/api/field/submissions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(${JSON.stringify(f1.submission)}) }).then((r) => r.json())`,
    )) as { replayed: boolean; state: { status: string } };
    expect(replay).toMatchObject({ replayed: true, state: { status: 'verified' } });
    const rows = await db.query<{ id: string; n: number }>(
      `SELECT polygon_id AS id, count(*)::int AS n FROM field_submissions GROUP BY polygon_id ORDER BY polygon_id`,
    );
    expect(rows.map((r) => r.n)).toEqual([1, 1, 1]);
    const verifies = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE type = 'polygon.verify'`,
    );
    expect(verifies[0].n).toBe(3);
  });
  it('records a patrol offline — track, a building spotted with a photo, the end — and syncs it once', async () => {
    await context.setOffline(true);
    const before = requests;
    await page.locator('#start-patrol').click();
    const walk: [number, number][] = [
      [112.02, 35.02],
      [112.021, 35.02],
      [112.022, 35.0205],
    ];
    for (const [i, [lon, lat]] of walk.entries()) {
      await context.setGeolocation({ longitude: lon, latitude: lat, accuracy: 5 });
      await expect
        .poll(() => page.locator('#patrol-status').textContent())
        .toMatch(new RegExp(`· ${i + 1} 点`));
    }
    await page.locator('#report').click();
    await page.locator('#finding-form textarea[name=description]').fill('田间新建砖墙一处');
    await page.locator('#photo').setInputFiles({
      name: 'IMG_patrol.png',
      mimeType: 'image/png',
      buffer: testPng(seed++, 24),
    });
    await expect.poll(() => page.locator('#photos li').count()).toBe(1);
    await page.locator('#save-finding').click();
    await expect.poll(() => page.locator('#patrol-status').textContent()).toContain('1 处发现');
    await page.locator('#end-patrol').click();
    await page.locator('#patrols li[data-state=queued]').waitFor();
    expect(requests - before).toBe(0);

    await context.setOffline(false);
    await page.locator('#patrols li[data-state=sent]').waitFor({ timeout: 20_000 });
    const rows = await db.query<{ points: number; ended: boolean; length_m: number }>(
      `SELECT jsonb_array_length(track) AS points, ended_at IS NOT NULL AS ended, length_m FROM patrols`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ points: 3, ended: true });
    expect(rows[0].length_m).toBeGreaterThan(150);
    const found = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM polygons WHERE source = 'patrol'`,
    );
    expect(found[0].n).toBe(1);
    const stats = await s.app.inject({
      method: 'GET',
      url: '/api/patrols/stats?weeks=4',
      headers: { cookie: county },
    });
    expect(
      stats.json().chiefs.find((c: { username: string }) => c.username === 'village'),
    ).toMatchObject({ weeksWithPatrol: 1 });
  });
});
