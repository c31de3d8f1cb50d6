import { GengbaoError } from '../../errors.ts';
import type { Feature } from '../types.ts';
import { asText, type FieldSpec } from './schema.ts';
import { encodeText, type TextEncoding } from './text.ts';

/** A DBF column as written: name bytes in the file's encoding, dBASE type, width, decimals. */
interface DbfColumn {
  spec: FieldSpec;
  name: Buffer;
  type: 'C' | 'N' | 'L';
  length: number;
  decimals: number;
}

/** Decimals kept for real columns: 亩 need 2, coordinates and ratios 6 are plenty. */
const REAL_DECIMALS = 6;

/**
 * DBF (dBASE III) columns for `fields`: names cut to 10 bytes in the target encoding (the
 * format's limit; a Chinese name is 2 bytes a character in GBK) and made unique; character
 * widths from the longest encoded value (≤ 254).
 */
export function dbfColumns(
  fields: FieldSpec[],
  features: Feature[],
  encoding: TextEncoding,
): DbfColumn[] {
  const used = new Set<string>();
  return fields.map((spec) => {
    let name = cutBytes(spec.name, 10, encoding);
    for (let k = 1; used.has(name.toString('latin1').toUpperCase()); k++)
      name = Buffer.concat([
        cutBytes(spec.name, 10 - String(k).length - 1, encoding),
        Buffer.from(`_${k}`),
      ]);
    used.add(name.toString('latin1').toUpperCase());
    if (spec.type === 'integer') return { spec, name, type: 'N', length: 18, decimals: 0 };
    if (spec.type === 'real') return { spec, name, type: 'N', length: 24, decimals: REAL_DECIMALS };
    if (spec.type === 'boolean') return { spec, name, type: 'L', length: 1, decimals: 0 };
    let width = 1;
    for (const f of features) {
      const t = asText(f.properties?.[spec.name]);
      if (t !== null) width = Math.max(width, encodeText(t, encoding).length);
    }
    if (width > 254)
      throw new GengbaoError(
        'bad_input',
        `field ${spec.name} has values longer than 254 bytes, the DBF limit; export to GeoPackage instead`,
        { field: spec.name },
      );
    return { spec, name, type: 'C', length: width, decimals: 0 };
  });
}

/** The longest prefix of `s` whose encoding fits in `max` bytes (never splitting a character). */
function cutBytes(s: string, max: number, encoding: TextEncoding): Buffer {
  let out = Buffer.alloc(0);
  for (const ch of s) {
    const next = Buffer.concat([out, encodeText(ch, encoding)]);
    if (next.length > max) break;
    out = next;
  }
  return out;
}

/** DBF language-driver id written in the header: 0x4D = GBK (CP936), 0 for others (the .cpg says it). */
function ldid(encoding: TextEncoding): number {
  return encoding === 'gbk' ? 0x4d : 0;
}

/** Header and field descriptors for `count` records. */
export function dbfHeader(
  columns: DbfColumn[],
  count: number,
  encoding: TextEncoding,
  now: Date,
): Buffer {
  const headerLength = 32 + columns.length * 32 + 1;
  const recordLength = 1 + columns.reduce((s, c) => s + c.length, 0);
  const b = Buffer.alloc(headerLength);
  b[0] = 0x03;
  b[1] = now.getUTCFullYear() - 1900;
  b[2] = now.getUTCMonth() + 1;
  b[3] = now.getUTCDate();
  b.writeUInt32LE(count, 4);
  b.writeUInt16LE(headerLength, 8);
  b.writeUInt16LE(recordLength, 10);
  b[29] = ldid(encoding);
  columns.forEach((c, i) => {
    const o = 32 + i * 32;
    c.name.copy(b, o);
    b[o + 11] = c.type.charCodeAt(0);
    b[o + 16] = c.length;
    b[o + 17] = c.decimals;
  });
  b[headerLength - 1] = 0x0d;
  return b;
}

/** One record: deletion flag, then each value padded to its width. */
export function dbfRecord(
  columns: DbfColumn[],
  props: Record<string, unknown>,
  encoding: TextEncoding,
): Buffer {
  const b = Buffer.alloc(1 + columns.reduce((s, c) => s + c.length, 0), 0x20);
  let o = 1;
  for (const c of columns) {
    const v = props[c.spec.name];
    if (v !== null && v !== undefined) {
      let bytes: Buffer;
      if (c.type === 'C') bytes = encodeText(asText(v)!, encoding);
      else if (c.type === 'L') bytes = Buffer.from(v ? 'T' : 'F');
      else {
        const n = Number(v);
        const text = Number.isFinite(n) ? n.toFixed(c.decimals) : '';
        if (text.length > c.length)
          throw new GengbaoError(
            'bad_input',
            `value ${text} of ${c.spec.name} does not fit a DBF number`,
            { field: c.spec.name },
          );
        bytes = Buffer.from(text.padStart(c.length, ' '), 'latin1');
      }
      bytes.copy(b, o, 0, Math.min(bytes.length, c.length));
    }
    o += c.length;
  }
  return b;
}
