/**
 * Every page of both apps, in Chinese, as each demo role, in a real Chromium (issue 20): no
 * visible text may be a code identifier (camelCase or snake_case) or raw JSON. Then three jobs
 * done through the UI alone: the county officer triages a public tip into a 图斑 (outline drawn
 * on the map), the administrator creates a user (the password rules beside the field, a weak
 * password refused in Chinese) and adds a holiday, and an anonymous visitor reads a published
 * case on 执法公示. The tip itself is sent through the public API beforehand: sending it is the
 * tip page's own test (test/field/tip-page.test.ts). Screenshots: test-artifacts/desk-*.png.
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

/** camelCase or snake_case words (code identifiers) and JSON objects in visible text. */
function codesIn(text: string): string[] {
  const camel = text.match(/\b[a-z]+(?:[A-Z][a-z0-9]+)+\b/g) ?? [];
  const snake = text.match(/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g) ?? [];
  const json = text.match(/[{[]\s*"[^"\n]{1,40}"\s*:/g) ?? [];
  return [...camel, ...snake, ...json];
}

/** The office app's pages each role reaches from its navigation (desk tabs by role, desk-page.tsx). */
const OFFICE = ['admin', 'province_monitor', 'city_reviewer', 'county_officer', 'supervisor'];
const ROLES: { username: string; role: string }[] = [
  { username: 'admin', role: 'admin' },
  { username: 'sx.monitor', role: 'province_monitor' },
  { username: 'sx.supervisor', role: 'supervisor' },
  { username: 'jc.reviewer', role: 'city_reviewer' },
  { username: 'zz.officer', role: 'county_officer' },
  { username: 'zz.township', role: 'township_chief' },
  { username: 'zz.village', role: 'village_chief' },
];
function pagesOf(role: string): string[] {
  const pages = ['/', '/queues', '/dashboard'];
  if (role !== 'village_chief') pages.push('/reports');
  if (role !== 'village_chief' && role !== 'township_chief') pages.push('/oversight');
  if (['supervisor', 'province_monitor', 'city_reviewer'].includes(role)) pages.push('/leads');
  if (OFFICE.includes(role))
    pages.push('/desk/tips', '/desk/cameras', '/desk/flags', '/desk/spot-checks', '/desk/settings');
  if (['admin', 'province_monitor', 'city_reviewer', 'county_officer'].includes(role))
    pages.push('/desk/jobs');
  if (role === 'admin') pages.push('/desk/users');
  return pages;
}

describe('every page in Chinese, and the desk’s jobs through the UI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-desk-'));
  let server: Running;
  let browser: Browser;
  let page: Page;
  let base: string;
  const leaks: string[] = [];
  const pageErrors: string[] = [];

  async function shot(name: string) {
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${ARTIFACTS}desk-${name}.png`, fullPage: true });
  }

  /** Waits for the page to settle, then records any code identifier or JSON on it. */
  async function check(where: string, p: Page = page) {
    await p.waitForLoadState('networkidle').catch(() => undefined);
    await p.waitForTimeout(300);
    const text = await p.locator('body').innerText();
    for (const c of codesIn(text)) leaks.push(`${where}: ${c}`);
  }

  async function login(username: string) {
    await page.context().clearCookies();
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出' }).waitFor();
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
    browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows no code identifier or JSON on any office page, for any role', async () => {
    for (const { username, role } of ROLES) {
      await login(username);
      for (const path of pagesOf(role)) {
        await page.goto(`${base}${path}`);
        await page.locator('main').waitFor();
        await check(`${username} ${path}`);
      }
      // one 图斑 page of the role's scope, opened from its first queue
      await page.goto(`${base}/queues/all`);
      const first = page.getByTestId('queue-table').locator('tbody a').first();
      if (await first.isVisible().catch(() => false)) {
        await first.click();
        await page.getByTestId('polygon-page').waitFor();
        await check(`${username} polygon page`);
      }
    }
    await login('sx.supervisor');
    await shot('01-supervisor-map');
    expect(leaks).toEqual([]);
  }, 600_000);

  it('shows the field app in Chinese only, with 已超期 for overdue tasks and the 套合 line in words', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await phone.goto(`${base}/field/`);
    await phone.locator('#username').fill('zz.village');
    await phone.locator('#password').fill(DEMO_PASSWORD);
    await phone.locator('#login').click();
    await phone.locator('#tasks li').first().waitFor();
    const dues = await phone.locator('#tasks .due').allInnerTexts();
    expect(dues.some((d) => /剩 0 天/.test(d))).toBe(false);
    await phone.locator('#tasks li button.download').first().click();
    await expect
      .poll(() => phone.locator('#tasks li button.download').first().innerText())
      .toBe('已下载');
    await check('field tasks', phone);
    await phone.screenshot({ path: `${ARTIFACTS}desk-02-field-tasks.png`, fullPage: true });
    const tasks = await phone.locator('#tasks').innerText();
    expect(tasks).not.toMatch(/Download|Verify|overdue/);
    await phone.locator('#tasks li button.verify').first().click();
    await phone.locator('#verify-form').waitFor();
    const line = await phone.locator('#verify-form p').first().innerText();
    expect(line).not.toMatch(/farmland|pbf/);
    await check('field form', phone);
    await phone.screenshot({ path: `${ARTIFACTS}desk-03-field-form.png`, fullPage: true });
    await phone.close();
    expect(leaks).toEqual([]);
  }, 120_000);

  it('lets the county officer triage a public tip into a 图斑 with an outline drawn on the map', async () => {
    // A tip from the public inside 泽州县, placed at a demo 图斑 of that county.
    const auth = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'zz.officer', password: DEMO_PASSWORD }),
    });
    const cookie = auth.headers.get('set-cookie')!.split(';')[0];
    const some = (await (
      await fetch(`${base}/api/polygons?limit=1`, { headers: { cookie } })
    ).json()) as { items: { bbox: number[] }[] };
    const [x0, y0, x1, y1] = some.items[0].bbox as number[];
    const tip = await fetch(`${base}/api/public/tips`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        lon: (x0 + x1) / 2,
        lat: (y0 + y1) / 2,
        description: '村东头耕地里有人挖地基准备盖房',
        anonymous: true,
      }),
    });
    expect(tip.status).toBe(200);

    await login('zz.officer');
    await page.getByRole('link', { name: '业务管理' }).click();
    await page.getByTestId('tips-desk').waitFor();
    await page.locator('tr[data-lead]').first().click();
    await page.getByTestId('tip-detail').waitFor();
    await page.waitForTimeout(2500); // the map flies to the tip
    await page.getByTestId('triage-draw').click();
    const box = (await page.locator('.lead-map .map canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.click(cx - 30, cy - 30);
    await page.mouse.click(cx + 30, cy - 30);
    await page.mouse.click(cx + 30, cy + 30);
    await page.mouse.dblclick(cx - 30, cy + 30);
    await page.getByTestId('triage-outline').waitFor();
    await page.getByTestId('triage-reason').fill('现场确有施工迹象，受理核查');
    await shot('04-tip-triage');
    await check('tip triage');
    await page.getByTestId('triage-accept').click();
    await page.getByTestId('triage-polygon').click();
    await page.getByTestId('polygon-page').waitFor();
    await expect.poll(() => page.getByTestId('polygon-page').innerText()).toContain('举报线索');
    await shot('05-tip-polygon');
    await check('tip polygon');
    expect(leaks).toEqual([]);
  }, 120_000);

  it('lets the administrator create a user and add a holiday', async () => {
    await login('admin');
    await page.goto(`${base}/desk/users`);
    await page.getByTestId('user-form').waitFor();
    expect(await page.getByTestId('password-rule').innerText()).toContain('至少 10 个字符');
    await page.getByTestId('user-username').fill('zz.newchief');
    await page.getByTestId('user-name').fill('新任村级田长');
    await page.getByTestId('user-password').fill('password123');
    await page.getByTestId('unit-county').selectOption({ label: '泽州县' });
    await page.getByTestId('user-create').click();
    await expect
      .poll(() => page.locator('.user-form .error').first().innerText())
      .toContain('密码不符合要求');
    expect(await page.locator('.user-form .error').first().innerText()).not.toMatch(/Password/);
    await shot('06-user-weak-password');
    await page.getByTestId('user-password').fill('Tian-Zhang-2026!');
    await page.getByTestId('user-create').click();
    await expect.poll(() => page.getByTestId('user-created').innerText()).toContain('zz.newchief');
    await page.locator('tr[data-user="zz.newchief"]').waitFor();
    await shot('07-user-created');
    await check('users');

    await page.getByRole('link', { name: '省级设置' }).click();
    await page.getByTestId('settings-page').waitFor();
    await page.getByTestId('date-input-holidays').fill('2027-01-01');
    await page.getByTestId('date-add-holidays').click();
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-message').innerText()).toContain('已保存');
    await shot('08-holiday-added');
    await check('settings');
    const settings = (await page.evaluate(() => fetch('/api/settings').then((r) => r.json()))) as {
      config: { deadlines: { holidays: string[] } };
    };
    expect(settings.config.deadlines.holidays).toContain('2027-01-01');
    expect(leaks).toEqual([]);
  }, 120_000);

  it('shows an anonymous visitor the published cases on 执法公示', async () => {
    const visitor = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
    });
    await visitor.goto(`${base}/public`);
    await visitor.getByTestId('public-notice').first().waitFor();
    expect(await visitor.getByTestId('public-notice').count()).toBeGreaterThan(0);
    const text = await visitor.getByTestId('public-page').innerText();
    expect(text).toContain('执法公示');
    expect(text).toContain('立案号');
    // personal data masked: the demo party 王某某 never appears whole with an ID number
    expect(text).not.toMatch(/\d{17}[\dX]/);
    await check('public', visitor);
    await visitor.screenshot({ path: `${ARTIFACTS}desk-09-public.png`, fullPage: true });
    await visitor.close();
    expect(leaks).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
