import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { GengbaoError } from '../errors.ts';
import type { ReportFormat } from '../services/reports.ts';
import { Scope } from '../store/scope.ts';
import { withServices } from './services.ts';

interface ReportOptions {
  period: string;
  unit: string;
  format?: string;
  out: string;
}

/**
 * `gengbao report`: the statistical report (统计报表) of a unit and period as xlsx or PDF, for
 * the operator of the installation (the whole store: no jurisdiction limits it).
 */
export function register(program: Command): void {
  program
    .command('report')
    .description(
      '统计报表: a unit’s 图斑 for a month, quarter or year, a row per unit one level down, as xlsx or PDF',
    )
    .requiredOption('--period <period>', 'a month 2026-11, a quarter 2026-Q4 or a year 2026')
    .requiredOption('--unit <code>', 'the province, city, county or township, e.g. 140500')
    .option('--format <xlsx|pdf>', 'the file format (default: the extension of --out)')
    .requiredOption('--out <file>', 'where to write the report')
    .action(async (opts: ReportOptions) => {
      const format = (opts.format ?? extname(opts.out).slice(1)).toLowerCase();
      if (format !== 'xlsx' && format !== 'pdf')
        throw new GengbaoError('bad_input', `--format is xlsx or pdf, got "${format}"`, {
          field: '--format',
        });
      await withServices(async (services) => {
        const f = await services.reports.statisticsFile(
          Scope.system(),
          opts.period,
          opts.unit,
          format as ReportFormat,
        );
        await writeFile(opts.out, f.bytes);
        console.log(
          `${f.chineseName.replace(/\.\w+$/, '')} → ${opts.out} (${f.bytes.length} bytes)`,
        );
      });
    });
}
