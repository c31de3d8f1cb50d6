import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isGengbaoError } from '../errors.ts';
import { assertImageryAllowed, assertImageryReal, parseImageryAllow } from './imagery-allow.ts';

function refusal(fn: () => unknown): { code: string; field?: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isGengbaoError(e)) return { code: e.code, field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}
describe('parseImageryAllow', () => {
  it('keeps absolute folders normalised and http(s) origins only', () => {
    expect(
      parseImageryAllow(
        ' /data/imagery/../imagery/ , https://tiles.example.cn/cog/x.tif,,http://10.0.0.5:8080 ',
      ),
    ).toEqual({
      folders: ['/data/imagery'],
      origins: ['https://tiles.example.cn', 'http://10.0.0.5:8080'],
    });
    expect(parseImageryAllow(undefined)).toEqual({ folders: [], origins: [] });
  });
  it('refuses a relative folder or another scheme, naming the variable', () => {
    for (const bad of ['imagery', './imagery', 'ftp://files.example.cn', 'file:///data']) {
      expect(
        refusal(() => parseImageryAllow(bad)),
        bad,
      ).toMatchObject({ code: 'bad_input', field: 'GENGBAO_IMAGERY_ALLOW' });
    }
  });
});

describe('assertImageryAllowed (lexical)', () => {
  const allow = parseImageryAllow('/data/imagery,https://tiles.example.cn');
  const ok = (loc: string) =>
    expect(() => assertImageryAllowed(loc, allow, 'payload.before'), loc).not.toThrow();
  const refused = (loc: string) =>
    expect(
      refusal(() => assertImageryAllowed(loc, allow, 'payload.before')),
      loc,
    ).toMatchObject({ code: 'forbidden', field: 'payload.before' });

  it('allows paths inside an allowed folder and URLs of an allowed origin', () => {
    ok('/data/imagery/2026/s2-before.tif');
    ok('/data/imagery');
    ok('/data/imagery/2026/../2025/x.tif');
    ok('https://tiles.example.cn/cog/after.tif?x=1');
    ok('HTTPS://TILES.EXAMPLE.CN/cog/after.tif');
  });

  it('refuses paths outside, lookalike folders and escapes', () => {
    refused('/data/imagery-private/x.tif');
    refused('/data/imagery/../secrets/x.tif');
    refused('/data');
    refused('/etc/passwd');
    refused('imagery/x.tif');
    refused('/data/imagery/x.tif\0.png');
    refused('file:///data/imagery/x.tif');
    refused('C:\\data\\imagery\\x.tif');
  });

  it('refuses lookalike hosts, other ports and schemes, and credentials', () => {
    refused('https://tiles.example.cn.evil.example/x.tif');
    refused('https://tiles.example.cn@evil.example/x.tif');
    refused('https://eviltiles.example.cn/x.tif');
    refused('https://user:pw@tiles.example.cn/x.tif');
    refused('http://tiles.example.cn/x.tif');
    refused('https://tiles.example.cn:8443/x.tif');
    refused('https://169.254.169.254/latest/meta-data');
  });

  it('says the same whatever the location, so a refusal tells nothing of what exists', () => {
    const a = refusal(() => assertImageryAllowed('/etc/passwd', allow, 'f')).message;
    const b = refusal(() => assertImageryAllowed('/no/such/file.tif', allow, 'f')).message;
    const c = refusal(() => assertImageryAllowed('https://10.0.0.1/x', allow, 'f')).message;
    expect(a).toBe(b);
    expect(a).toBe(c);
    expect(a).not.toContain('/etc');
  });
});

describe('assertImageryReal (links followed)', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'gengbao-allow-')));
  const allowed = join(root, 'allowed');
  const outside = join(root, 'outside');
  mkdirSync(join(allowed, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(allowed, 'sub', 'scene.tif'), 'x');
  writeFileSync(join(outside, 'secret.tif'), 'x');
  symlinkSync(join(outside, 'secret.tif'), join(allowed, 'link-out.tif'));
  symlinkSync(outside, join(allowed, 'dir-out'));
  symlinkSync(join(allowed, 'sub', 'scene.tif'), join(allowed, 'link-in.tif'));
  // The allowed folder itself reached through a link: its real path counts.
  symlinkSync(allowed, join(root, 'allowed-link'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const allow = parseImageryAllow(allowed);
  const real = (loc: string, list = allow) => assertImageryReal(loc, list, 'payload.before');
  const refusedReal = async (loc: string) => {
    const e = await real(loc).then(
      () => null,
      (x: unknown) => x,
    );
    expect(isGengbaoError(e) && { code: e.code, field: e.field }, loc).toEqual({
      code: 'forbidden',
      field: 'payload.before',
    });
    return (e as Error).message;
  };

  it('allows a real file inside, and a link that stays inside', async () => {
    await expect(real(join(allowed, 'sub', 'scene.tif'))).resolves.toBeUndefined();
    await expect(real(join(allowed, 'link-in.tif'))).resolves.toBeUndefined();
    await expect(
      real(
        join(root, 'allowed-link', 'sub', 'scene.tif'),
        parseImageryAllow(join(root, 'allowed-link')),
      ),
    ).resolves.toBeUndefined();
  });

  it('refuses links out of the allowed folder, and a missing file with the same words', async () => {
    const linkOut = await refusedReal(join(allowed, 'link-out.tif'));
    const dirOut = await refusedReal(join(allowed, 'dir-out', 'secret.tif'));
    const missing = await refusedReal(join(allowed, 'sub', 'missing.tif'));
    expect(new Set([linkOut, dirOut, missing]).size).toBe(1);
  });
});
