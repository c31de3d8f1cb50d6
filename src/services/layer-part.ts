/**
 * Thread side of a large layer import (layer-load.ts): reads one byte range of a GeoJSON-lines
 * file, validates and repairs each feature, places it in its grid cell, measures it and writes
 * the rows as COPY text — everything of an import but the COPY itself, which the main thread
 * runs while the next part is prepared here.
 */
import { readFeatures, type ImportReport, type ReadOptions } from '../geo/formats/read.ts';
import type { Areal } from '../geo/types.ts';
import { GridLocator, locateIn } from '../grid/index.ts';
import { copyText, type CopyValue } from '../store/copy.ts';
import { referenceCopyRow } from '../store/reference.ts';
import { mapFields } from './field-map.ts';

export interface LayerPart {
  path: string;
  byteRange: [number, number];
  read?: ReadOptions;
  /** The grid's cells by level, finest first (what gridOf's locators are built from). */
  grid: { code: string; geometry: Areal }[][];
  /** The caller's scope prefix: every placed feature must lie under it. */
  scopePrefix: string;
  layer: { id: number; kind: string };
  /** The unit of features outside the grid (the layer's owner, checked against the scope). */
  fallbackCode: string;
  fieldMap?: Record<string, string>;
}

export interface PreparedPart {
  text: string;
  rows: number;
  outsideGrid: number;
  report: ImportReport;
}

export async function preparePart(p: LayerPart): Promise<PreparedPart> {
  const grid = p.grid.map((cells) => new GridLocator(cells));
  const reader = readFeatures(p.path, { ...p.read, byteRange: p.byteRange });
  const rows: CopyValue[][] = [];
  let outsideGrid = 0;
  for await (const batch of reader.batches()) {
    for (const f of batch) {
      let code = locateIn(grid, f.geometry);
      if (!code) {
        outsideGrid++;
        code = p.fallbackCode;
      }
      if (!code.startsWith(p.scopePrefix))
        throw new Error(`a feature placed in ${code}, outside the scope ${p.scopePrefix}`);
      rows.push(
        referenceCopyRow(p.layer, {
          jurisdictionCode: code,
          geometry: f.geometry,
          properties: mapFields(f.properties ?? {}, p.fieldMap),
        }),
      );
    }
  }
  return { text: copyText(rows), rows: rows.length, outsideGrid, report: reader.report };
}
