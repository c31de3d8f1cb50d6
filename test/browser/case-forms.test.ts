/**
 * A case worked from the office app's forms alone, in Chinese, in a real Chromium (issue 20):
 * the county officer determines a verified 图斑 illegal with a configured subtype and 八不准
 * reason, the city reviewer accepts it and returns another (退回补正), and the officer stops it,
 * files the case and decides — every step through its form, picking choices by their Chinese
 * labels; the reviewer pushes (下发) another to a village and its chief picked by name. The
 * API is used only to find the 图斑 and to set up the second one's verdict. Every
 * page visited is checked for code identifiers and raw JSON; screenshots of each step are in
 * test-artifacts/case-forms-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

interface ApiPolygon {
  id: number;
  code: string;
  status: string;
  areaMu: number;
  jurisdictionCode: string;
  properties: Record<string, unknown>;
}

/**
 * What must never be visible: a camelCase or snake_case word (a code identifier) or a JSON
 * object. Returns the offending snippets of `text`.
 */
function codesIn(text: string): string[] {
  const camel = text.match(/\b[a-z]+(?:[A-Z][a-z0-9]+)+\b/g) ?? [];
  const snake = text.match(/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g) ?? [];
  const json = text.match(/[{[]\s*"[^"\n]{1,40}"\s*:/g) ?? [];
  return [...camel, ...snake, ...json];
}

describe('a case worked through the office app’s forms, in Chinese', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-case-forms-'));
  let server: Running;
  let browser: Browser;
  let page: Page;
  let base: string;
  /** Walked from 判定 to 处罚决定 through the forms; accepted on review. */
  let walked: ApiPolygon;
  /** Returned on review (退回补正). */
  let returned: ApiPolygon;
  let villageOfWalked: string;
  /** Pushed (下发) through the form: an analysed 图斑 of 泽州县, the field chief's village first. */
  let toPush: ApiPolygon;
  let pushPlaces: Record<string, string>;
  const pageErrors: string[] = [];
  const leaks: string[] = [];

  async function caller(username: string) {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
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

  /** Screenshot of the step, and the page's visible text checked for codes and JSON. */
  async function step(name: string) {
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${ARTIFACTS}case-forms-${name}.png`, fullPage: true });
    const text = await page.locator('body').innerText();
    for (const c of codesIn(text)) leaks.push(`${name}: ${c}`);
  }

  async function login(username: string) {
    if (await page.getByRole('button', { name: '退出' }).isVisible()) {
      await page.getByRole('button', { name: '退出' }).click();
    }
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出' }).waitFor();
  }

  async function openPolygon(p: ApiPolygon) {
    await page.goto(`${base}/polygons/${p.id}`);
    await page.getByTestId('polygon-page').waitFor();
    await page.getByTestId('timeline').locator('li').first().waitFor();
  }

  /** Opens an action's form by the name on its button. */
  async function openAction(label: string) {
    await page.getByTestId('actions').getByRole('button', { name: label, exact: true }).click();
    const form = page.getByTestId('action-form');
    await form.waitFor();
    return form;
  }

  async function submitAndWait(status: string) {
    await page.getByTestId('action-submit').click();
    await page.getByTestId('polygon-status').filter({ hasText: status }).waitFor();
    await page.getByTestId('action-form').waitFor({ state: 'detached' });
  }

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

    // Two small verified 图斑 of 泽州县 with site photos (small: below the major-case
    // thresholds, so the decision needs no 集体审议 first).
    const county = await caller('zz.officer');
    const verified: ApiPolygon[] = (await county('GET', '/api/polygons?status=verified&limit=1000'))
      .items;
    const small = verified.filter((p) => p.areaMu < 5).sort((a, b) => a.areaMu - b.areaMu);
    expect(small.length, 'two small verified demo 图斑 of 泽州县').toBeGreaterThanOrEqual(2);
    [walked, returned] = small;
    const detail = await county('GET', `/api/polygons/${walked.id}`);
    villageOfWalked = detail.places.find((x: { level: string }) => x.level === 'village').name;
    // The second one's verdict is a precondition of the reviewer's return, not a step under test.
    const { state } = await county('GET', `/api/polygons/${returned.id}/actions`);
    await county('POST', `/api/polygons/${returned.id}/transitions`, {
      action: 'determine',
      input: {
        version: state.version,
        category: 'illegal',
        illegalSubtype: 'legacy',
        buildYear: 2019,
      },
    });

    const city = await caller('jc.reviewer');
    const analysed: ApiPolygon[] = (
      await city('GET', '/api/polygons?status=analysed&limit=1000')
    ).items.filter((p: ApiPolygon) => p.jurisdictionCode.startsWith('140525'));
    toPush =
      analysed.find((p) => p.jurisdictionCode === '140525111202') ??
      analysed.find((p) => p.jurisdictionCode.startsWith('140525111')) ??
      analysed[0];
    expect(toPush, 'an analysed demo 图斑 of 泽州县').toBeDefined();
    pushPlaces = Object.fromEntries(
      (await city('GET', `/api/polygons/${toPush.id}`)).places.map(
        (x: { level: string; name: string }) => [x.level, x.name],
      ),
    );

    browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a wrong password in Chinese, then logs the county officer in', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.fill('input[name=username]', 'zz.officer');
    await page.fill('input[name=password]', 'not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('用户名或密码错误');
    await step('01-login-error');
    await login('zz.officer');
  });

  it('shows the 图斑 page a reviewer decides from: 套合 in 亩 with Chinese labels, the village by name, the record in words', async () => {
    await openPolygon(walked);
    const overlay = page.getByTestId('overlay');
    await expect.poll(() => overlay.innerText()).toContain('耕地');
    const text = await overlay.innerText();
    expect(text).toContain('永久基本农田');
    expect(text).toContain('未批占耕');
    expect(text).toContain('套合分析（亩）');
    // the figures are those stored by 套合, in 亩 with two decimals
    const farm = Number(walked.properties.farm_mu);
    expect(await overlay.locator('tr[data-figure=ov_farmland] td').textContent()).toBe(
      farm.toFixed(2),
    );
    expect(await page.getByTestId('place-names').innerText()).toContain(villageOfWalked);
    expect(await page.getByTestId('place-names').innerText()).toContain('泽州县');
    expect(await page.getByTestId('polygon-page').innerText()).not.toContain(
      walked.jurisdictionCode,
    );
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline).toContain('核查举证');
    expect(timeline).toMatch(/泽州县执法员（泽州县）|山西省监测员（山西省）/);
    expect(timeline).toContain('现场照片：2 张照片');
    await step('02-polygon-page');
  });

  it('determines illegal with the configured subtype and a 八不准 reason, from Chinese choices alone', async () => {
    const form = await openAction('判定');
    const category = form.getByLabel('判定结果');
    expect(await category.locator('option').allTextContents()).toEqual([
      '请选择',
      '合法',
      '违法',
      '其他',
    ]);
    await category.selectOption({ label: '违法' });
    const subtype = form.getByLabel('违法类型');
    expect(await subtype.locator('option').allTextContents()).toEqual(['请选择', '新增', '存量']);
    const reasons = form.getByRole('group', { name: /八不准/ });
    expect(await reasons.getByRole('checkbox').count()).toBe(8);
    // sent without the subtype: the form says so beside the field, in Chinese
    await page.getByTestId('action-submit').click();
    await expect
      .poll(() => form.locator('[data-error-for=illegalSubtype]').textContent())
      .toBe('必填');
    await step('03-determine-missing');
    await subtype.selectOption({ label: '新增' });
    await reasons.getByLabel('不准占用永久基本农田建房').check();
    await form.getByLabel('建设年份').fill('2026');
    await form.getByLabel('判定说明').fill('未批先建，耕地上新建住房');
    await step('04-determine-form');
    await submitAndWait('已判定');
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline).toContain('违法类型：新增');
    expect(timeline).toContain('不准占用永久基本农田建房');
    expect(timeline).toContain('判定结果：违法');
    await step('05-determined');
  });

  it('lets the city reviewer return one verdict (退回补正) and accept another', async () => {
    await login('jc.reviewer');
    await openPolygon(returned);
    let form = await openAction('退回补正');
    await page.getByTestId('action-submit').click();
    await expect.poll(() => form.locator('[data-error-for=reason]').textContent()).toBe('必填');
    await form.getByLabel('退回理由').fill('现场照片未反映建筑全貌，请补充后重新判定');
    await step('06-return-form');
    await submitAndWait('退回补正');
    expect(await page.getByTestId('timeline').innerText()).toContain(
      '退回理由：现场照片未反映建筑全貌',
    );
    await step('07-returned');

    await openPolygon(walked);
    form = await openAction('审核通过');
    await form.getByLabel('审核意见').fill('判定准确，同意');
    await submitAndWait('审核通过');
    expect(await page.getByTestId('timeline').innerText()).toContain('审核意见：判定准确，同意');
    await step('08-accepted');
  });

  it('lets the county officer stop, file and decide through the forms', async () => {
    await login('zz.officer');
    await openPolygon(walked);
    let form = await openAction('制止');
    await form.getByLabel('制止方式').selectOption({ label: '现场制止' });
    await form
      .getByRole('group', { name: /制止现场照片/ })
      .getByRole('checkbox')
      .first()
      .check();
    await step('09-stop-form');
    await submitAndWait('已制止');

    form = await openAction('立案');
    await form.getByLabel('立案方式').selectOption({ label: '直接立案' });
    await form.getByLabel('立案号').fill('泽自然资立〔2026〕18号');
    const party = form.getByRole('group', { name: '当事人' });
    await party.getByLabel('类型').selectOption({ label: '个人' });
    await party.getByLabel('姓名或名称').fill('王五');
    await party.getByLabel('身份证号或统一社会信用代码').fill('140525198002023456');
    await party.getByLabel('联系电话').fill('13912345678');
    await step('10-file-form');
    await submitAndWait('已立案');
    // the county officer deals with the parties: their numbers whole
    expect(await page.getByTestId('timeline').innerText()).toContain('140525198002023456');

    form = await openAction('处罚决定');
    await form.getByLabel('行政处罚决定书文号').fill('泽自然资罚〔2026〕18号');
    const measures = form.getByRole('group', { name: '处罚措施' });
    await measures.getByLabel('措施').first().selectOption({ label: '限期拆除' });
    await measures.getByRole('button', { name: '添加措施' }).click();
    await measures.getByLabel('措施').nth(1).selectOption({ label: '罚款' });
    await measures.getByLabel('罚款金额（元）').fill('12000');
    await form.getByLabel('听证').selectOption({ label: '当事人放弃听证' });
    await form.getByLabel('调查报告编号').fill('泽自然资调〔2026〕18号');
    const due = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel('整改期限').fill(due);
    await step('11-decide-form');
    await submitAndWait('已决定');
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline).toContain('限期拆除');
    expect(timeline).toContain('罚款金额（元） 12,000');
    expect(await page.getByTestId('documents').innerText()).toContain('泽自然资罚〔2026〕18号');
    await step('12-decided');
  });

  it('masks the parties’ numbers for the reviewer', async () => {
    await login('jc.reviewer');
    await openPolygon(walked);
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline).not.toContain('140525198002023456');
    expect(timeline).toContain('1405**********3456');
    expect(timeline).toContain('139****5678');
    await step('13-reviewer-masked');
  });

  it('lets the city reviewer push (下发) to a village and its people picked by name', async () => {
    await openPolygon(toPush);
    const form = await openAction('下发');
    expect(await form.innerText()).not.toMatch(/代码|编号/);
    await form.getByTestId('unit-county').selectOption({ label: pushPlaces.county });
    await form.getByTestId('unit-township').selectOption({ label: pushPlaces.township });
    await form.getByTestId('unit-village').selectOption({ label: pushPlaces.village });
    const people = form.getByRole('group', { name: /承办人/ });
    // the people are optional (a push may go to the unit as a whole): no required mark
    expect(await people.locator('legend em.req').count()).toBe(0);
    expect(await form.locator('[data-field=unitCode] em.req').count()).toBe(1);
    if (toPush.jurisdictionCode === '140525111202') {
      // the field chief's village: its chief, by name
      await people.getByLabel('村级田长').check();
    } else {
      await expect.poll(() => people.innerText()).not.toContain('加载中');
    }
    await step('14-push-form');
    await submitAndWait('已下发');
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline).toContain(pushPlaces.village);
    // the unit by name, never its division code
    const push = page.getByTestId('timeline').locator('li[data-action=push]').last();
    expect(await push.innerText()).not.toMatch(/\d{6,12}/);
    await step('15-pushed');
  });

  it('reads the same page in English after the switch, still without codes', async () => {
    await openPolygon(walked);
    await page.click('[data-testid=lang-switch]');
    await page.getByRole('heading', { name: 'Overlay (mu)' }).waitFor();
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline).toContain('Kind of violation: New (this period)');
    expect(timeline).toContain('Demolish');
    // the pre-judgment flags (stored in Chinese by the overlay) in English too
    const flags = await page.getByTestId('flags').innerText();
    expect(flags).toContain('On farmland');
    expect(flags).not.toMatch(/[\u4e00-\u9fff]/);
    await step('16-english');
    await page.click('[data-testid=lang-switch]');
  });

  it('showed no code identifier or raw JSON on any page, and raised no page errors', () => {
    expect(leaks).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
