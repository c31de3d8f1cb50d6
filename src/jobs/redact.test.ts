import { describe, expect, it } from 'vitest';
import { redactPaths } from './redact.ts';

describe('redactPaths', () => {
  it('keeps the last part of absolute paths only', () => {
    expect(redactPaths('/srv/gengbao/data/imagery/corrupt.tif: not a TIFF')).toBe(
      '…/corrupt.tif: not a TIFF',
    );
    expect(redactPaths("ENOENT: no such file or directory, open '/etc/shadow'")).toBe(
      "ENOENT: no such file or directory, open '…/shadow'",
    );
    expect(redactPaths('cannot read C:\\data\\scenes\\a.tif')).toBe('cannot read …\\a.tif');
  });
  it('leaves URLs, periods and plain words alone', () => {
    const s = 'https://tiles.example.cn/a/b.tif: 404; period 2026/11; ratio 1/2';
    expect(redactPaths(s)).toBe(s);
  });
});
