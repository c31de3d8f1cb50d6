import { availableParallelism } from 'node:os';
import { mergeReports } from '../analyze/run-files.ts';
import type { ImportReport, ReadOptions } from '../geo/formats/read.ts';
import type { Areal } from '../geo/types.ts';
import type { Queryable } from '../store/db.ts';
import { copyReferenceText } from '../store/reference.ts';
import { ThreadPool } from '../threads/pool.ts';
import type { LayerPart, PreparedPart } from './layer-part.ts';

/** Bytes of GeoJSON lines per part: ~60,000 parcels, a COPY of a few seconds. */
const PART_BYTES = 16 << 20;
const PART_MODULE = new URL('./layer-part.ts', import.meta.url);

export interface PartsLoad {
  path: string;
  size: number;
  read?: ReadOptions;
  grid: { code: string; geometry: Areal }[][];
  scopePrefix: string;
  layer: { id: number; kind: string };
  fallbackCode: string;
  fieldMap?: Record<string, string>;
  onProgress?: (features: number) => void;
  /**
   * Preparing threads; default one per core but one, which stays with the COPY: PGlite runs
   * it on this thread (a part of 52,000 parcels took 2.3–4.2 s to COPY against well under a
   * second to prepare, shared 2-core VM). A PostgreSQL server copies in its own process.
   */
  threads?: number;
  /** Bytes per part (tests make it small). */
  partBytes?: number;
}

/**
 * Loads a large GeoJSON-lines layer in byte-range parts: worker threads read, validate, place
 * and measure each part and write its COPY text (layer-part.ts) while this thread COPYs the
 * part before it, so the database and the preparation run at the same time instead of in
 * turn. Parts are copied in file order; at most one more part than threads is held ready.
 * Needs a driver with COPY (`q.copyFrom`).
 */
export async function loadLayerInParts(
  q: Queryable,
  load: PartsLoad,
): Promise<{ rows: number; outsideGrid: number; report: ImportReport }> {
  const threads = load.threads ?? Math.max(1, availableParallelism() - 1);
  const pool = new ThreadPool(threads);
  const parts: [number, number][] = [];
  const step = load.partBytes ?? PART_BYTES;
  for (let at = 0; at < load.size; at += step) parts.push([at, Math.min(load.size, at + step)]);
  const prepare = (byteRange: [number, number]) =>
    pool.run<PreparedPart>(PART_MODULE, 'preparePart', {
      path: load.path,
      byteRange,
      read: load.read,
      grid: load.grid,
      scopePrefix: load.scopePrefix,
      layer: load.layer,
      fallbackCode: load.fallbackCode,
      fieldMap: load.fieldMap,
    } satisfies LayerPart);
  const ahead: Promise<PreparedPart>[] = [];
  const reports: ImportReport[] = [];
  let rows = 0;
  let outsideGrid = 0;
  try {
    let next = 0;
    while (ahead.length < threads + 1 && next < parts.length) ahead.push(prepare(parts[next++]));
    while (ahead.length) {
      const part = await ahead.shift()!;
      if (next < parts.length) ahead.push(prepare(parts[next++]));
      if (part.rows) await copyReferenceText(q, part.text);
      rows += part.rows;
      outsideGrid += part.outsideGrid;
      reports.push(part.report);
      load.onProgress?.(rows);
    }
  } finally {
    // A failed part leaves the others running: let them settle before the threads go.
    await Promise.allSettled(ahead);
    await pool.close();
  }
  return { rows, outsideGrid, report: mergeReports(reports) };
}
