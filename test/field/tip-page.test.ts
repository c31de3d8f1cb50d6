import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedFixture } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';
import { chromiumPath, CHROMIUM_FLAGS } from '../support/chromium.ts';

/** The public tip page in a real browser: place the tip by clicking the map, send it, get a receipt. */
describe('public tip page (举报)', () => {
  const backend = testBackends()[0];
  const fx = servedFixture(backend);
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    base = await fx.s.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('places the tip where the map is clicked and answers with a receipt', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await page.goto(`${base}/tip`);
    await page.locator('#map path').first().waitFor();
    expect(await page.locator('#map path').count()).toBe(2);
    // click the centre of 泽州县's outline (the fixture county 112–113 E, 35–36 N)
    await page.locator('#map path').first().click();
    const lon = Number(await page.inputValue('#lon'));
    const lat = Number(await page.inputValue('#lat'));
    expect(lon).toBeGreaterThan(112.3);
    expect(lon).toBeLessThan(112.7);
    expect(lat).toBeGreaterThan(35.3);
    expect(lat).toBeLessThan(35.7);
    expect(await page.locator('#pin').count()).toBe(1);
    await page.fill('textarea[name=description]', '村口耕地上正在打地基');
    await page.click('#f button[type=submit]');
    await expect
      .poll(async () => page.textContent('#out'), { timeout: 15_000 })
      .toMatch(/回执码：\S+/);
    const receipt = (await page.textContent('#out'))!.replace(/.*回执码：/, '').trim();
    // Chinese only unless the visitor switches (the apps' language setting)
    expect(await page.textContent('main')).not.toMatch(/Receipt|Description|Send|Anonymous/);
    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/tip-page.png', fullPage: true });
    const status = (await (
      await fetch(`${base}/api/public/tips/${encodeURIComponent(receipt)}`)
    ).json()) as { status: string };
    expect(status.status).toBe('received');
    expect(outside).toEqual([]);
  });
});
