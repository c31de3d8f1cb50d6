/**
 * The office inbox and the province's paper settings in a real browser: a 图斑 pushed to the
 * village's field chief by name raises the bell's unread count and shows in the inbox list,
 * marking it read lowers the count; the chief draws an area of interest on the inbox's map and
 * subscribes; the province monitor's template editor refuses a bad placeholder in Chinese
 * beside the field, saves a good template and goes back to the default; a county officer
 * downloads the dossiers of ticked 图斑 as one zip from the work queue.
 * Own server on the demo region in a temporary data directory, Debian's Chromium.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/load.ts';
import type { Running } from '../../src/server/start.ts';
import { startDemoServer } from '../support/demo-server.ts';
import { chromiumPath, CHROMIUM_FLAGS } from '../support/chromium.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

describe('the office inbox and paper settings in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-inbox-'));
  let server: Running;
  let browser: Browser;
  let base: string;

  async function login(username: string): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    await page.goto(`${base}/`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.locator('header.topbar .who').waitFor();
    return page;
  }

  /** The bell's number (no badge: nothing unread). */
  async function bellCount(page: Page): Promise<number> {
    await page.getByTestId('inbox-bell').waitFor();
    const badge = page.getByTestId('inbox-count');
    return (await badge.count()) ? Number(await badge.textContent()) : 0;
  }

  /** A JSON call in the page's session. */
  const call = (page: Page, method: string, url: string, body?: unknown) =>
    page.evaluate(
      async ([m, u, b]) => {
        const r = await fetch(u as string, {
          method: m as string,
          headers: b === undefined ? {} : { 'content-type': 'application/json' },
          body: b === undefined ? undefined : JSON.stringify(b),
        });
        return { status: r.status, json: await r.json().catch(() => null) };
      },
      [method, url, body] as const,
    ) as Promise<{ status: number; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, base } = await startDemoServer(dataDir));
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a push to the field chief shows in the bell and the inbox; reading it lowers the count', async () => {
    const chief = await login('zz.village');
    const before = await bellCount(chief);

    // The city reviewer pushes an analysed 图斑 of 泽州县 to the chief by name.
    const reviewer = await login('jc.reviewer');
    const list = await call(
      reviewer,
      'GET',
      '/api/polygons?status=analysed&jurisdiction=140525&limit=5',
    );
    expect(list.status).toBe(200);
    expect(list.json.items.length, 'an analysed 图斑 in 泽州县').toBeGreaterThan(0);
    const target = list.json.items[0] as { id: number; code: string; jurisdictionCode: string };
    const [{ id: chiefId }] = await server.db.query<{ id: string }>(
      `SELECT id::text FROM users WHERE username = 'zz.village'`,
    );
    const actions = await call(reviewer, 'GET', `/api/polygons/${target.id}/actions`);
    const pushed = await call(reviewer, 'POST', `/api/polygons/${target.id}/transitions`, {
      action: 'push',
      input: {
        version: actions.json.state.version,
        unitCode: target.jurisdictionCode,
        assigneeIds: [chiefId],
      },
    });
    expect(pushed.status, JSON.stringify(pushed.json)).toBe(200);
    await reviewer.close();

    // The chief's bell counts it (on the next load; the bell also polls every 30 s).
    await chief.reload();
    await expect.poll(() => bellCount(chief), { timeout: 10_000 }).toBeGreaterThan(before);
    const raised = await bellCount(chief);
    await chief.getByTestId('inbox-bell').click();
    await chief.getByTestId('inbox-page').waitFor();
    const row = chief.locator(
      `[data-testid=inbox-item].unread:has(a[href="/polygons/${target.id}"])`,
    );
    await row.first().waitFor();
    // every notice in words of the page's language: the push as its status, never "pushed"
    expect(await row.first().getByTestId('inbox-summary').innerText()).toBe('当前状态：已下发');
    const notices = await chief.getByTestId('inbox-page').locator('table').first().innerText();
    expect(notices).not.toMatch(/\b(pushed|notify|kind_\w+|deadline_\w+)\b/);
    // the bell is drawn, not an emoji (which has no glyph in the CJK fonts of Linux)
    expect(await chief.getByTestId('inbox-bell').locator('svg').count()).toBe(1);
    expect(await chief.getByTestId('inbox-bell').innerText()).not.toMatch(
      /\p{Extended_Pictographic}/u,
    );
    await chief.screenshot({ path: `${ARTIFACTS}inbox-unread.png`, fullPage: true });
    const rows = await row.count();
    await row.first().getByRole('button', { name: '标为已读' }).click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(rows - 1);
    await expect.poll(() => bellCount(chief), { timeout: 10_000 }).toBe(raised - 1);
    await chief.screenshot({ path: `${ARTIFACTS}inbox-read.png`, fullPage: true });

    // An area of interest drawn on the inbox's map: three clicks and a double-click.
    const map = chief.getByTestId('sub-map').locator('canvas');
    await map.waitFor();
    await chief.waitForTimeout(1500); // the map's style loads before it takes clicks
    await chief.getByTestId('sub-draw').click();
    const box = (await map.boundingBox())!;
    const at = (fx: number, fy: number) =>
      [box.x + box.width * fx, box.y + box.height * fy] as const;
    await chief.mouse.click(...at(0.3, 0.3));
    await chief.mouse.click(...at(0.7, 0.3));
    await chief.mouse.click(...at(0.6, 0.7));
    await chief.mouse.dblclick(...at(0.35, 0.7));
    await chief.getByTestId('sub-area-ready').waitFor();
    expect(await chief.getByTestId('sub-area-ready').textContent()).toContain(
      '区域已选定 · 4 个拐点',
    );
    await chief.getByTestId('sub-map').scrollIntoViewIfNeeded();
    await chief.screenshot({ path: `${ARTIFACTS}inbox-area-drawn.png` });
    const panel = chief.getByTestId('subscriptions-panel');
    await panel.locator('label:has-text("名称") input').fill('村口农田');
    const created = chief.waitForResponse(
      (r) => r.url().endsWith('/api/subscriptions') && r.request().method() === 'POST',
    );
    await panel.getByRole('button', { name: '订阅', exact: true }).click();
    const res = await created;
    expect(res.status(), await res.text()).toBe(201);
    const geometry = (
      res.request().postDataJSON() as { geometry: { type: string; coordinates: number[][][] } }
    ).geometry;
    expect(geometry.type).toBe('Polygon');
    expect(geometry.coordinates[0].length).toBe(5); // four corners and the closing one
    await panel.locator('li', { hasText: '村口农田' }).waitFor();
    await chief.screenshot({ path: `${ARTIFACTS}inbox-subscribed.png` });
    await chief.close();
  }, 120_000);

  it('the template editor refuses a bad placeholder in Chinese beside the field, saves and resets', async () => {
    const page = await login('sx.monitor');
    await page.click('[data-nav=paper]');
    await page.getByTestId('template-editor').waitFor();
    await page.getByTestId('template-kind').selectOption('penalty_decision');
    await expect
      .poll(() => page.getByTestId('template-source').textContent())
      .toContain('国家默认');

    // A number naming a placeholder Gengbao cannot fill.
    const number = page.getByTestId('template-number');
    const good = await number.inputValue();
    await number.fill(good.replace('{seq}', '{序号}{seq}'));
    await page.getByTestId('template-save').click();
    const numberError = page.locator('[data-error-for=number]');
    await numberError.waitFor();
    expect(await numberError.textContent()).toBe('编号规则中没有占位符 {序号}');
    await number.fill(good);

    // A body naming one: refused beside the blocks.
    const block = page.getByTestId('template-block-1');
    const text = await block.inputValue();
    await block.fill(`${text}{违法人}`);
    await page.getByTestId('template-save').click();
    const blockError = page.locator('[data-error-for=blocks]');
    await blockError.waitFor();
    expect(await blockError.textContent()).toBe('模板中没有占位符 {违法人}');
    await page.getByTestId('template-block-1').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}template-editor-refused.png` });

    // Fixed: saved as the province's own, recorded, then back to the national default.
    await block.fill(`${text}（本省修订）`);
    await page.getByTestId('template-save').click();
    await page.getByTestId('template-saved').waitFor();
    expect(await page.getByTestId('template-source').textContent()).toContain('本省模板');
    const mine = await call(page, 'GET', '/api/documents/templates');
    const decision = mine.json.kinds.find((k: { kind: string }) => k.kind === 'penalty_decision');
    expect(JSON.stringify(decision.template.blocks)).toContain('（本省修订）');
    await page.getByTestId('template-reset').click();
    await expect
      .poll(() => page.getByTestId('template-source').textContent())
      .toContain('国家默认');

    // The exchange mapping: a field name a DBF cannot hold is refused beside it.
    const name = page.getByTestId('mapping-name-1');
    await name.fill('监测批次');
    await page.getByTestId('mapping-save').click();
    const nameError = page.locator('[data-error-for="fields.1.name"]');
    await nameError.waitFor();
    expect(await nameError.textContent()).toContain('字段名须为 1–10 个字母、数字或下划线');
    await nameError.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}exchange-mapping-refused.png` });
    await page.close();
  }, 120_000);

  it('a county officer downloads the dossiers of ticked 图斑 as one zip', async () => {
    const page = await login('zz.officer');
    await page.click('[data-nav=queues]');
    await page.getByTestId('queue-table').waitFor();
    const boxes = page.locator('[data-testid=queue-table] tbody input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    expect(await page.getByTestId('dossiers-zip').textContent()).toContain('所选 2');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 90_000 }),
      page.getByTestId('dossiers-zip').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const path = join(dataDir, 'dossiers.zip');
    await download.saveAs(path);
    const zip = readFileSync(path);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    await page.getByTestId('dossiers-note').waitFor();
    expect(await page.getByTestId('dossiers-note').textContent()).toContain('已下载档案 · 2');
    await page.screenshot({ path: `${ARTIFACTS}queue-dossiers.png` });
    await page.close();
  }, 120_000);
});
