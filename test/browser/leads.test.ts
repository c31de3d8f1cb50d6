/**
 * Leads from above in a real browser: a supervisor (sx.supervisor) hands over an inspectorate
 * lead in the office app — document fields, the scanned document, the outline uploaded — and
 * 泽州县's officer (zz.officer) finds it in the county's queue; the oversight page lists it.
 * Own server on the demo region in a temporary data directory, Debian's Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/load.ts';
import type { Running } from '../../src/server/start.ts';
import { chromiumPath, CHROMIUM_FLAGS } from '../support/chromium.ts';
import { demoCookie, startDemoServer } from '../support/demo-server.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('交办函'),
]);

describe('leads from above in the office app', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-leads-'));
  let server: Running;
  let browser: Browser;
  let base: string;
  let outline: { type: 'Polygon'; coordinates: number[][][] };

  async function login(username: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await page.goto(`${base}/`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.locator('header.topbar .who').waitFor();
    return page;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, base } = await startDemoServer(dataDir));
    // A small square in the middle of 河底村委会 (泽州县 大箕镇), from the grid's own box.
    const cookie = await demoCookie(base, 'sx.supervisor');
    const village = (await (
      await fetch(`${base}/api/jurisdictions/140525111202`, { headers: { cookie } })
    ).json()) as { bbox: number[] };
    const [x0, y0, x1, y1] = village.bbox as number[];
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const d = 0.0005;
    outline = {
      type: 'Polygon',
      coordinates: [
        [
          [cx, cy],
          [cx + d, cy],
          [cx + d, cy + d],
          [cx, cy + d],
          [cx, cy],
        ],
      ],
    };
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a supervisor hands over an inspectorate lead; it reaches 泽州县’s queue', async () => {
    const sup = await login('sx.supervisor');
    await sup.click('[data-nav=leads]');
    const form = sup.getByTestId('lead-form');
    await form.waitFor();
    await form.getByLabel('线索来源').selectOption('inspectorate');
    await form.getByLabel('交办文号').fill('国督太交〔2026〕12号');
    await form.getByLabel('交办日期').fill('2026-11-18');
    await form.getByLabel('交办机关').fill('国家自然资源督察太原局');
    await form.getByLabel('线索摘要').fill('群众反映河底村耕地上新建厂房');
    await form
      .getByLabel(/交办文件/)
      .setInputFiles({ name: '交办函.png', mimeType: 'image/png', buffer: PNG });
    await sup.getByTestId('lead-outline-file').setInputFiles({
      name: '范围.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify({ type: 'Feature', properties: {}, geometry: outline })),
    });
    await sup.getByTestId('lead-outline').waitFor();
    await sup.getByTestId('lead-submit').click();
    const done = sup.getByTestId('lead-done');
    await done.waitFor({ timeout: 30_000 });
    // The county by name, never its division code.
    await expect.poll(() => done.innerText()).toMatch(/已进入 泽州县 的工作台/);
    const text = await done.innerText();
    const code = /140525\d{6}DC\d{4}/.exec(text)![0];
    await sup.screenshot({ path: `${ARTIFACTS}lead-handover.png` });
    // No code identifiers on the form: every label is Chinese.
    expect(await form.innerText()).not.toMatch(/inspectorate|docNo|issuingBody/);

    const county = await login('zz.officer');
    await county.goto(`${base}/queues/all?source=inspectorate`);
    await county.getByText(code).first().waitFor({ timeout: 30_000 });
    await county.screenshot({ path: `${ARTIFACTS}lead-in-county-queue.png` });

    await sup.goto(`${base}/oversight/leads`);
    await sup.getByTestId('leads').getByText(code).waitFor();
    await sup.screenshot({ path: `${ARTIFACTS}leads-report.png` });
    await sup.goto(`${base}/oversight/registers`);
    await sup.getByTestId('register-count').waitFor();
    await sup.screenshot({ path: `${ARTIFACTS}registers.png` });
  }, 120_000);
});
