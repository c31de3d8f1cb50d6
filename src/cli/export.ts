import type { Command } from 'commander';
import { readFeatures } from '../geo/formats/read.ts';
import { writeFeatures } from '../geo/formats/write.ts';
import { normalizeEncoding } from '../geo/formats/text.ts';

interface ExportOptions {
  in: string;
  out: string;
  crs?: string;
  encoding?: string;
  outEncoding?: string;
  layer?: string;
}

/**
 * `gengbao export`: polygons to GeoJSON, Shapefile (GBK DBF, .cpg, CGCS2000 .prj), GeoPackage,
 * FlatGeobuf, CSV or xlsx. For now from a file (e.g. the output of `gengbao analyze`); the store
 * will feed the same writers.
 */
export function register(program: Command): void {
  program
    .command('export')
    .description(
      'Write polygons with their attributes as GeoJSON, Shapefile (GBK), GeoPackage, FlatGeobuf, CSV or xlsx',
    )
    .requiredOption('--in <file>', 'polygons to export (any format `gengbao analyze` reads)')
    .requiredOption(
      '--out <file>',
      'target; the format follows the extension (.geojson .geojsonl .shp .gpkg .fgb .csv .xlsx)',
    )
    .option('--crs <crs>', 'CRS of the input when it declares none')
    .option('--encoding <enc>', 'DBF text encoding of the input')
    .option('--out-encoding <enc>', 'DBF text encoding of a Shapefile export (default gbk)')
    .option('--layer <name>', 'GeoPackage table / xlsx sheet name')
    .action(async (opts: ExportOptions) => {
      const reader = readFeatures(opts.in, { crs: opts.crs, encoding: opts.encoding });
      const files = await writeFeatures(opts.out, reader, {
        encoding: opts.outEncoding ? normalizeEncoding(opts.outEncoding) : undefined,
        layer: opts.layer,
        now: new Date(),
      });
      const r = reader.report;
      console.log(
        `${r.accepted} features written (${r.repaired} repaired, ${r.rejected} rejected) → ${files.join(', ')}`,
      );
    });
}
