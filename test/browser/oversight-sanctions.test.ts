/**
 * Year-end sanctions in a real browser, on the demo's oversight year (2025, swept): the
 * province monitor (sx.monitor) opens the quota ledgers, sees 泽州县's balance and its entries,
 * opens the overdue 补划 duty and registers replacement parcels by upload — first a parcel the
 * overlay refuses (already permanent basic farmland: the verdict shown per parcel in Chinese),
 * then a farmland parcel it accepts; then records a suggested measure with one click and
 * changes a rule, which lands in the change history. Own server on the demo region in a
 * temporary data directory, Debian's Chromium; screenshots in test-artifacts/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/load.ts';
import { demoYearPlan } from '../../src/demo/oversight-year.ts';
import { buildDemoRegion } from '../../src/demo/region.ts';
import type { Polygon } from '../../src/geo/types.ts';
import type { Running } from '../../src/server/start.ts';
import { chromiumPath, CHROMIUM_FLAGS } from '../support/chromium.ts';
import { demoCookie, startDemoServer } from '../support/demo-server.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

describe('quota ledgers and 补划 in the office app', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-sanctions-'));
  let server: Running;
  let browser: Browser;
  let base: string;
  let duty: { code: string; site: Polygon; spare: Polygon };

  async function login(username: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await page.goto(`${base}/`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.locator('header.topbar .who').waitFor();
    return page;
  }
  const geojson = (name: string, geometry: Polygon) => ({
    name,
    mimeType: 'application/geo+json',
    buffer: Buffer.from(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: {}, geometry }],
      }),
    ),
  });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, base } = await startDemoServer(dataDir));
    // The demo year's plan is deterministic: the open 补划 of 泽州县 and the spare parcel the
    // loader left for it (the village chief's village is the one the plan avoids).
    const cookie = await demoCookie(base, 'zz.village');
    const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()) as {
      user: { jurisdictionCode: string };
    };
    const plan = demoYearPlan(buildDemoRegion(), me.user.jurisdictionCode);
    const [i, spare] = [...plan.spares].find(([k]) => plan.sites[k].county === '140525')!;
    duty = { code: plan.sites[i].code, site: plan.sites[i].geometry, spare };
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the province monitor sees 泽州县’s balance and registers 补划 parcels the overlay verifies', async () => {
    const page = await login('sx.monitor');
    await page.click('[data-nav=oversight]');
    await page.click('[data-tab=ledgers]');
    const balances = page.getByTestId('ledger-balances');
    const zezhou = balances.locator('tr', { hasText: '泽州县' });
    await zezhou.waitFor();
    // Opening 120 亩, two deductions of the 2025 sweep.
    expect(await zezhou.innerText()).toContain('117.64');
    await zezhou.locator('a').click();
    const entries = page.getByTestId('ledger-entries');
    await entries.getByText('期初导入').waitFor();
    expect(await entries.innerText()).toMatch(/扣减[\s\S]*-1\.18[\s\S]*118\.82/);
    await page.screenshot({ path: `${ARTIFACTS}quota-ledger.png`, fullPage: true });

    await page.click('[data-tab=duties]');
    const row = page
      .getByTestId('duties')
      .locator('tr', { hasText: duty.code })
      .filter({ hasText: '永久基本农田补划' });
    await row.waitFor();
    // Due 30 June 2026 and still open: overdue, highlighted.
    expect(await row.innerText()).toContain('已逾期');
    expect(await row.getAttribute('class')).toContain('overdue');
    await row.getByTestId('open-duty').click();
    const panel = page.getByTestId('replacement-panel');
    await panel.waitFor();

    // The 图斑's own ground is permanent basic farmland: refused, nothing stored.
    await panel.getByTestId('parcel-file').setInputFiles(geojson('原地块.geojson', duty.site));
    await expect.poll(() => panel.getByTestId('parcel-count').innerText()).toContain('1 块');
    await panel.getByTestId('submit-parcels').click();
    const check = panel.getByTestId('replacement-check');
    await check.waitFor();
    expect(await check.innerText()).toContain('已是永久基本农田');
    expect(await panel.getByRole('alert').innerText()).toContain('核验未通过');
    await check.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}replacement-refused.png` });

    await panel.getByRole('button', { name: '清空' }).click();
    await panel.getByTestId('parcel-file').setInputFiles(geojson('补划地块.geojson', duty.spare));
    await panel.getByTestId('submit-parcels').click();
    await panel.getByTestId('replacement-accepted').waitFor({ timeout: 30_000 });
    expect(await panel.getByTestId('replacement-accepted').innerText()).toMatch(
      /核验通过：耕地 [\d.]+ 亩 ≥ 应补划 1\.18 亩/,
    );
    expect(await panel.getByTestId('replacement-check').innerText()).toContain('通过');
    await panel.getByTestId('replacements').waitFor();
    await expect.poll(() => row.innerText()).toContain('已完成');
    await panel.getByTestId('replacements').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}replacement-accepted.png` });
    // Its own page is not the only word: the server says the duty is done.
    const done = await page.evaluate(async (code) => {
      const r = await fetch('/api/oversight/duties?kind=pbf_redesignation');
      return ((await r.json()) as { items: { polygonCode: string }[] }).items.find(
        (d: { polygonCode: string }) => d.polygonCode === code,
      );
    }, duty.code);
    expect(done).toMatchObject({ status: 'done' });
  }, 180_000);

  it('suggests a hand-over of 泽州县 to the discipline bodies, recorded with one click; a rule changed is in the history', async () => {
    const page = await login('sx.monitor');
    await page.goto(`${base}/oversight/measures`);
    const suggestions = page.getByTestId('suggestions');
    const referral = suggestions
      .locator('tr', { hasText: '泽州县' })
      .filter({ hasText: '移交纪检监察机关' });
    await referral.waitFor();
    // The demo recorded the summons already; the hand-over is left to a person.
    expect(
      await suggestions
        .locator('tr', { hasText: '泽州县' })
        .filter({ hasText: '约谈' })
        .first()
        .innerText(),
    ).toContain('已登记');
    await referral.getByTestId('record-suggestion').click();
    const form = page.getByTestId('measure-form');
    expect(await form.getByLabel('对象单位代码').inputValue()).toBe('140525');
    expect(await form.getByLabel('事由').inputValue()).toMatch(/违法占用耕地面积比例/);
    await form.getByLabel('文号').fill('晋自然资移〔2026〕1号');
    await form.getByLabel('日期').fill('2026-12-01');
    await form.getByLabel('作出机关').fill('山西省自然资源厅');
    await form.getByTestId('measure-submit').click();
    await expect
      .poll(() => page.getByTestId('measure-msg').innerText())
      .toContain('已登记（移交纪检监察机关');
    await expect.poll(() => referral.innerText()).toContain('已登记');
    await suggestions.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}suggested-measures.png` });

    await page.click('[data-tab=config]');
    const rules = page.getByTestId('rules');
    await rules.waitFor();
    const line = rules.locator('tr', { hasText: '问责比例线' });
    expect(await line.innerText()).toMatch(/15\s+15/);
    await line.locator('input').fill('12');
    await page.getByTestId('config-save').click();
    await expect.poll(() => page.getByTestId('config-msg').innerText()).toContain('已保存');
    expect(await line.innerText()).toMatch(/15\s+12/);
    const history = page.getByTestId('config-history');
    expect(await history.innerText()).toContain('山西省监测员');
    // A line over 100 % is refused in Chinese, naming the field.
    await line.locator('input').fill('150');
    await page.getByTestId('config-save').click();
    await expect
      .poll(() => page.getByTestId('config-msg').innerText())
      .toMatch(/督察规则配置.*thresholdPercent.*不能大于 100/);
    await page.screenshot({ path: `${ARTIFACTS}oversight-rules.png`, fullPage: true });
  }, 120_000);

  it('runs the year-end sweep from the page: this year refused, 2025 again raises nothing', async () => {
    const page = await login('sx.monitor');
    await page.goto(`${base}/oversight/sweeps`);
    const sweeps = page.getByTestId('sweeps');
    await sweeps.locator('tr', { hasText: '2025' }).first().waitFor();
    const year = page.getByLabel('年度');
    await year.fill(String(new Date().getFullYear()));
    await page.getByTestId('run-sweep').click();
    await expect
      .poll(() => page.getByRole('alert').innerText(), { timeout: 60_000 })
      .toContain('尚未结束，不能进行年终清查');
    await year.fill('2025');
    await page.getByTestId('run-sweep').click();
    await expect
      .poll(() => page.locator('.filters span').last().innerText(), { timeout: 60_000 })
      .toContain('新下达任务 0 项');
    expect(await sweeps.locator('tr', { hasText: '2025' }).count()).toBe(2);
    await page.screenshot({ path: `${ARTIFACTS}year-end-sweeps.png` });
  }, 120_000);
});
