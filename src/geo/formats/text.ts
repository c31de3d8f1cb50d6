import iconv from 'iconv-lite';
import { GengbaoError } from '../../errors.ts';

/** Text encodings Gengbao reads and writes in attribute tables. */
export type TextEncoding = 'utf8' | 'gbk' | 'latin1';

/**
 * The encoding named by a `.cpg` file or a user option. ArcGIS writes code-page numbers
 * ("936", "ANSI 936"), QGIS and GDAL names ("GBK", "UTF-8", "System").
 */
export function normalizeEncoding(name: string): TextEncoding {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/^ansi\s*/, '')
    .replace(/[-_\s]/g, '');
  if (['utf8', '65001'].includes(n)) return 'utf8';
  if (['gbk', 'gb2312', 'gb18030', 'cp936', '936', 'euccn'].includes(n)) return 'gbk';
  if (['latin1', 'iso88591', '1252', 'cp1252', 'windows1252', '88591'].includes(n)) return 'latin1';
  throw new GengbaoError(
    'unsupported',
    `text encoding "${name.trim()}" is not supported (UTF-8, GBK or Latin-1)`,
    { field: 'encoding' },
  );
}

/** Whether `bytes` is well-formed UTF-8 (TextDecoder with fatal: true is the WHATWG decoder). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Whether `bytes` has any byte ≥ 0x80 (plain ASCII decodes the same in every encoding). */
export function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return true;
  return false;
}

export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  if (encoding === 'utf8') return new TextDecoder('utf-8').decode(bytes);
  return iconv.decode(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    encoding === 'gbk' ? 'gb18030' : 'latin1',
  );
}

export function encodeText(text: string, encoding: TextEncoding): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  return iconv.encode(text, encoding === 'gbk' ? 'gbk' : 'latin1');
}

/**
 * Whether bytes read as GBK Chinese: every high byte starts a valid GBK pair (lead 0x81–0xFE,
 * trail 0x40–0xFE but 0x7F) and most pairs lie in the GB2312 block (both bytes ≥ 0xA1), where
 * all common hanzi and Chinese punctuation are. Latin-1 text ("Bøg", "2.000m²") puts accented
 * letters before ASCII and fails the second test, so it is not mistaken for Chinese.
 */
export function looksLikeGbk(bytes: Uint8Array): boolean {
  let pairs = 0;
  let gb2312 = 0;
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i];
    if (lead < 0x80) continue;
    const trail = bytes[i + 1];
    if (
      lead === 0x80 ||
      lead === 0xff ||
      trail === undefined ||
      trail < 0x40 ||
      trail === 0x7f ||
      trail === 0xff
    )
      return false;
    pairs++;
    if (lead >= 0xa1 && trail >= 0xa1) gb2312++;
    i++;
  }
  return pairs > 0 && gb2312 >= 0.8 * pairs;
}

/**
 * Signs that text was already garbled before it reached us: U+FFFD replacement characters,
 * "锟斤拷" (U+FFFD's UTF-8 bytes read as GBK, the best-known Chinese mojibake), C1 control
 * characters, private-use code points, and pairs like "Ã¤" / "å¹" (UTF-8 read as Latin-1).
 * Returns the offending fragment, or undefined when the text looks clean.
 */
export function mojibakeIn(text: string): string | undefined {
  const m =
    /\uFFFD|锟斤拷|烫烫烫|屯屯屯|[\u0080-\u009F]|[\uE000-\uF8FF]|[\u00C2-\u00EF][\u0080-\u00BF\u2018-\u203A\u0152-\u0178]/.exec(
      text,
    );
  return m ? text.slice(Math.max(0, m.index - 4), m.index + 6) : undefined;
}
