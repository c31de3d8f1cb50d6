import { GengbaoError } from '../../errors.ts';
import { ByteReader } from './byte-reader.ts';
import {
  decodeText,
  hasHighBytes,
  isUtf8,
  looksLikeGbk,
  mojibakeIn,
  type TextEncoding,
} from './text.ts';

/** One DBF (dBASE III) field descriptor. */
export interface DbfField {
  name: string;
  /** C character, N/F numeric, L logical, D date (YYYYMMDD), others read as null. */
  type: string;
  length: number;
  decimals: number;
}

/** Where the text encoding came from, for the import report. */
export type EncodingSource = 'option' | 'cpg' | 'dbf language driver' | 'detected';

export interface DbfReader {
  fields: DbfField[];
  count: number;
  encoding: TextEncoding;
  encodingSource: EncodingSource;
  /** Next record: its values, or 'deleted' for a record marked deleted, or null at the end. */
  next(): Promise<Record<string, unknown> | 'deleted' | null>;
  close(): Promise<void>;
}

/** Language-driver ids that name the GBK code page (ESRI's table: 0x4D and 0x7A are CP936). */
const GBK_LDIDS = new Set([0x4d, 0x7a]);

/** How many records are sampled to detect or check the encoding before the first is returned. */
const SAMPLE_RECORDS = 2000;

/**
 * Open a DBF for streaming. The encoding is the explicit one (`--encoding` or `.cpg`), else
 * the header's language driver, else detected: well-formed UTF-8 in the sampled records means
 * UTF-8, anything else GBK (Chinese Shapefiles usually carry GBK: docs/DOMAIN.md). A declared
 * encoding that the bytes contradict, and text that is already garbled, are refused — storing
 * mojibake would put wrong names and document numbers into legal records.
 */
export async function openDbf(
  path: string,
  declared?: { encoding: TextEncoding; source: 'option' | 'cpg' },
): Promise<DbfReader> {
  const r = await ByteReader.open(path);
  try {
    const head = await r.readExactly(32, 'DBF header');
    const count = head.readUInt32LE(4);
    const headerLength = head.readUInt16LE(8);
    const recordLength = head.readUInt16LE(10);
    const ldid = head[29];
    const rawFields: Array<{ nameBytes: Buffer; type: string; length: number; decimals: number }> =
      [];
    const rest = await r.readExactly(headerLength - 32, 'DBF field descriptors');
    for (let off = 0; off + 32 <= rest.length && rest[off] !== 0x0d; off += 32) {
      const nameBytes = rest.subarray(off, off + 11);
      const end = nameBytes.indexOf(0);
      rawFields.push({
        nameBytes: nameBytes.subarray(0, end < 0 ? 11 : end),
        type: String.fromCharCode(rest[off + 11]),
        length: rest[off + 16],
        decimals: rest[off + 17],
      });
    }
    const sample: Buffer[] = [];
    for (let i = 0; i < Math.min(count, SAMPLE_RECORDS); i++) {
      const rec = await r.read(recordLength);
      if (rec.length < recordLength) break;
      sample.push(Buffer.from(rec));
    }
    const values = [
      ...sample.flatMap((s) => textOf(s, rawFields)),
      ...rawFields.map((f) => f.nameBytes),
    ];
    const textBytes = Buffer.concat(values);
    // The first value with non-ASCII bytes, to show the user what the text looks like.
    const example = values.find((v) => hasHighBytes(v)) ?? Buffer.alloc(0);
    let encoding: TextEncoding;
    let encodingSource: EncodingSource;
    if (declared) {
      encoding = declared.encoding;
      encodingSource = declared.source;
      checkDeclared(textBytes, example, encoding, declared.source, path);
    } else if (GBK_LDIDS.has(ldid)) {
      encoding = 'gbk';
      encodingSource = 'dbf language driver';
      checkDeclared(textBytes, example, encoding, 'dbf language driver', path);
    } else {
      encodingSource = 'detected';
      if (!hasHighBytes(textBytes) || isUtf8(textBytes)) encoding = 'utf8';
      else if (looksLikeGbk(textBytes)) encoding = 'gbk';
      else {
        throw new GengbaoError(
          'bad_input',
          `${path}: cannot tell the text encoding (neither UTF-8 nor GBK; Latin-1?) and there is no .cpg; add a .cpg or pass the encoding explicitly`,
          { field: 'encoding' },
        );
      }
    }
    const fields: DbfField[] = rawFields.map((f) => ({
      name: decodeText(f.nameBytes, encoding).trim(),
      type: f.type,
      length: f.length,
      decimals: f.decimals,
    }));
    let index = 0;
    const parse = (rec: Buffer): Record<string, unknown> | 'deleted' => {
      const n = index++;
      if (rec[0] === 0x2a) return 'deleted';
      const out: Record<string, unknown> = {};
      let off = 1;
      for (const f of fields) {
        const raw = rec.subarray(off, off + f.length);
        off += f.length;
        out[f.name] = parseValue(
          raw,
          f,
          encoding,
          () => `${path}: record ${n + 1}, field ${f.name}`,
        );
      }
      return out;
    };
    return {
      fields,
      count,
      encoding,
      encodingSource,
      async next() {
        if (index >= count) return null;
        const rec = index < sample.length ? sample[index] : await r.read(recordLength);
        if (rec.length < recordLength || rec[0] === 0x1a) return null;
        return parse(rec);
      },
      close: () => r.close(),
    };
  } catch (e) {
    await r.close();
    throw e;
  }
}

/** The bytes of the character fields of one record, for encoding detection. */
function textOf(rec: Buffer, fields: Array<{ type: string; length: number }>): Buffer[] {
  const parts: Buffer[] = [];
  let off = 1;
  for (const f of fields) {
    if (f.type === 'C') parts.push(rec.subarray(off, off + f.length));
    off += f.length;
  }
  return parts;
}

function checkDeclared(
  bytes: Buffer,
  example: Buffer,
  encoding: TextEncoding,
  source: string,
  path: string,
): void {
  if (!hasHighBytes(bytes)) return;
  const utf8 = isUtf8(bytes);
  if (encoding === 'utf8' && !utf8) {
    throw new GengbaoError(
      'bad_input',
      `${path}: the ${source} says UTF-8 but the text is not UTF-8 (probably GBK: "${decodeText(example, 'gbk').trim().slice(0, 20)}"); fix the .cpg or pass the encoding explicitly`,
      { field: 'encoding' },
    );
  }
  if (encoding !== 'utf8' && utf8) {
    throw new GengbaoError(
      'bad_input',
      `${path}: the ${source} says ${encoding.toUpperCase()} but the text is UTF-8 ("${decodeText(example, 'utf8').trim().slice(0, 20)}"); reading it as ${encoding.toUpperCase()} would store mojibake — fix the .cpg or pass the encoding explicitly`,
      { field: 'encoding' },
    );
  }
}

function parseValue(
  raw: Buffer,
  f: DbfField,
  encoding: TextEncoding,
  where: () => string,
): unknown {
  switch (f.type) {
    case 'C': {
      let end = raw.length;
      while (end > 0 && (raw[end - 1] === 0x20 || raw[end - 1] === 0)) end--;
      // An all-blank character field is null, as GDAL reads it (dBASE has no null marker).
      if (end === 0) return null;
      const text = decodeText(raw.subarray(0, end), encoding);
      const bad = mojibakeIn(text);
      if (bad !== undefined) {
        throw new GengbaoError(
          'bad_input',
          `${where()} holds garbled text ("${bad}"): the file was saved with a wrong encoding; fix the source data`,
          {
            field: 'encoding',
          },
        );
      }
      return text;
    }
    case 'N':
    case 'F': {
      const s = raw.toString('latin1').trim();
      if (s === '' || /^\*+$/.test(s)) return null;
      const v = Number(s);
      return Number.isFinite(v) ? v : null;
    }
    case 'L': {
      const c = raw.toString('latin1').trim().toUpperCase();
      return c === 'T' || c === 'Y' ? true : c === 'F' || c === 'N' ? false : null;
    }
    case 'D': {
      const s = raw.toString('latin1').trim();
      return /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : null;
    }
    default:
      return null;
  }
}
