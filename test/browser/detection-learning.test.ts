/**
 * Learning from verdicts in a real browser: the province monitor (sx.monitor) runs detection
 * on the demo imagery pair over the API, dismisses a few of the detected 图斑 as 伪变化, then
 * opens 模型学习 in the office app, starts the learning and sees version 1 in the history.
 * Own server on the demo region in a temporary data directory, Debian's Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/load.ts';
import type { Running } from '../../src/server/start.ts';
import { chromiumPath, CHROMIUM_FLAGS } from '../support/chromium.ts';
import { demoCookie, startDemoServer } from '../support/demo-server.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

describe('learning from verdicts in the office app', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-learning-'));
  let server: Running;
  let browser: Browser;
  let base: string;

  const call = async (
    cookie: string,
    method: string,
    path: string,
    body?: unknown,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read replies freely
  ): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, base } = await startDemoServer(dataDir));
    const cookie = await demoCookie(base, 'sx.monitor');
    const imagery = (await call(cookie, 'GET', '/api/imagery')).body.items as {
      id: number;
      role: string | null;
    }[];
    const before = imagery.find((i) => i.role === 'before')!;
    const after = imagery.find((i) => i.role === 'after')!;
    const submitted = await call(cookie, 'POST', '/api/jobs', {
      type: 'detection.run',
      payload: {
        period: '2026-12',
        beforeImagery: before.id,
        afterImagery: after.id,
        sensor: 's2',
        classifier: 'rules',
        chips: false,
      },
    });
    expect(submitted.status).toBe(202);
    for (;;) {
      const j = (await call(cookie, 'GET', `/api/jobs/${submitted.body.id}`)).body;
      if (j.status === 'failed') throw new Error(JSON.stringify(j.error));
      if (j.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const found = (
      await call(cookie, 'GET', '/api/polygons?period=2026-12&source=detection&limit=50')
    ).body.items as { id: number; version: number }[];
    expect(found.length).toBeGreaterThanOrEqual(4);
    // Six dismissed as 伪变化: the verdicts the learning reads.
    for (const p of found.slice(0, 6)) {
      const r = await call(cookie, 'POST', `/api/polygons/${p.id}/transitions`, {
        action: 'dismiss',
        input: { version: p.version, reason: 'seasonal_crop' },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the province monitor starts a learning and sees the new version in the history', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await page.goto(`${base}/`);
    await page.fill('input[name=username]', 'sx.monitor');
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.locator('header.topbar .who').waitFor();
    await page.click('[data-nav=learning]');
    const screen = page.getByTestId('learning-page');
    await screen.waitFor();
    await expect(screen.getByText('尚无学习版本，检测使用出厂模型').count()).resolves.toBe(1);
    await page.getByTestId('learn-run').click();
    await page.getByTestId('learn-done').waitFor({ timeout: 180_000 });
    const row = page.locator('[data-testid=learn-history] tr[data-version]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const text = await row.first().innerText();
    expect(text).toContain('v1');
    expect(text).toContain('哨兵二号');
    expect(text).toContain('山西省监测员');
    expect(text).toMatch(/6 \(0 \/ 6\)/);
    // No code identifiers on screen.
    expect(await screen.innerText()).not.toMatch(/detection\.learn|s2-model|sensor/);
    await page.screenshot({ path: join(ARTIFACTS, 'detection-learning.png'), fullPage: true });
    await page.close();
  }, 240_000);
});
