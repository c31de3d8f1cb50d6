/**
 * A spot check (抽查) worked through the office app alone, in Chinese, in a real Chromium
 * (issue 20): the province's supervisor (sx.supervisor) draws a sample of a period's verdicts
 * on 业务管理 → 抽查结果, opens a drawn 图斑 closed as lawful, and overturns the verdict
 * (抽查纠错) — the batch chosen by name on the form, the correct verdict picked by its
 * Chinese label — which sends it back to the county (退回补正); the sample's outcomes then
 * show it 纠错, and the county officer finds it back on the desk with 判定 open. No API call: every step is
 * a click or a keystroke. Screenshots of each step: test-artifacts/spot-check-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/load.ts';
import type { Running } from '../../src/server/start.ts';
import { chromiumPath, CHROMIUM_FLAGS } from '../support/chromium.ts';
import { startDemoServer } from '../support/demo-server.ts';
import { codesIn } from '../support/visible-codes.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
/** The demo's county officers by county (src/demo/accounts.ts). */
const OFFICERS: Record<string, string> = {
  '140525': 'zz.officer',
  '140581': 'gp.officer',
  '140502': 'cq.officer',
  '140521': 'qs.officer',
  '140522': 'yc.officer',
  '140524': 'lc.officer',
};

describe('a spot check drawn and a verdict overturned through the office app, in Chinese', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-spot-check-'));
  let server: Running;
  let base: string;
  let browser: Browser;
  let page: Page;
  /** The 图斑 overturned, by its code as the outcomes table shows it. */
  let code = '';
  /** Its page, as the supervisor opened it from the outcomes. */
  let polygonUrl = '';
  const leaks: string[] = [];
  const pageErrors: string[] = [];

  /** Screenshot of the step, and the page's visible text checked for codes and JSON. */
  async function step(name: string) {
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${ARTIFACTS}spot-check-${name}.png`, fullPage: true });
    for (const c of codesIn(await page.locator('body').innerText())) leaks.push(`${name}: ${c}`);
  }

  async function login(username: string) {
    if (await page.getByRole('button', { name: '退出' }).isVisible())
      await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出' }).waitFor();
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, base } = await startDemoServer(dataDir));
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets the supervisor draw a sample of the period’s verdicts on 抽查结果', async () => {
    await login('sx.supervisor');
    await page.getByRole('link', { name: '业务管理' }).click();
    await page.getByRole('link', { name: '抽查结果' }).click();
    const form = page.getByTestId('spot-check-form');
    await form.waitFor();
    await form.getByLabel('批次').fill('2026-11');
    await form.getByLabel('抽查比例').fill('10');
    await step('01-draw-form');
    await page.getByTestId('spot-check-draw').click();
    const outcomes = page.getByTestId('spot-check-outcomes');
    await outcomes.waitFor();
    // every drawn 图斑 is still to be checked; verdicts and statuses in words
    const rows = outcomes.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    const text = await outcomes.innerText();
    expect(text).toContain('待抽查');
    expect(text).not.toMatch(/lawful|illegal|closed|reviewed/);
    await step('02-sample-drawn');
  });

  it('overturns a lawful verdict of a drawn 图斑 (抽查纠错), which goes back to the county', async () => {
    // A drawn 图斑 closed as lawful: the classic falsification a spot check looks for.
    const lawful = page
      .getByTestId('spot-check-outcomes')
      .locator('tbody tr', { hasText: '已销号' })
      .filter({ hasText: '合法' });
    expect(await lawful.count(), 'a drawn 图斑 closed as lawful').toBeGreaterThan(0);
    // one of a county with a demo officer, 泽州县's first
    const codes = await lawful.locator('a').allInnerTexts();
    const pick =
      codes.find((c) => c.startsWith('140525')) ?? codes.find((c) => OFFICERS[c.slice(0, 6)]);
    expect(pick, 'a lawful verdict of a county with a demo officer').toBeDefined();
    const link = lawful.locator('a', { hasText: pick! });
    code = (await link.innerText()).trim();
    await link.click();
    await page.getByTestId('polygon-page').waitFor();
    await page.getByTestId('timeline').locator('li').first().waitFor();
    expect(await page.getByTestId('polygon-code').innerText()).toBe(code);
    polygonUrl = page.url();
    const actions = page.getByTestId('actions');
    await actions.getByRole('button', { name: '抽查核实', exact: true }).waitFor();
    await step('03-drawn-polygon');

    await actions.getByRole('button', { name: '抽查纠错', exact: true }).click();
    const form = page.getByTestId('action-form');
    await form.waitFor();
    // the batch is the sample just drawn, chosen by its period, day and who drew it
    const batch = form.getByLabel('抽查批次');
    const chosen = await batch.locator('option:checked').innerText();
    expect(chosen).toMatch(/^2026-11 期抽查（\d{4}-\d{2}-\d{2} 山西省督察员 抽取）$/);
    expect(await form.innerText()).not.toMatch(/种子|seed/i);
    // sent without a finding: the form says so beside the field, in Chinese
    await page.getByTestId('action-submit').click();
    await expect.poll(() => form.locator('[data-error-for=finding]').textContent()).toBe('必填');
    await form
      .getByLabel('抽查发现')
      .fill('影像显示地块已硬化并建有房屋，现场照片回避了建筑，不应判定合法');
    const category = form.getByLabel('应判定为');
    expect(await category.locator('option').allTextContents()).toEqual([
      '请选择',
      '合法',
      '违法',
      '其他',
    ]);
    await category.selectOption({ label: '违法' });
    await step('04-overturn-form');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('polygon-status').filter({ hasText: '退回补正' }).waitFor();
    await page.getByTestId('action-form').waitFor({ state: 'detached' });
    const entry = page.getByTestId('timeline').locator('li[data-action=spot_check_reject]');
    await entry.waitFor();
    const said = await entry.innerText();
    expect(said).toContain('抽查纠错');
    expect(said).toContain('已销号 → 退回补正');
    expect(said).toContain('山西省督察员（山西省）');
    expect(said).toContain('应判定为：违法');
    expect(said).toContain('抽查发现：影像显示地块已硬化');
    // the batch reads as a spot check, never as its seed
    expect(said).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
    // overturned once: the findings are gone from the page's actions
    expect(await actions.getByRole('button', { name: '抽查纠错', exact: true }).count()).toBe(0);
    await step('05-overturned');
  });

  it('shows the 图斑 as 纠错 among the sample’s outcomes', async () => {
    await page.getByRole('link', { name: '业务管理' }).click();
    await page.getByRole('link', { name: '抽查结果' }).click();
    await page.getByTestId('spot-checks-page').waitFor();
    await page.locator('button[data-testid^=spot-check-]', { hasText: '抽查结果' }).first().click();
    const row = page.getByTestId('spot-check-outcomes').locator('tbody tr', { hasText: code });
    await row.waitFor();
    expect(await row.innerText()).toContain('纠错');
    expect(await row.innerText()).toContain('退回补正');
    expect(await page.getByTestId('spot-check-outcomes').locator('h3').innerText()).toMatch(
      /纠错 1/,
    );
    await step('06-outcomes');
  });

  it('puts it back on the county officer’s desk, 判定 open again', async () => {
    const url = new URL(polygonUrl);
    await login(OFFICERS[code.slice(0, 6)]);
    await page.goto(`${base}${url.pathname}`);
    await page.getByTestId('polygon-page').waitFor();
    await page.getByTestId('polygon-status').filter({ hasText: '退回补正' }).waitFor();
    await page.getByTestId('actions').getByRole('button', { name: '判定', exact: true }).waitFor();
    const entry = page.getByTestId('timeline').locator('li[data-action=spot_check_reject]');
    expect(await entry.innerText()).toContain('应判定为：违法');
    await entry.scrollIntoViewIfNeeded();
    await step('07-county-desk');
    expect(leaks).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
