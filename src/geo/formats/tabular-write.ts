import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Feature } from '../types.ts';
import { toWkt } from '../wkt.ts';
import { asText, type FieldSpec } from './schema.ts';

function cell(v: unknown, type: FieldSpec['type']): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (type === 'integer' || type === 'real') return Number(v);
  if (type === 'boolean') return Boolean(v);
  return asText(v);
}

/** RFC 4180 quoting. */
function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV in UTF-8 with a byte-order mark (so Excel shows Chinese correctly) and the geometry as
 * a `WKT` column, which GDAL and QGIS read as the geometry.
 */
export async function writeCsv(
  path: string,
  features: Feature[],
  fields: FieldSpec[],
): Promise<string[]> {
  const lines = [[...fields.map((f) => f.name), 'WKT'].map(csvField).join(',')];
  for (const f of features) {
    lines.push(
      [
        ...fields.map((fd) => csvField(cell(f.properties?.[fd.name], fd.type))),
        csvField(f.geometry ? toWkt(f.geometry as never) : null),
      ].join(','),
    );
  }
  await writeFile(path, '\uFEFF' + lines.join('\r\n') + '\r\n');
  return [path];
}

/** An xlsx workbook with one sheet of attributes (one row per feature), by exceljs. */
export async function writeXlsx(
  path: string,
  features: Feature[],
  fields: FieldSpec[],
  opts: { sheet?: string; now?: Date } = {},
): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  wb.created = opts.now ?? new Date(0);
  wb.modified = wb.created;
  const ws = wb.addWorksheet(opts.sheet ?? '图斑');
  ws.addRow(fields.map((f) => f.name));
  ws.getRow(1).font = { bold: true };
  for (const f of features) ws.addRow(fields.map((fd) => cell(f.properties?.[fd.name], fd.type)));
  await wb.xlsx.writeFile(path);
  return [path];
}
