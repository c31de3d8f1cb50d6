/**
 * The office web app in a real browser: Debian's Chromium driven by playwright-core against a
 * real Gengbao server (in-process, demo region in a temporary data directory). One server and
 * one browser for the whole file: the demo load is the expensive part.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.ts';
import { DEMO_PASSWORD } from '../../src/demo/load.ts';
import { startServer, type Running } from '../../src/server/start.ts';
import { buildWeb } from '../../web/scripts/build.ts';
import { chromiumPath, CHROMIUM_FLAGS } from '../support/chromium.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

/** What the tests read of the app's map (exposed as window.__gengbaoMap; this tsconfig has no DOM types). */
interface MapWindow {
  __gengbaoMap?: {
    loaded(): boolean;
    areTilesLoaded(): boolean;
    isMoving(): boolean;
    getZoom(): number;
    getCenter(): { lng: number; lat: number };
    getLayoutProperty(layer: string, name: string): unknown;
    queryRenderedFeatures(opts: { layers: string[] }): { properties: Record<string, unknown> }[];
  };
}

/** The dashboard's ECharts instances (window.__gengbaoCharts), as far as the tests use them. */
interface ChartWindow {
  __gengbaoCharts?: Record<
    string,
    {
      getModel(): {
        getSeriesByIndex(i: number): {
          getData(): {
            getItemLayout(i: number): { x: number; y: number; width: number; height: number };
          };
        };
      };
    }
  >;
}

interface ApiPolygon {
  id: number;
  code: string;
  jurisdictionCode: string;
  areaMu: number;
  areaM2: number;
  bbox: [number, number, number, number];
}

describe('the office web app in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-browser-'));
  let server: Running;
  let browser: Browser;
  let page: Page;
  let base: string;
  let target: ApiPolygon;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  /** Logs in over HTTP and returns a JSON caller bound to that session. */
  async function caller(username: string) {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, checked where used
    return async (method: string, path: string, body?: unknown): Promise<any> => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await r.json();
      if (r.status >= 400)
        throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };
  }

  /** Takes one 图斑 through the lifecycle up to "verified" by the API, as the city and the field would. */
  async function walkToVerified(p: ApiPolygon & { status: string }) {
    const city = await caller('jc.reviewer');
    const county = await caller('zz.officer');
    const act = async (who: typeof city, action: string, input: Record<string, unknown>) => {
      const { state } = await who('GET', `/api/polygons/${p.id}/actions`);
      return who('POST', `/api/polygons/${p.id}/transitions`, {
        action,
        input: { version: state.version, ...input },
      });
    };
    const steps = ['found', 'analysed', 'pushed', 'verified'];
    const from = steps.indexOf(p.status);
    if (from < 1)
      await act(city, 'analyse', {
        totalMu: p.areaMu,
        layerMu: { farmland: p.areaMu },
        preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
      });
    if (from < 2) await act(city, 'push', { unitCode: p.jurisdictionCode, assigneeIds: [] });
    if (from < 3)
      await act(county, 'verify', {
        photos: [],
        description: '现场核查：新建硬化地面',
        visitedAt: new Date().toISOString(),
      });
  }

  /**
   * `select` evaluated on the queue table's rows of every page (the list shows 50 a page),
   * walking the pager forward from the first page.
   */
  const onEveryPage = async <T>(select: (p: Page) => Promise<T[]>): Promise<T[]> => {
    const out = await select(page);
    for (;;) {
      const next = page.getByTestId('pager-next');
      if (!(await next.count()) || (await next.isDisabled())) return out;
      const first = await page
        .locator('[data-testid=queue-table] tbody tr')
        .first()
        .getAttribute('data-polygon');
      await next.click();
      await expect
        .poll(() =>
          page.locator('[data-testid=queue-table] tbody tr').first().getAttribute('data-polygon'),
        )
        .not.toBe(first);
      out.push(...(await select(page)));
    }
  };

  /** Resolves when the main map has loaded its style and every visible tile. */
  const mapIdle = () =>
    page.waitForFunction(
      () => {
        const m = (globalThis as unknown as MapWindow).__gengbaoMap;
        return !!m && m.loaded() && m.areTilesLoaded() && !m.isMoving();
      },
      null,
      { timeout: 60_000, polling: 250 },
    );

  beforeAll(async () => {
    const executablePath = chromiumPath();
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildWeb({ log: () => undefined });
    server = await startServer(
      loadEnv({
        GENGBAO_DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        GENGBAO_LOG_LEVEL: 'warn',
      }),
      () => undefined,
    );
    base = server.url.replace('localhost', '127.0.0.1');

    // A 图斑 under the demo imagery, so its page shows the before/after compare.
    const county = await caller('zz.officer');
    const imagery = (await county('GET', '/api/imagery')).items;
    expect(imagery.length).toBe(2);
    // (the demo walks its cases into every state: take one that has not reached a verdict yet)
    const early = (p: { status: string }) =>
      ['found', 'analysed', 'pushed', 'verified'].includes(p.status);
    const b = imagery[0].bbox;
    const inImage: (ApiPolygon & { status: string })[] = (
      await county('GET', `/api/polygons?bbox=${b.join(',')}&limit=1000`)
    ).items;
    const inside = (p: ApiPolygon) =>
      p.bbox[0] > b[0] && p.bbox[2] < b[2] && p.bbox[1] > b[1] && p.bbox[3] < b[3];
    // (a verified one first: walking a 图斑 to "verified" by the API needs real site photos)
    const chosen =
      inImage.find((p) => p.status === 'verified' && inside(p)) ??
      inImage.find((p) => early(p) && inside(p)) ??
      (await county('GET', '/api/polygons?limit=1000')).items.find(early);
    expect(chosen, 'a demo 图斑 of 泽州县 before its verdict').toBeDefined();
    await walkToVerified(chosen);
    target = chosen;

    browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in as a county officer and shows the county map with its 图斑', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.fill('input[name=username]', 'zz.officer');
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.getByText('泽州县执法员').waitFor();
    await mapIdle();
    const rendered = await page.evaluate(() => {
      const fs = (globalThis as unknown as MapWindow).__gengbaoMap!.queryRenderedFeatures({
        layers: ['polygons-dot', 'polygons-fill'],
      });
      return {
        n: new Set(fs.map((f) => f.properties.id)).size,
        statuses: [...new Set(fs.map((f) => f.properties.status))],
        codes: fs.map((f) => String(f.properties.code)),
      };
    });
    // The demo county has ~170 图斑 spread over it; the whole county is in view.
    expect(rendered.n).toBeGreaterThan(100);
    expect(rendered.statuses).toContain('found');
    expect(rendered.codes.every((c) => c.startsWith('140525'))).toBe(true);
    const boundaries = await page.evaluate(
      () =>
        (globalThis as unknown as MapWindow).__gengbaoMap!.queryRenderedFeatures({
          layers: ['county-line'],
        }).length,
    );
    expect(boundaries).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}map-zz-officer.png` });
  });

  it('switches layers off and on from the layer switcher', async () => {
    await page.click('input[data-layer=polygons]');
    await mapIdle();
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as MapWindow).__gengbaoMap!.getLayoutProperty(
          'polygons-dot',
          'visibility',
        ),
      ),
    ).toBe('none');
    await page.click('input[data-layer=polygons]');
    await mapIdle();
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as MapWindow).__gengbaoMap!.queryRenderedFeatures({
            layers: ['polygons-dot'],
          }).length,
      ),
    ).toBeGreaterThan(0);
    // before/after swipe: a second map over the first, clipped at the divider
    await page.click('input[data-layer=compare]');
    await page.getByTestId('swipe-bar').waitFor();
    expect(await page.locator('.map-page canvas.maplibregl-canvas').count()).toBe(2);
    await page.click('input[data-layer=compare]');
    await page.getByTestId('swipe-bar').waitFor({ state: 'detached' });
  });

  it('filters 图斑 by an uploaded area (GeoJSON) and lists those inside', async () => {
    const [w, s, e, n] = target.bbox;
    const pad = 0.002;
    const area = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [w - pad, s - pad],
            [e + pad, s - pad],
            [e + pad, n + pad],
            [w - pad, n + pad],
            [w - pad, s - pad],
          ],
        ],
      },
    };
    const file = join(dataDir, 'area.geojson');
    writeFileSync(file, JSON.stringify(area));
    await page.setInputFiles('.area-tools input[type=file]', file);
    await page.locator('.area-list').getByRole('link', { name: target.code }).waitFor();
    const heading = await page.locator('.area-list h4').textContent();
    const inArea = Number(heading!.split(':').pop());
    expect(inArea).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.area-list li').count()).toBe(Math.min(inArea, 50));
    await mapIdle();
    await page.screenshot({ path: `${ARTIFACTS}map-area-filter.png` });
    await page.getByRole('button', { name: '清除范围' }).click();
    await page.locator('.area-list').waitFor({ state: 'detached' });
    // drawn on the map: three clicks and a double click close the ring
    await page.getByTestId('draw-area').click();
    const box = (await page.locator('.map-page canvas.maplibregl-canvas').boundingBox())!;
    const at = (fx: number, fy: number) =>
      [box.x + box.width * fx, box.y + box.height * fy] as const;
    await page.mouse.click(...at(0.3, 0.2));
    await page.mouse.click(...at(0.9, 0.2));
    await page.mouse.click(...at(0.9, 0.9));
    await page.mouse.dblclick(...at(0.3, 0.9));
    await page.locator('.area-list h4').waitFor();
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as MapWindow).__gengbaoMap!.queryRenderedFeatures({
            layers: ['area-filter-line'],
          }).length,
      ),
    ).toBeGreaterThan(0);
    await page.getByRole('button', { name: '清除范围' }).click();
    await page.locator('.area-list').waitFor({ state: 'detached' });
  });

  it('finds a place by name and moves the map onto it', async () => {
    const county = await caller('zz.officer');
    const hit = (await county('GET', `/api/search?q=${encodeURIComponent('南村镇')}`)).items.find(
      (h: { kind: string }) => h.kind === 'jurisdiction',
    );
    const [w, s, e, n] = hit.bbox as number[];
    await page.fill('[data-testid=search]', '南村镇');
    await page.getByRole('button', { name: /南村镇/ }).click();
    await mapIdle();
    const c = await page.evaluate(() =>
      (globalThis as unknown as MapWindow).__gengbaoMap!.getCenter(),
    );
    expect(c.lng).toBeGreaterThan(w);
    expect(c.lng).toBeLessThan(e);
    expect(c.lat).toBeGreaterThan(s);
    expect(c.lat).toBeLessThan(n);
    expect(
      await page.evaluate(() => (globalThis as unknown as MapWindow).__gengbaoMap!.getZoom()),
    ).toBeLessThan(14);
    await page.fill('[data-testid=search]', '');
  });

  it('finds a 图斑 by its code and opens its page with figures, imagery and the record', async () => {
    await page.fill('[data-testid=search]', target.code);
    await page.getByRole('button', { name: new RegExp(target.code) }).click();
    await page.getByTestId('polygon-page').waitFor();
    expect(await page.getByTestId('polygon-code').textContent()).toBe(target.code);
    expect(await page.getByTestId('polygon-status').textContent()).toBe('已核查');
    // 亩 with two decimals; m² with one, grouped the Chinese way
    expect(await page.getByTestId('area-mu').textContent()).toBe(Number(target.areaMu).toFixed(2));
    expect(await page.getByTestId('area-m2').textContent()).toBe(
      new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
        target.areaM2,
      ),
    );
    // the record: found → analysed → pushed → verified, oldest first
    await page.getByTestId('timeline').locator('li').nth(3).waitFor();
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline.indexOf('发现')).toBeGreaterThanOrEqual(0);
    expect(timeline.indexOf('发现')).toBeLessThan(timeline.indexOf('核查举证'));
    await page.getByTestId('swipe-bar').waitFor();
    await page.waitForTimeout(1500); // imagery tiles of both maps
    await page.screenshot({ path: `${ARTIFACTS}polygon-page.png` });
  });

  it('records a verdict through the action form, and the 图斑 leaves the "to determine" queue', async () => {
    await page.click('button[data-action=determine]');
    const form = page.getByTestId('action-form');
    await form.getByLabel('判定结果').selectOption({ label: '违法' });
    await form.getByLabel('违法类型').selectOption({ label: '新增' });
    await form.getByLabel('判定说明').fill('浏览器测试判定');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('polygon-status').filter({ hasText: '已判定' }).waitFor();
    expect(await page.getByTestId('timeline').innerText()).toContain('浏览器测试判定');

    await page.click('[data-nav=queues]');
    await page.click('[data-queue=to_determine]');
    await page.getByTestId('queue-count').waitFor();
    expect(await page.locator(`tr[data-polygon="${target.id}"]`).count()).toBe(0);
    // …while it is still one of the county's 图斑
    // (lists show a page of 50: the status filter brings the determined ones onto the first)
    await page.click('[data-queue=all]');
    await page.selectOption('[data-filter=status]', 'determined');
    await page.locator(`tr[data-polygon="${target.id}"]`).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}queue-all.png` });
  });

  it('switches to English, with dates and numbers in English style, and the dashboard answers', async () => {
    await page.click('[data-testid=lang-switch]');
    await page.getByRole('link', { name: 'Work queues' }).waitFor();
    expect(await page.locator(`tr[data-polygon="${target.id}"] .status`).textContent()).toBe(
      'Determined',
    );
    await page.click('[data-nav=dashboard]');
    await page.getByTestId('kpi-total').waitFor();
    const total = Number((await page.getByTestId('kpi-total').textContent())!.replace(/,/g, ''));
    expect(total).toBeGreaterThan(100);
    expect(await page.locator('[data-testid=chart-county] canvas').count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}dashboard-en.png` });
    // a chart clicks through to the list behind it: the count bar of the first period
    await page.waitForTimeout(600); // the bars' entry animation
    const bar = await page.evaluate(() => {
      const c = (globalThis as unknown as ChartWindow).__gengbaoCharts!['chart-period'];
      const layout = c.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
      return { x: layout.x + layout.width / 2, y: layout.y + layout.height / 2 };
    });
    const box = (await page.getByTestId('chart-period').boundingBox())!;
    await page.mouse.click(box.x + bar.x, box.y + bar.y);
    await page.waitForURL(/\/queues\/all\?period=\d{4}-\d{2}$/);
    const period = new URL(page.url()).searchParams.get('period');
    await page.getByTestId('queue-table').waitFor();
    const periods = await page
      .locator('[data-testid=queue-table] tbody tr td:nth-child(5)')
      .allTextContents();
    expect(periods.length).toBeGreaterThan(0);
    expect(new Set(periods)).toEqual(new Set([period]));
    // the status list behind the status chart
    await page.goto(`${base}/queues/all?status=determined`);
    await page.locator(`tr[data-polygon="${target.id}"]`).waitFor();
    const statuses = await onEveryPage((p) =>
      p.locator('[data-testid=queue-table] tbody .status').allTextContents(),
    );
    expect(new Set(statuses)).toEqual(new Set(['Determined']));
    expect(await page.getByTestId('queue-count').textContent()).toMatch(
      new RegExp(`^${statuses.length} items · [\\d,]+\\.\\d\\d mu$`),
    );
    // the verdict filter: our "illegal" verdict is among the determined-and-illegal, a "lawful" filter drops it
    await page.selectOption('[data-filter=verdict]', 'illegal');
    await page.waitForURL(/verdict=illegal/);
    await page.locator(`tr[data-polygon="${target.id}"]`).waitFor();
    await page.selectOption('[data-filter=verdict]', 'lawful');
    await page.getByTestId('queue-count').waitFor();
    await page.locator(`tr[data-polygon="${target.id}"]`).waitFor({ state: 'detached' });
  });

  it('shows the server’s illegal-occupation ratio of the county, with its line, and opens the cases behind it', async () => {
    const officer = await caller('zz.officer');
    const reply = await officer('GET', '/api/oversight/illegal-ratio?year=2026');
    const county = reply.items.find((i: { unit: string }) => i.unit === '140525');
    expect(county).toBeDefined();
    await page.click('[data-nav=dashboard]');
    const row = page.locator(`[data-testid=ratio-table] tr[data-unit="140525"]`);
    await row.waitFor();
    const two = (n: number) =>
      n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(await row.locator('[data-field=illegalMu]').textContent()).toBe(two(county.illegalMu));
    expect(await row.locator('[data-field=constructionMu]').textContent()).toBe(
      two(county.constructionMu),
    );
    expect(await row.locator('[data-field=ratio]').textContent()).toBe(
      county.ratioPercent === null ? '—' : two(county.ratioPercent),
    );
    expect(await page.getByTestId('ratio-line').textContent()).toContain(
      `${county.thresholdPercent} %`,
    );
    await page.getByTestId('ratio-card').scrollIntoViewIfNeeded();
    await page.waitForTimeout(600); // the bars' entry animation
    await page.getByTestId('ratio-card').screenshot({ path: `${ARTIFACTS}dashboard-ratio.png` });
    // the row opens the cases behind the numerator (or, with none, the denominator)
    const ids: number[] = county.illegalCaseIds.length
      ? county.illegalCaseIds
      : county.constructionCaseIds;
    await row.click();
    await page.waitForURL(/\/queues\/all\?.*ids=/);
    await page.getByTestId('queue-count').waitFor();
    const shown = await onEveryPage((p) =>
      p
        .locator('[data-testid=queue-table] tbody tr[data-polygon]')
        .evaluateAll((trs) =>
          (trs as unknown as { dataset: { polygon: string } }[]).map((tr) =>
            Number(tr.dataset.polygon),
          ),
        ),
    );
    expect(new Set(shown)).toEqual(new Set(ids));
  });

  it('lets the city reviewer push analysed 图斑 in bulk, which then leave the "to push" queue', async () => {
    // make sure at least one 图斑 waits in "analysed"
    const city = await caller('jc.reviewer');
    const found = (await city('GET', '/api/polygons?status=found&limit=1')).items[0];
    const { state } = await city('GET', `/api/polygons/${found.id}/actions`);
    await city('POST', `/api/polygons/${found.id}/transitions`, {
      action: 'analyse',
      input: {
        version: state.version,
        totalMu: found.areaMu,
        layerMu: { farmland: found.areaMu },
        preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
      },
    });
    await page.click('text=Log out');
    await page.fill('input[name=username]', 'jc.reviewer');
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.click('[data-nav=queues]');
    await page.click('[data-queue=to_push]');
    await page.locator(`tr[data-polygon="${found.id}"]`).waitFor();
    const analysed = await page
      .locator('[data-testid=queue-table] tbody input[type=checkbox]')
      .count();
    expect(analysed).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Select all analysed' }).click();
    await page.getByTestId('bulk-push').click();
    await page.getByTestId('bulk-result').waitFor();
    expect(await page.getByTestId('bulk-result').textContent()).toBe(`Pushed ${analysed}`);
    await page.locator(`tr[data-polygon="${found.id}"]`).waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=queue-table] tbody input[type=checkbox]').count()).toBe(
      0,
    );
    await page.screenshot({ path: `${ARTIFACTS}bulk-push.png` });
  });

  it('runs 套合 of a period, draws a spot check and publishes a closed case, in the browser', async () => {
    // still logged in as the city reviewer (previous test)
    await page.click('[data-nav=dashboard]');
    await page.getByTestId('operations').waitFor();
    await page.fill('input[name=op-period]', '2026-11');
    await page.getByTestId('run-overlay').click();
    await page
      .locator('[data-testid=overlay-job][data-status=succeeded]')
      .waitFor({ timeout: 90_000 });
    await page.fill('input[name=op-rate]', '0.5');
    await page.getByTestId('draw-sample').click();
    await page.getByTestId('spot-check').waitFor();
    expect(await page.locator('[data-testid=spot-check] li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}operations.png` });

    // the queue filter by area on farmland agrees with the figures the API gives
    const reviewer = await caller('jc.reviewer');
    const october = (await reviewer('GET', '/api/polygons?period=2026-10&limit=10000')).items as {
      properties: { farm_mu?: number };
    }[];
    const expected = october.filter((p) => Number(p.properties.farm_mu ?? 0) >= 1).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(october.length);
    await page.goto(`${base}/queues/all?period=2026-10&minFarmMu=1`);
    await page.getByTestId('queue-count').waitFor();
    // (the table shows a page of 50; the count above it covers the whole filtered list)
    await expect
      .poll(() => page.getByTestId('queue-count').textContent())
      .toMatch(new RegExp(`^${expected} items`));

    const city = await caller('jc.reviewer');
    const closed = (await city('GET', '/api/polygons?status=closed&limit=200')).items as {
      id: number;
    }[];
    let target: number | undefined;
    let decisionNo = '';
    let caseNo = '';
    for (const c of closed) {
      const { state } = await city('GET', `/api/polygons/${c.id}/actions`);
      if (state.caseFile && state.decision) {
        target = c.id;
        decisionNo = state.decision.decisionNo;
        caseNo = state.caseFile.caseNo;
        break;
      }
    }
    expect(target, 'a closed case with a decision in the demo').toBeDefined();
    await page.goto(`${base}/polygons/${target}`);
    // the case's documents, by number, on the polygon page
    await page.locator('[data-doc=doc_decision]').waitFor();
    expect(await page.locator('[data-doc=doc_decision]').textContent()).toBe(decisionNo);
    expect(await page.locator('[data-doc=doc_case]').textContent()).toBe(caseNo);
    await page.locator('[data-action=publish]').click();
    await page.getByTestId('published').waitFor();
    const open = (await (await fetch(`${base}/api/public/cases`)).json()) as {
      items: { polygonId: number }[];
    };
    expect(open.items.map((i) => i.polygonId)).toContain(target);
  });

  it('runs change detection on the demo imagery pair from the dashboard, storing its 图斑', async () => {
    // still logged in as the city reviewer, in English
    await page.click('[data-nav=dashboard]');
    await page.getByTestId('detection').waitFor();
    await page.fill('input[name=op-period]', '2026-12');
    // The demo's before and after scenes come preselected.
    const before = await page.locator('select[name=det-before]').inputValue();
    const after = await page.locator('select[name=det-after]').inputValue();
    expect(before).not.toBe(after);
    await page.selectOption('select[name=det-classifier]', 'rules');
    await page.getByTestId('run-detection').click();
    await page
      .locator('[data-testid=detection-job][data-status=succeeded]')
      .waitFor({ timeout: 90_000 });
    const text = (await page.getByTestId('detection-job').textContent()) ?? '';
    const stored = Number(/stored ([\d,]+)/.exec(text)?.[1].replace(/,/g, ''));
    expect(stored, text).toBeGreaterThan(0);
    // The demo scenes are stored as Sentinel-2 of 2026 is, 1000 above reflectance ×10000, and
    // declare it: the run says how it read them.
    expect(await page.locator('[data-note=radiometry]').textContent()).toBe(
      'Radiometry: before: reflectance = (DN − 1000) / 10000 (declared in the file); after: reflectance = (DN − 1000) / 10000 (declared in the file)',
    );
    // What decided, and how like the rules' tuning data the imagery is, in words.
    expect(await page.locator('[data-note=classifier]').textContent()).toMatch(
      /^Decision: Rules \((imagery (somewhat )?(un)?like the data it was made on|cannot be compared with the data it was made on)/,
    );
    const reviewer = await caller('jc.reviewer');
    const found = await reviewer('GET', '/api/polygons?period=2026-12&source=detection');
    expect(found.count).toBe(stored);
    await page.screenshot({ path: `${ARTIFACTS}detection.png` });
    // The same line in Chinese, the officers' language, with Chinese brackets.
    await page.click('[data-testid=lang-switch]');
    await page.locator('[data-note=classifier]').getByText('判别方法').waitFor();
    expect(await page.locator('[data-note=classifier]').textContent()).toMatch(
      /^判别方法: 规则（影像(与其训练或调校所用数据同域|与其训练或调校所用数据有差异|超出其训练或调校所用数据的范围|无法与其训练或调校所用数据比较)/,
    );
    await page.locator('[data-note=classifier]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}detection-zh.png` });
    await page.click('[data-testid=lang-switch]');
    await page.getByRole('link', { name: 'Work queues' }).waitFor();
  });

  it('never requested anything outside this server, and raised no page errors', () => {
    const origin = new URL(base).origin;
    const outside = requests.filter(
      (u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'),
    );
    expect(outside).toEqual([]);
    expect(requests.length).toBeGreaterThan(20);
    expect(pageErrors).toEqual([]);
  });
});
