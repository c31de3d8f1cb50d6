import type { Command } from 'commander';
import { Scope } from '../store/scope.ts';
import { withServices } from './services.ts';

/**
 * `gengbao exchange export|import`: 图斑 and their results in the province's field names and
 * codes (the exchange mapping), as Shapefile (GBK DBF with .cpg), GeoPackage or xlsx by the
 * file's extension; and the province's results file read back with a report per row.
 */
export function register(program: Command): void {
  const cmd = program
    .command('exchange')
    .description('卫片执法 exchange with the province: its field names and codes, out and back');
  cmd
    .command('export')
    .description("write the 图斑 and their results in the province's fields (.shp, .gpkg, .xlsx)")
    .requiredOption('--out <file>', 'the file; its extension picks the format')
    .option('--period <yyyy-mm>', 'one monitoring period')
    .option('--unit <code>', 'only the 图斑 of this unit (a code prefix)', '')
    .option('--province <code>', "whose mapping (default: the unit's province)")
    .action(async (opts: { out: string; period?: string; unit: string; province?: string }) => {
      await withServices(async (services) => {
        const files = await services.exchange.write(new Scope(opts.unit), opts.out, {
          period: opts.period,
          province: opts.province ?? (opts.unit.slice(0, 2) || undefined),
        });
        console.log(`exchange → ${files.join(', ')}`);
      });
    });
  cmd
    .command('import <file>')
    .description(
      "read a province's results file through the mapping; prints each row matched or refused",
    )
    .option('--unit <code>', 'only 图斑 of this unit are matched (a code prefix)', '')
    .option('--province <code>', "whose mapping (default: the unit's province)")
    .action(async (file: string, opts: { unit: string; province?: string }) => {
      await withServices(async (services) => {
        const r = await services.exchange.importFile(
          { id: null, role: 'system', scope: new Scope(opts.unit) },
          file,
          {
            province: opts.province ?? (opts.unit.slice(0, 2) || undefined),
          },
        );
        for (const i of r.items)
          console.log(
            `${i.row}\t${i.code ?? '—'}\t${i.outcome === 'matched' ? '匹配 matched' : '拒绝 refused'}\t${i.reason ?? [...(i.differs ?? []).map((d) => `${d.source}: 省 ${String(d.province)} / 本系统 ${String(d.gengbao)}`), ...(i.refusedFields ?? []).map((f) => `${f.field}=${f.value}: ${f.reason}`)].join('; ')}`,
          );
        console.log(
          `rows ${r.rows}, matched ${r.matched}, refused ${r.refused}, differing ${r.differing}; record #${r.eventSeq}`,
        );
      });
    });
}
