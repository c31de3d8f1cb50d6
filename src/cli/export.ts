import type { Command } from 'commander';
import { GengbaoError } from '../errors.ts';
import { readFeatures } from '../geo/formats/read.ts';
import type { Feature } from '../geo/types.ts';
import { Scope } from '../store/scope.ts';
import { writeFeatures } from '../geo/formats/write.ts';
import { normalizeEncoding } from '../geo/formats/text.ts';
import { withServices } from './services.ts';

interface ExportOptions {
  in?: string;
  period?: string;
  jurisdiction?: string;
  status?: string;
  out: string;
  crs?: string;
  encoding?: string;
  outEncoding?: string;
  layer?: string;
}

/**
 * `gengbao export`: polygons to GeoJSON, Shapefile (GBK DBF, .cpg, CGCS2000 .prj), GeoPackage,
 * FlatGeobuf, CSV or xlsx — from a file (e.g. the output of `gengbao analyze`) or from the
 * store (a period's 图斑 with their figures); the same writers serve both.
 */
export function register(program: Command): void {
  program
    .command('export')
    .description(
      'Write polygons with their attributes as GeoJSON, Shapefile (GBK), GeoPackage, FlatGeobuf, CSV or xlsx',
    )
    .option('--in <file>', 'polygons to export from a file (any format `gengbao analyze` reads) …')
    .option('--period <YYYY-MM>', '… or the stored 图斑 of a monitoring period, with their figures')
    .option('--jurisdiction <code>', 'with --period: only under this jurisdiction code')
    .option('--status <status>', 'with --period: only in this lifecycle status')
    .requiredOption(
      '--out <file>',
      'target; the format follows the extension (.geojson .geojsonl .shp .gpkg .fgb .csv .xlsx)',
    )
    .option('--crs <crs>', 'CRS of the input when it declares none')
    .option('--encoding <enc>', 'DBF text encoding of the input')
    .option('--out-encoding <enc>', 'DBF text encoding of a Shapefile export (default gbk)')
    .option('--layer <name>', 'GeoPackage table / xlsx sheet name')
    .action(async (opts: ExportOptions) => {
      if (!opts.in === !opts.period)
        throw new GengbaoError('bad_input', 'give either --in FILE or --period YYYY-MM', {
          field: '--in',
        });
      const writeOpts = {
        encoding: opts.outEncoding ? normalizeEncoding(opts.outEncoding) : undefined,
        layer: opts.layer,
        now: new Date(),
      };
      if (opts.in) {
        const reader = readFeatures(opts.in, { crs: opts.crs, encoding: opts.encoding });
        const files = await writeFeatures(opts.out, reader, writeOpts);
        const r = reader.report;
        console.log(
          `${r.accepted} features written (${r.repaired} repaired, ${r.rejected} rejected) → ${files.join(', ')}`,
        );
        return;
      }
      await withServices(async (services) => {
        let n = 0;
        const counted = async function* (src: AsyncIterable<Feature>) {
          for await (const f of src) {
            n++;
            yield f;
          }
        };
        const features = counted(
          services.exports.polygonFeatures(Scope.system(), {
            period: opts.period,
            jurisdictionCode: opts.jurisdiction,
            status: opts.status,
          }),
        );
        const files = await writeFeatures(opts.out, features, writeOpts);
        console.log(`${n} 图斑 of ${opts.period} written → ${files.join(', ')}`);
      });
    });
}
