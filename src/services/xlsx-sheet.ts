import ExcelJS from 'exceljs';

/** One column of a register sheet: its Chinese header and how a row gives its cell. */
export interface SheetColumn<T> {
  header: string;
  value(row: T): string | number | null | undefined;
  width?: number;
}

/**
 * An xlsx workbook of one sheet with Chinese headers, for registers and reports that offices
 * file and forward. The creation time is the caller's clock, so the same data gives the same
 * file under a fixed clock.
 */
export async function xlsxSheet<T>(
  title: string,
  columns: readonly SheetColumn<T>[],
  rows: readonly T[],
  now: Date,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = now;
  wb.modified = now;
  const ws = wb.addWorksheet(title.slice(0, 31));
  ws.columns = columns.map((c) => ({
    header: c.header,
    width: c.width ?? Math.max(10, c.header.length * 2 + 4),
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(columns.map((c) => c.value(r) ?? ''));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
