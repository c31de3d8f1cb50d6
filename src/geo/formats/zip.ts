import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { GengbaoError } from '../../errors.ts';
import { decodeText, isUtf8 } from './text.ts';

/** Limits that stop a zip bomb before it fills the disk. */
export interface ZipLimits {
  /** Total uncompressed bytes (default 8 GiB: a province's parcels as Shapefile fit). */
  maxTotalBytes: number;
  /** Largest uncompressed / compressed ratio of one entry over 1 MiB (default 200; real vector data rarely passes 20). */
  maxRatio: number;
  /** Most entries (default 10,000). */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 8 * 2 ** 30,
  maxRatio: 200,
  maxEntries: 10_000,
};

function bad(zipPath: string, why: string): GengbaoError {
  return new GengbaoError('bad_input', `${zipPath}: ${why}; nothing was extracted`, {
    field: 'file',
  });
}

/** Entry names: UTF-8 when flagged (or well-formed), else GBK, as Chinese Windows zips store them. */
function entryName(e: yauzl.Entry): string {
  const raw = e.fileNameRaw;
  return (e.generalPurposeBitFlag & 0x800) !== 0 || isUtf8(raw)
    ? raw.toString('utf8')
    : decodeText(raw, 'gbk');
}

/**
 * Extract a zip into `destDir` with yauzl (which also checks that each entry inflates to the
 * size its header declares). The whole central directory is checked first — names that escape
 * the folder, too many entries, too many bytes, a suspicious ratio — so a bad archive is refused
 * before one byte is written. Returns the extracted file paths.
 */
export async function extractZip(
  zipPath: string,
  destDir: string,
  limits: Partial<ZipLimits> = {},
): Promise<string[]> {
  const lim = { ...DEFAULT_ZIP_LIMITS, ...limits };
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, {
      decodeStrings: false,
      validateEntrySizes: true,
      autoClose: false,
    });
  } catch (e) {
    throw bad(zipPath, `not a readable zip (${(e as Error).message})`);
  }
  try {
    const entries: Array<{ entry: yauzl.Entry; name: string }> = [];
    let total = 0;
    const root = resolve(destDir);
    for await (const entry of zip.eachEntry()) {
      const name = entryName(entry);
      const why = yauzl.validateFileName(name);
      if (why !== null || !resolve(root, name).startsWith(root + sep))
        throw bad(
          zipPath,
          `entry "${name}" would be written outside the folder (${why ?? 'path escapes'})`,
        );
      if (entries.length >= lim.maxEntries)
        throw bad(zipPath, `more than ${lim.maxEntries} entries`);
      total += entry.uncompressedSize;
      if (total > lim.maxTotalBytes)
        throw bad(zipPath, `uncompresses to more than ${lim.maxTotalBytes} bytes (zip bomb?)`);
      if (
        entry.uncompressedSize > 2 ** 20 &&
        entry.uncompressedSize > lim.maxRatio * Math.max(1, entry.compressedSize)
      ) {
        throw bad(
          zipPath,
          `entry "${name}" expands ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}× (limit ${lim.maxRatio}×: zip bomb?)`,
        );
      }
      entries.push({ entry, name });
    }
    const out: string[] = [];
    for (const { entry, name } of entries) {
      if (name.endsWith('/')) continue;
      const target = join(root, name);
      await mkdir(dirname(target), { recursive: true });
      try {
        await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target));
      } catch (e) {
        throw bad(zipPath, `entry "${name}" is corrupt (${(e as Error).message})`);
      }
      out.push(target);
    }
    return out;
  } finally {
    zip.close();
  }
}
