/**
 * The village field chief (zz.village) verifies a 图斑 offline on a phone, in Chinese, in a real
 * Chromium (issue 20): a 390 × 844 page of the field app on the demo region, the tasks loaded
 * and one package downloaded online; then no network — the form filled in, two photos taken
 * with the app's camera input (generated JPEGs, stamped by the app with the emulated GPS fix
 * at the 图斑), saved to the queue; back online the queue syncs by itself, and the server's
 * record holds the verification with both photos, their hashes intact (flagged as late only:
 * the demo's tasks are overdue) — seen on the county officer's 图斑 page in the office app.
 * The rest of the app's offline behaviour (reload without network, replays, tampered photos,
 * patrols) is test/field/field-pwa.test.ts on a fixture region; this is the demo walk a chief
 * makes. Screenshots of each step: test-artifacts/field-offline-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/load.ts';
import type { Running } from '../../src/server/start.ts';
import { chromiumPath, CHROMIUM_FLAGS } from '../support/chromium.ts';
import { demoCookie, startDemoServer } from '../support/demo-server.ts';
import { codesIn } from '../support/visible-codes.ts';
import { sha256 } from '../field/fixtures.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const FIELD_ROOT = fileURLToPath(new URL('../../field/', import.meta.url));

/** The downloaded task packages as the app stored them (read in the page). */
const READ_PACKAGES = `new Promise((resolve, reject) => {
  const r = indexedDB.open('gengbao-field', 1);
  r.onerror = () => reject(r.error);
  r.onsuccess = () => { const q = r.result.transaction('packages').objectStore('packages').getAll(); q.onsuccess = () => resolve(q.result); };
})`;

interface Pkg {
  polygon: {
    id: number;
    code: string;
    geometry: { type: string; coordinates: number[][][] | number[][][][] };
  };
}

/**
 * A camera-sized JPEG of a field with a grey shed on it; `seed` shifts the shed and the
 * grain, so each shot has its own bytes and hash.
 */
function fieldPhoto(seed: number, width = 640, height = 480): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const grain = ((x * 7 + y * 13 + seed * 31) % 17) - 8;
      const sky = y < height * 0.35;
      const shed =
        !sky &&
        y < height * 0.7 &&
        x > width * (0.3 + seed * 0.05) &&
        x < width * (0.55 + seed * 0.05);
      const [r, g, b] = sky ? [150, 190, 235] : shed ? [150, 152, 158] : [92, 128, 58];
      data[i] = r + grain;
      data[i + 1] = g + grain;
      data[i + 2] = b + grain;
      data[i + 3] = 255;
    }
  return Buffer.from(jpeg.encode({ data, width, height }, 85).data);
}

/** The mean of an outline's corners: where the chief stands. */
function middleOf(g: Pkg['polygon']['geometry']): { longitude: number; latitude: number } {
  const ring = (
    g.type === 'MultiPolygon'
      ? (g.coordinates as number[][][][])[0][0]
      : (g.coordinates as number[][][])[0]
  ).slice(0, -1);
  return {
    longitude: ring.reduce((s, p) => s + p[0], 0) / ring.length,
    latitude: ring.reduce((s, p) => s + p[1], 0) / ring.length,
  };
}

describe('a village chief verifies a 图斑 offline on a phone, and it syncs', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-field-walk-'));
  let server: Running;
  let base: string;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  let task: Pkg['polygon'];
  const shots = [fieldPhoto(1), fieldPhoto(2)];
  const leaks: string[] = [];
  const pageErrors: string[] = [];

  async function step(name: string, p: Page = page) {
    await p.waitForTimeout(300);
    await p.screenshot({ path: `${ARTIFACTS}field-offline-${name}.png`, fullPage: true });
    for (const c of codesIn(await p.locator('body').innerText())) leaks.push(`${name}: ${c}`);
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { build } = await import('vite');
    await build({
      root: FIELD_ROOT,
      configFile: join(FIELD_ROOT, 'vite.config.ts'),
      logLevel: 'warn',
    });
    ({ server, base } = await startDemoServer(dataDir));
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
    phone = await browser.newContext({
      baseURL: base,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['geolocation'],
      geolocation: { longitude: 112.85, latitude: 35.5, accuracy: 30 },
    });
    page = await phone.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs the chief in online, lists the tasks and downloads one package', async () => {
    await page.goto('/field/');
    await page.locator('#username').fill('zz.village');
    await page.locator('#password').fill(DEMO_PASSWORD);
    await step('01-login');
    await page.locator('#login').click();
    const first = page.locator('#tasks li').first();
    await first.waitFor();
    expect(await page.locator('#net').innerText()).toContain('在线');
    await step('02-tasks');
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await expect.poll(() => page.evaluate('!!navigator.serviceWorker.controller')).toBe(true);
    const code = await first.getAttribute('data-task');
    await first.locator('button.download').click();
    // The first package renders the first imagery chips (the tiler prepares each scene once):
    // a few seconds, more than a poll's default 5 s when the task lies under the demo imagery.
    await expect
      .poll(() => first.locator('button.download').innerText(), { timeout: 30_000 })
      .toBe('已下载');
    const pkgs = (await page.evaluate(READ_PACKAGES)) as Pkg[];
    task = pkgs.find((p) => p.polygon.code === code)!.polygon;
    expect(task, 'the downloaded package').toBeDefined();
    await step('03-downloaded');
  });

  it('verifies it with no network: the form, two photos stamped with the GPS fix, saved to the queue', async () => {
    await phone.setOffline(true);
    await expect.poll(() => page.locator('#net').innerText()).toContain('离线');
    const li = page.locator(`li[data-task="${task.code}"]`);
    await step('04-offline');
    await li.locator('button.verify').click();
    await page.locator('#verify-form').waitFor();
    await page
      .locator('textarea[name=description]')
      .fill('现场核查：耕地上新建彩钢棚一处，约 200 平方米，正在施工');
    await page.locator('select[name=onGround]').selectOption('在建建筑');
    await page.locator('input[name=builder]').fill('王某某');
    await step('05-form');
    // the chief stands at the 图斑; the app stamps each photo with the fix it has then
    const at = middleOf(task.geometry);
    await phone.setGeolocation({ ...at, accuracy: 6 });
    expect(await page.locator('#photo').getAttribute('capture')).toBe('environment');
    for (const [i, buffer] of shots.entries()) {
      await page.locator('#photo').setInputFiles({
        name: `IMG_2026112${i}_1030.jpg`,
        mimeType: 'image/jpeg',
        buffer,
      });
      await expect.poll(() => page.locator('#photos li').count()).toBe(i + 1);
    }
    const photos = await page.locator('#photos').innerText();
    expect(photos).toContain('定位精度 ±6 米');
    expect(photos).toContain(sha256(shots[0]).slice(0, 12));
    expect(await page.locator('#form-error').innerText()).toBe('');
    await step('06-photos');
    await page.locator('#save').click();
    await li.waitFor();
    await expect.poll(() => li.locator('button.verify').innerText()).toBe('待同步');
    expect(await page.locator('#pending').innerText()).toContain('1');
    await page.locator(`#queue li[data-state=queued]`).waitFor();
    expect(await page.locator('#queue').innerText()).toContain(`${task.code} · 待同步`);
    await step('07-queued');
  });

  it('syncs by itself back online; the server’s record holds the verification with both photos', async () => {
    await phone.setOffline(false);
    await page.locator(`#queue li[data-state=sent]`).waitFor({ timeout: 30_000 });
    expect(await page.locator('#net').innerText()).toContain('在线');
    expect(await page.locator('#queue').innerText()).toContain(`${task.code} · 已同步`);
    // The demo's tasks are past their deadline (已超期): the server marks each photo as taken
    // outside the task window, and the app says so in words. Nothing else is flagged.
    await expect.poll(() => page.locator('#queue .flag').count()).toBe(shots.length);
    expect(await page.locator('#queue .flag').allInnerTexts()).toEqual(
      shots.map((_, i) => `⚠ 第 ${i + 1} 张照片拍摄时间不在任务期内`),
    );
    await step('08-synced');

    // The server's record: verified, one submission, both photos stored whole.
    const cookie = await demoCookie(base, 'zz.officer');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, checked where used
    const get = async (path: string): Promise<any> =>
      (await fetch(`${base}${path}`, { headers: { cookie } })).json();
    const polygon = await get(`/api/polygons/${task.id}`);
    expect(polygon.status).toBe('verified');
    const verify = polygon.events.filter(
      (e: { payload: { action?: string } }) => e.payload.action === 'verify',
    );
    expect(verify).toHaveLength(1);
    expect(verify[0].payload.input.description).toContain('新建彩钢棚');
    const evidence = await get(`/api/field/polygons/${task.id}/evidence`);
    expect(evidence.submissions).toHaveLength(1);
    expect(
      evidence.flags.map((f: { kind: string; photo: number }) => `${f.photo}:${f.kind}`),
    ).toEqual(shots.map((_, i) => `${i}:outside_window`));
    const stored = evidence.submissions[0].photos.map(
      (p: { sha256: string; claimedSha256: string }) => {
        expect(p.sha256).toBe(p.claimedSha256);
        return p.sha256;
      },
    );
    expect(stored.sort()).toEqual(shots.map(sha256).sort());

    // …and the county officer reads it on the 图斑 page of the office app.
    const office = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
    });
    office.on('pageerror', (e) => pageErrors.push(e.message));
    await office
      .context()
      .addCookies([
        { name: cookie.split('=')[0], value: cookie.split('=').slice(1).join('='), url: base },
      ]);
    await office.goto(`${base}/polygons/${task.id}`);
    await office.getByTestId('polygon-page').waitFor();
    await office.getByTestId('polygon-status').filter({ hasText: '已核查' }).waitFor();
    const entry = office.getByTestId('timeline').locator('li[data-action=verify]');
    await entry.waitFor();
    const said = await entry.innerText();
    expect(said).toContain('村级田长');
    expect(said).toContain('现场照片：2 张照片');
    expect(said).toContain('新建彩钢棚');
    await entry.scrollIntoViewIfNeeded();
    await step('09-office-record', office);
    await office.close();
    expect(leaks).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
