import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { GengbaoError } from '../errors.ts';
import type { ImportReport } from '../geo/formats/read.ts';
import { SYSTEM_ACTOR } from '../services/cases.ts';
import { LAYER_KINDS, type LayerKind } from '../store/reference.ts';
import { Scope } from '../store/scope.ts';
import { progressBar } from './progress.ts';
import { withServices } from './services.ts';

function parseMap(pairs: string[] = []): Record<string, string> {
  return Object.fromEntries(
    pairs.map((p) => {
      const m = /^([^=]+)=(.+)$/.exec(p);
      if (!m)
        throw new GengbaoError(
          'bad_input',
          `--map "${p}" must be TARGET=SOURCE (e.g. DLBM=地类编码)`,
          { field: '--map' },
        );
      return [m[1], m[2]];
    }),
  );
}

function printReport(r: ImportReport): void {
  console.log(
    `read ${r.read}, stored ${r.accepted} (${r.repaired} repaired), rejected ${r.rejected}${r.crs ? `; CRS ${r.crs}` : ''}${r.encoding ? `; encoding ${r.encoding}` : ''}`,
  );
  for (const x of r.rejections.slice(0, 20))
    console.log(
      `  rejected feature ${x.index}${x.id !== undefined ? ` (${x.id})` : ''}: ${x.reason}`,
    );
}

export function register(program: Command): void {
  const imp = program
    .command('import')
    .description('Import reference layers and 图斑 batches into the database (all or nothing)');
  imp
    .command('layer')
    .description(
      'Import a reference layer: Shapefile (loose or .zip; GBK/UTF-8), GeoPackage, GeoJSON, FlatGeobuf',
    )
    .argument('<file>', 'the layer file')
    .requiredOption('-k, --kind <kind>', `one of ${LAYER_KINDS.join(', ')}`)
    .option('-n, --name <name>', 'layer name (default: the file name)')
    .option('-j, --jurisdiction <code>', 'the unit owning the layer (default: the top of the grid)')
    .option('--crs <crs>', 'CRS for a file that declares none (EPSG:4527 or WKT)')
    .option('--encoding <enc>', 'DBF text encoding (default: from .cpg, else detected)')
    .option('--layer <name>', 'GeoPackage table or file inside a zip')
    .option('--map <TARGET=SOURCE...>', 'rename fields, e.g. DLBM=地类编码')
    .action(
      async (
        file: string,
        opts: {
          kind: string;
          name?: string;
          jurisdiction?: string;
          crs?: string;
          encoding?: string;
          layer?: string;
          map?: string[];
        },
      ) => {
        if (!(LAYER_KINDS as readonly string[]).includes(opts.kind))
          throw new GengbaoError('bad_input', `--kind must be one of ${LAYER_KINDS.join(', ')}`, {
            field: '--kind',
          });
        const bar = progressBar('importing');
        await withServices(async ({ imports }) => {
          const r = await imports.layer(Scope.system(), {
            kind: opts.kind as LayerKind,
            path: file,
            name: opts.name,
            jurisdictionCode: opts.jurisdiction ?? (await imports.defaultLayerOwner()),
            read: { crs: opts.crs, encoding: opts.encoding, layer: opts.layer },
            fieldMap: parseMap(opts.map),
            onProgress: (n) => bar.update(n),
            importedBy: `cli (${userInfo().username})`,
          });
          bar.stop();
          console.log(`layer ${r.layerId} (${opts.kind}) imported`);
          printReport(r.report);
          if (r.outsideGrid)
            console.log(
              `  ${r.outsideGrid} features lie outside every village/township/county: assigned to the layer's unit`,
            );
        }).finally(() => bar.stop());
      },
    );
  imp
    .command('polygons')
    .description(
      'Import a batch of 图斑 pushed from above (source batch), keeping their attributes; opens their cases',
    )
    .argument('<file>', 'Shapefile, GeoPackage, GeoJSON or FlatGeobuf')
    .requiredOption('-p, --period <YYYY-MM>', 'monitoring period')
    .option(
      '--code-field <field>',
      'field holding the monitoring id (default: JCBH, TBBH, BSM, code, id)',
    )
    .option('--crs <crs>', 'CRS for a file that declares none')
    .option('--encoding <enc>', 'DBF text encoding')
    .action(
      async (
        file: string,
        opts: { period: string; codeField?: string; crs?: string; encoding?: string },
      ) => {
        await withServices(async ({ imports }) => {
          const r = await imports.polygonBatch(Scope.system(), SYSTEM_ACTOR, {
            path: file,
            period: opts.period,
            codeField: opts.codeField,
            read: { crs: opts.crs, encoding: opts.encoding },
          });
          console.log(`${r.ids.length} 图斑 imported for ${opts.period}`);
          printReport(r.report);
        });
      },
    );
  imp
    .command('imagery')
    .description(
      'Register a scene (GeoTIFF/COG, band folder or URL) for detection and the map; the file is checked first',
    )
    .argument(
      '<location>',
      'a GeoTIFF/COG, a folder of per-band GeoTIFFs (B02.tif …), or an http(s) URL',
    )
    .requiredOption('-d, --date <YYYY-MM-DD>', 'acquisition date')
    .option('-n, --name <name>', 'scene name (default: the file name)')
    .option(
      '-j, --jurisdiction <code>',
      'the unit it belongs to (default: the smallest unit holding the whole scene)',
    )
    .option(
      '--role <before|after>',
      'the date of a detection pair it usually is (the dashboard preselects by it)',
    )
    .option(
      '--offset <dn>',
      "its radiometric offset in stored units, ESA's BOA_ADD_OFFSET (-1000 for Sentinel-2 from processing baseline 04.00), when its files and name do not say it",
    )
    .action(
      async (
        location: string,
        opts: {
          date: string;
          name?: string;
          jurisdiction?: string;
          role?: string;
          offset?: string;
        },
      ) => {
        if (opts.role !== undefined && opts.role !== 'before' && opts.role !== 'after')
          throw new GengbaoError(
            'bad_input',
            `--role must be before or after, got "${opts.role}"`,
            { field: '--role' },
          );
        await withServices(async ({ imagery }) => {
          const img = await imagery.import(Scope.system(), {
            location,
            date: opts.date,
            name: opts.name,
            jurisdictionCode: opts.jurisdiction,
            role: opts.role as 'before' | 'after' | undefined,
            addOffset: opts.offset === undefined ? undefined : Number(opts.offset),
          });
          console.log(
            `imagery ${img.id} "${img.name}" (${img.acquiredOn}) registered under ${img.jurisdictionCode}: ${img.uri}`,
          );
        });
      },
    );
}
