import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { figureProperties } from '../analyze/properties.ts';
import { analyzeFiles, parseLayerArg, type LayerFile } from '../analyze/run-files.ts';
import { GengbaoError } from '../errors.ts';
import { writeFeatures } from '../geo/formats/write.ts';

interface AnalyzeOptions {
  polygons: string;
  out: string;
  layer: LayerFile[];
  jurisdictions?: string;
  earlier?: string;
  crs?: string;
  encoding?: string;
  iou?: string;
  minArea?: string;
  report?: string;
  quiet?: boolean;
}

function number(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n))
    throw new GengbaoError('bad_input', `${field} must be a number, not "${value}"`, { field });
  return n;
}

/** `gengbao analyze`: 套合 of a polygon file against reference layer files, no database needed. */
export function register(program: Command): void {
  program
    .command('analyze')
    .description(
      'Overlay polygons with reference layers (套合): areas in m² and 亩, approvals, flags, jurisdiction, repeats — no database',
    )
    .requiredOption(
      '--polygons <file>',
      'polygons to analyse (Shapefile/zip, GeoJSON, GeoJSON lines, FlatGeobuf, GeoPackage)',
    )
    .requiredOption(
      '--out <file>',
      'result with the figures as columns (.geojson .geojsonl .shp .gpkg .fgb .csv .xlsx)',
    )
    .option(
      '--layer <kind=file>',
      'a reference layer: farmland, pbf, redline, approval, facility, temporary or homestead (repeatable)',
      (v: string, acc: LayerFile[]) => [...acc, parseLayerArg(v)],
      [],
    )
    .option('--jurisdictions <file>', 'county/township/village polygons with code and name columns')
    .option('--earlier <file>', "earlier periods' polygons, to link repeats")
    .option(
      '--crs <crs>',
      'CRS for files that declare none, e.g. EPSG:4527 (a .prj, a GeoJSON crs member or GeoJSON’s own lon/lat wins)',
    )
    .option('--encoding <enc>', 'DBF text encoding when the .cpg is missing or wrong (gbk, utf8)')
    .option('--iou <ratio>', 'IoU from which an earlier polygon is a repeat (default 0.5)')
    .option('--min-area <m2>', 'areas below this many m² raise no flag (default 1)')
    .option('--report <file.json>', 'write the import reports and a summary here')
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: AnalyzeOptions) => {
      if (opts.layer.length === 0 && !opts.jurisdictions && !opts.earlier) {
        throw new GengbaoError(
          'bad_input',
          'give at least one --layer KIND=FILE (or --jurisdictions / --earlier)',
          { field: 'layer' },
        );
      }
      const started = Date.now();
      const tty = process.stderr.isTTY;
      const result = await analyzeFiles({
        polygons: opts.polygons,
        layers: opts.layer,
        jurisdictions: opts.jurisdictions,
        earlier: opts.earlier,
        // Only for files declaring no CRS: the 图斑 GeoJSON keeps its lon/lat when a reference
        // Shapefile without .prj needs --crs.
        read: { defaultCrs: opts.crs, encoding: opts.encoding },
        config: {
          ...(opts.iou !== undefined ? { iouThreshold: number(opts.iou, '--iou') } : {}),
          ...(opts.minArea !== undefined ? { minAreaM2: number(opts.minArea, '--min-area') } : {}),
        },
        onProgress: opts.quiet
          ? undefined
          : (file, n) =>
              process.stderr.write(
                `${tty ? '\r' : ''}${file}: ${n.toLocaleString('en')} features${tty ? '' : '\n'}`,
              ),
      });
      if (!opts.quiet && tty) process.stderr.write('\n');
      const features = result.polygons.map((p, i) => ({
        ...p,
        properties: { ...p.properties, ...figureProperties(result.figures[i]) },
      }));
      const files = await writeFeatures(opts.out, features, { now: new Date() });
      const flagged = result.figures.filter((f) => f.flags.includes('未批占耕')).length;
      const summary = {
        polygons: result.figures.length,
        unapprovedFarmland: flagged,
        seconds: (Date.now() - started) / 1000,
        files,
        warnings: result.warnings,
      };
      if (opts.report)
        await writeFile(
          opts.report,
          JSON.stringify({ summary, reports: result.reports, figures: result.figures }, null, 1),
        );
      for (const r of result.reports) {
        if (r.repaired || r.rejected)
          console.error(
            `${r.file}: ${r.read} read, ${r.repaired} repaired, ${r.rejected} rejected`,
          );
      }
      for (const w of result.warnings) console.error(`警告 warning: ${w}`);
      console.log(
        `${summary.polygons} polygons analysed (${flagged} 未批占耕) in ${summary.seconds.toFixed(1)} s → ${files.join(', ')}` +
          (result.warnings.length
            ? ` — ${result.warnings.length} 个警告 warning(s): check the coordinate systems above`
            : ''),
      );
    });
}
