import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChainHead } from '../cases/index.ts';
import type { Queryable } from '../store/db.ts';
import { chainHeadOf } from '../store/events.ts';

/** One line of the anchor file: the record's head at a moment. */
export interface Anchor extends ChainHead {
  at: string;
}

const FILE = 'record-anchors.jsonl';

/**
 * Anchors of the record kept OUTSIDE the database, in `<dir>/record-anchors.jsonl`, one JSON
 * line per anchor, appended and fsynced. The hash chain alone proves that no event in the
 * middle was changed; it cannot show that the last events were deleted, or that the whole
 * chain was rewritten with recomputed hashes — someone with write access to the database can
 * do both. A head written elsewhere earlier can: the chain must still hold that seq with that
 * hash. The server appends one a day; copying the folder to other media (a write-once disk,
 * the city's server) makes it stronger still.
 */
export async function writeAnchor(
  q: Queryable,
  dir: string,
  now = new Date(),
): Promise<Anchor | null> {
  const head = await chainHeadOf(q);
  if (head.seq === 0) return null;
  const last = (await readAnchors(dir)).at(-1);
  if (last && last.seq === head.seq && last.hash === head.hash) return last;
  const anchor: Anchor = { seq: head.seq, hash: head.hash, at: now.toISOString() };
  await mkdir(dir, { recursive: true });
  const path = join(dir, FILE);
  await appendFile(path, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
  const fh = await open(path, 'r');
  await fh.sync().finally(() => fh.close());
  return anchor;
}

/** The anchors written so far, oldest first; lines that do not parse are skipped (a torn last line). */
export async function readAnchors(dir: string): Promise<Anchor[]> {
  const text = await readFile(join(dir, FILE), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  const out: Anchor[] = [];
  for (const line of text.split('\n')) {
    try {
      const a = JSON.parse(line) as Anchor;
      if (Number.isInteger(a.seq) && /^[0-9a-f]{64}$/.test(a.hash)) out.push(a);
    } catch {
      // blank or torn line
    }
  }
  return out;
}

/** The anchor that proves most: the highest seq (its hash covers every event before it). */
export function strongestAnchor(anchors: Anchor[]): Anchor | undefined {
  return anchors.reduce<Anchor | undefined>(
    (best, a) => (!best || a.seq > best.seq ? a : best),
    undefined,
  );
}
