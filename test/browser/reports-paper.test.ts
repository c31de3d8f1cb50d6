/**
 * The bureau's paper in a real browser: the city reviewer (jc.reviewer) chooses a month and
 * 晋城市 on /reports and downloads the workbook, read back with exceljs (the six counties by
 * name, totals equal to the JSON the page previews); 泽州县's officer (zz.officer) issues a
 * 行政处罚决定书 from a decided case's page and finds it listed with its number.
 * Own server on the demo region in a temporary data directory, Debian's Chromium.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/load.ts';
import type { Running } from '../../src/server/start.ts';
import { startDemoServer } from '../support/demo-server.ts';
import { chromiumPath, CHROMIUM_FLAGS } from '../support/chromium.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const COUNTIES = ['城区', '沁水县', '阳城县', '陵川县', '泽州县', '高平市'];

describe('reports and enforcement documents in the office app', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-paper-'));
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

  it('the city reviewer downloads a month’s report of 晋城市 as xlsx', async () => {
    const page = await login('jc.reviewer');
    await page.click('[data-nav=reports]');
    await page.getByTestId('reports-page').waitFor();
    await page.getByTestId('report-kind').selectOption('month');
    await page.getByTestId('report-year').selectOption('2026');
    await page.getByTestId('report-month').selectOption('10');
    await page.getByTestId('report-unit').selectOption('140500');
    await page.getByTestId('report-preview').waitFor();
    const json = (await page.evaluate(async () =>
      (await fetch('/api/reports/statistics/table?period=2026-10&unit=140500')).json(),
    )) as { tables: { columns: { key: string }[]; total: { values: Record<string, number> } }[] };
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('report-xlsx').click(),
    ]);
    expect(download.suggestedFilename()).toBe('晋城市2026年10月卫片执法图斑统计报表.xlsx');
    const path = join(dataDir, 'report.xlsx');
    await download.saveAs(path);
    await page.screenshot({ path: `${ARTIFACTS}reports-page.png` });

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
    const ws = book.worksheets[0];
    const names: string[] = [];
    let total: unknown;
    for (let r = 1; r <= ws.rowCount; r++) {
      const name = ws.getCell(r, 1).value;
      if (typeof name === 'string' && COUNTIES.includes(name)) names.push(name);
      if (name === '合计') total = ws.getCell(r, 3).value;
    }
    expect(names.sort()).toEqual([...COUNTIES].sort());
    expect(total).toBe(json.tables[0].total.values[json.tables[0].columns[0].key]);
    expect(Number(total)).toBeGreaterThan(0);
  }, 120_000);

  it('the county officer issues a 行政处罚决定书 from a decided case’s page', async () => {
    const page = await login('zz.officer');
    const list = (await page.evaluate(async () =>
      (await fetch('/api/polygons?limit=1000')).json(),
    )) as {
      items: { id: number; status: string }[];
    };
    const decided = list.items.find((p) =>
      ['decided', 'enforced', 'rectified', 'rechecked'].includes(p.status),
    );
    expect(decided, 'a decided 泽州县 case in the demo').toBeTruthy();
    await page.goto(`${base}/polygons/${decided!.id}`);
    const paper = page.getByTestId('case-paper');
    await paper.waitFor();
    await paper.locator('[data-document=penalty_decision]').click();
    const item = paper.locator('[data-kind=penalty_decision]');
    await item.waitFor({ timeout: 30_000 });
    expect(await item.innerText()).toMatch(/行政处罚决定书 泽州自然资罚〔\d{4}〕1号/);
    await paper.locator('[data-document=transfer_letter]').click();
    await expect
      .poll(() => paper.getByTestId('document-message').innerText())
      .toContain('尚未移送');
    await paper.screenshot({ path: `${ARTIFACTS}case-paper.png` });
    expect(await paper.getByTestId('dossier-download').getAttribute('href')).toBe(
      `/api/polygons/${decided!.id}/dossier.pdf`,
    );
  }, 120_000);
});
