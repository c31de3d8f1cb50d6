import { GengbaoError } from '../errors.ts';
import { prefixAt } from '../grid/index.ts';
import { parseReportPeriod } from '../reports/period.ts';
import { statisticalReportPdf } from '../reports/statistics-pdf.ts';
import { childLevelOf, statisticalReport, type StatisticalReport } from '../reports/statistics.ts';
import { statisticalReportXlsx } from '../reports/xlsx.ts';
import type { Db } from '../store/db.ts';
import { getJurisdiction, jurisdictionLevel, listJurisdictions } from '../store/jurisdictions.ts';
import { casesOfPeriods } from '../store/report-data.ts';
import type { Scope } from '../store/scope.ts';
import { oversightConfigs } from './oversight-config.ts';

export const REPORT_FORMATS = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;
export type ReportFormat = keyof typeof REPORT_FORMATS;

/** A report file ready to send: an ASCII name, a Chinese one for the download, the bytes. */
export interface ReportFile {
  name: string;
  chineseName: string;
  mediaType: string;
  bytes: Buffer;
}

/**
 * Statistical reports (统计报表) of a unit and period, read in the caller's scope: a unit
 * outside it is refused (forbidden_jurisdiction), not hidden, since unit codes are public.
 */
export class ReportService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The report's table (src/reports), for the API's JSON and the files alike. */
  async statistics(scope: Scope, periodText: string, unitCode: string): Promise<StatisticalReport> {
    const period = parseReportPeriod(periodText);
    const level = await jurisdictionLevel(this.db, unitCode);
    if (!level)
      throw new GengbaoError('not_found', `no jurisdiction ${unitCode}`, { field: 'unit' });
    const prefix = prefixAt(unitCode, level);
    if (!prefix.startsWith(scope.prefix))
      throw new GengbaoError(
        'forbidden_jurisdiction',
        `unit ${unitCode} is outside your jurisdiction (${scope.prefix || 'all'})`,
        { field: 'unit' },
      );
    const childLevel = childLevelOf(level);
    if (!childLevel || level === 'nation')
      throw new GengbaoError(
        'bad_input',
        `a report is made for a province, city, county or township, not a ${level}`,
        { field: 'unit' },
      );
    const [unit, children, rows, configOf] = await Promise.all([
      getJurisdiction(this.db, scope, unitCode),
      listJurisdictions(this.db, scope, { level: childLevel, parentCode: unitCode }),
      casesOfPeriods(this.db, scope, prefix, period.months),
      oversightConfigs(this.db, period.year),
    ]);
    if (!unit)
      throw new GengbaoError('not_found', `no jurisdiction ${unitCode}`, { field: 'unit' });
    const now = this.now();
    return statisticalReport(
      {
        unit: { code: unit.code, name: unit.name, level },
        children: [...children]
          .sort((a, b) => a.code.localeCompare(b.code))
          .map((c) => ({ code: c.code, name: c.name })),
        childLevel,
        period,
        cases: rows,
        now,
        configOf,
      },
      now,
    );
  }

  /** The report as an xlsx workbook or a PDF. */
  async statisticsFile(
    scope: Scope,
    periodText: string,
    unitCode: string,
    format: ReportFormat,
  ): Promise<ReportFile> {
    const r = await this.statistics(scope, periodText, unitCode);
    const bytes =
      format === 'xlsx' ? await statisticalReportXlsx(r) : await statisticalReportPdf(r);
    return {
      name: `report-${r.unit.code}-${r.period.code}.${format}`,
      chineseName: `${r.title}.${format}`,
      mediaType: REPORT_FORMATS[format],
      bytes,
    };
  }
}
