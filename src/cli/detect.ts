import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import type { DetectProgress } from '../detect/detect.ts';
import type { ClassifierChoice, SensorId } from '../detect/profiles.ts';
import { GengbaoError } from '../errors.ts';
import type { RasterScene } from '../raster/scene-source.ts';

interface DetectCliOptions {
  before: string;
  after: string;
  out: string;
  maskOut?: string;
  sensor: string;
  bands?: string;
  minAreaM2?: string;
  workingResolution?: string;
  beforeOffset?: string;
  afterOffset?: string;
  chipsDir?: string;
  workers?: string;
  simplify?: string;
  classifier?: string;
  progress: boolean;
}

const PHASES: Record<DetectProgress['phase'], string> = {
  sample: 'sampling',
  classify: 'classifying',
  polygonize: 'polygons',
};

/**
 * `gengbao detect`: run the change detector on a before/after pair and write the change
 * polygons (GeoJSON, lon/lat), optionally the binary mask GeoTIFF and PNG evidence chips.
 * Outputs are written to temporary names and renamed only when everything succeeded, so a
 * failed run leaves no partial file behind.
 */
export function register(program: Command): void {
  program
    .command('detect')
    .description('detect farmland turned into buildings, roads or bare earth between two dates')
    .requiredOption(
      '--before <path|url>',
      'before scene: multiband GeoTIFF/COG (path or http(s) URL) or a folder of per-band GeoTIFFs',
    )
    .requiredOption('--after <path|url>', 'after scene, same forms')
    .requiredOption('--out <file>', 'change polygons, GeoJSON FeatureCollection in lon/lat')
    .option(
      '--mask-out <file>',
      "final binary change mask (1 = change) as a GeoTIFF on the before grid (on the working resolution's pixels when the imagery was averaged onto it)",
    )
    .option(
      '--sensor <id>',
      'sensor profile: s2, landsat (TM/ETM+), landsat-oli (8/9), gf (Gaofen-1/2/6, ZY-3: 4-band DNs), rgb (aerial/drone)',
      's2',
    )
    .option(
      '--bands <list>',
      'band names or numbers in the profile role order, e.g. blue,green,red,nir',
    )
    .option('--min-area-m2 <n>', 'minimum mapping unit in m² (default per sensor)')
    .option(
      '--chips-dir <dir>',
      'write before/after PNG chips per polygon into this (new or empty) folder',
    )
    .option(
      '--simplify <px>',
      'simplify outlines by Douglas–Peucker, tolerance in pixels below 0.5 (default: exact pixel edges)',
    )
    .option(
      '--classifier <kind>',
      "rules, learned (a gradient-boosted model: s2 trained on OSCD, held-out F1 0.35 vs the rules' 0.26; rgb on LEVIR-CD, 0.55 vs 0.23; see src/detect/README.md) or auto (the learned model where the scene is within its domain, the rules elsewhere). Default: learned for s2, auto for rgb, rules for the others",
    )
    .option(
      '--working-resolution <m>',
      "ground resolution in metres to classify at: finer imagery is averaged onto it (default per sensor: rgb 0.5, the others their own); 0 = the imagery's own",
    )
    .option(
      '--before-offset <dn>',
      "the before date's radiometric offset in stored units, ESA's BOA_ADD_OFFSET: -1000 for Sentinel-2 from processing baseline 04.00 (January 2022), 0 before; default: what the files declare or the product name implies, else 0",
    )
    .option('--after-offset <dn>', "the after date's, likewise")
    .option('--workers <n>', 'worker threads for classification (default: number of cores)')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (o: DetectCliOptions) => runDetect(o));
}

function parseNumber(v: string | undefined, field: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min)
    throw new GengbaoError(
      'bad_input',
      `--${field} must be a number${min > -Infinity ? ` ≥ ${min}` : ''}, got "${v}"`,
      {
        field,
      },
    );
  return n;
}

async function runDetect(o: DetectCliOptions): Promise<void> {
  // Loaded on use: every `gengbao` command pays start-up for what the CLI imports eagerly.
  const [
    { detectChanges },
    { profileOf, CLASSIFIER_CHOICES },
    { encodeGeoTiff },
    { openScene },
    { placeWindow },
  ] = await Promise.all([
    import('../detect/detect.ts'),
    import('../detect/profiles.ts'),
    import('../raster/geotiff-write.ts'),
    import('../raster/scene-source.ts'),
    import('../raster/grid.ts'),
  ]);
  const profile = profileOf(o.sensor);
  if (o.classifier !== undefined && !CLASSIFIER_CHOICES.includes(o.classifier as ClassifierChoice))
    throw new GengbaoError(
      'bad_input',
      `--classifier must be ${CLASSIFIER_CHOICES.join(', ')}, got "${o.classifier}"`,
      {
        field: 'classifier',
      },
    );
  const shipped = await import('../detect/learned/shipped.ts');
  const choice = o.classifier as ClassifierChoice | undefined;
  const learned = shipped.classifierFor(profile.id, choice);
  const domainGate = shipped.gatedByDomain(profile.id, choice);
  const minAreaM2 = parseNumber(o.minAreaM2, 'min-area-m2', 0);
  const working = parseNumber(o.workingResolution, 'working-resolution', 0);
  const addOffset = {
    before: parseNumber(o.beforeOffset, 'before-offset', -Infinity),
    after: parseNumber(o.afterOffset, 'after-offset', -Infinity),
  };
  const workers = parseNumber(o.workers, 'workers', 0) ?? Math.min(availableParallelism(), 8);
  if (o.chipsDir && existsSync(o.chipsDir) && readdirSync(o.chipsDir).length > 0)
    throw new GengbaoError('bad_input', `--chips-dir ${o.chipsDir} exists and is not empty`, {
      field: 'chips-dir',
    });
  for (const f of [o.out, o.maskOut])
    if (f && !existsSync(dirname(f) || '.'))
      throw new GengbaoError('bad_input', `${f}: its folder does not exist`, { field: 'out' });
  const suffix = `.tmp-${process.pid}`;
  const temps: string[] = [];
  const tmpOf = (f: string): string => {
    temps.push(f + suffix);
    return f + suffix;
  };
  const scenes: RasterScene[] = [];
  const bar =
    o.progress && process.stderr.isTTY !== false
      ? new SingleBar(
          { format: '{phase} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true },
          Presets.shades_classic,
        )
      : undefined;
  let barPhase = '';
  try {
    const before = await openScene(o.before);
    scenes.push(before);
    const after = await openScene(o.after);
    scenes.push(after);
    const outTmp = tmpOf(o.out);
    const fd = openSync(outTmp, 'w');
    const chipsTmp = o.chipsDir ? tmpOf(o.chipsDir.replace(/\/+$/, '')) : undefined;
    if (chipsTmp) mkdirSync(chipsTmp, { recursive: true });
    let first = true;
    let totalMu = 0;
    let result;
    try {
      writeSync(fd, '{"type":"FeatureCollection","features":[\n');
      result = await detectChanges(before, after, {
        sensor: profile.id as SensorId,
        bands: o.bands?.split(',').filter((b) => b.trim() !== ''),
        minAreaM2,
        config: {
          learned,
          domainGate,
          ...(working === undefined ? {} : { workingResolutionM: working > 0 ? working : null }),
        },
        addOffset,
        simplifyPx: parseNumber(o.simplify, 'simplify', 0),
        workers,
        chips: Boolean(chipsTmp),
        onProgress: (p) => {
          if (!bar) return;
          if (barPhase !== p.phase) {
            if (barPhase) bar.stop();
            barPhase = p.phase;
            bar.start(p.total, p.done, { phase: PHASES[p.phase].padEnd(11) });
          } else bar.update(p.done);
        },
        onPolygon: (f, chips) => {
          writeSync(fd, (first ? '' : ',\n') + JSON.stringify(f));
          first = false;
          totalMu += f.properties.area_mu;
          if (chips && chipsTmp) {
            writeFileSync(join(chipsTmp, `${f.properties.id}-before.png`), chips.before);
            writeFileSync(join(chipsTmp, `${f.properties.id}-after.png`), chips.after);
          }
        },
      });
      writeSync(fd, '\n]}\n');
    } finally {
      closeSync(fd);
      bar?.stop();
    }
    if (o.maskOut) {
      const g = result.grid;
      // Classes (1 built, 2 bare) to 1 = change, in place (the mask is not used after this),
      // skipping unchanged stretches four pixels at a time.
      const binary = result.mask;
      const words = new Uint32Array(binary.buffer, binary.byteOffset, binary.length >> 2);
      for (let k = 0; k < words.length; k++)
        if (words[k] !== 0) for (let i = 4 * k; i < 4 * k + 4; i++) binary[i] = binary[i] ? 1 : 0;
      for (let i = words.length * 4; i < binary.length; i++) binary[i] = binary[i] ? 1 : 0;
      const whole = { x0: 0, y0: 0, width: g.width, height: g.height };
      const w = result.window;
      let full = binary;
      if (w.width !== g.width || w.height !== g.height) {
        full = new Uint8Array(g.width * g.height);
        placeWindow(full, whole, binary, w);
      }
      // zlib level 1: a 10980² mask deflated in 0.15 s instead of 0.6 s (level 6) on the main
      // thread, for 1.5 kB per tile with change in it instead of 0.4 kB.
      writeFileSync(
        tmpOf(o.maskOut),
        encodeGeoTiff([full], g, { tiled: true, tileSize: 512, deflate: true, level: 1 }),
      );
      renameSync(o.maskOut + suffix, o.maskOut);
    }
    if (chipsTmp && o.chipsDir) {
      if (existsSync(o.chipsDir)) rmdirSync(o.chipsDir);
      renameSync(chipsTmp, o.chipsDir);
    }
    renameSync(outTmp, o.out);
    for (const note of [
      result.bandGridNote,
      result.resolutionNote,
      result.radiometryNote,
      result.alignmentNote,
      `domain: ${result.domain.note}`,
      result.classifierNote,
    ])
      if (note) process.stderr.write(`note: ${note}\n`);
    const s = result.stats;
    const used = result.model.config.learned;
    const decision = used
      ? `learned classifier (averaged probability > ${used.cut})`
      : `threshold z > ${result.model.threshold.toFixed(2)}`;
    process.stderr.write(
      `${result.features.length} change polygons, ${Math.round(totalMu * 100) / 100} 亩; ${s.changed} of ${s.pixels} px changed, ${s.invalid} px masked (nodata/cloud), ${s.seasonalObjects} seasonal objects (${s.seasonal} px) and ${s.greening} px greening rejected; ${decision}\n`,
    );
  } catch (e) {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
    throw e;
  } finally {
    await Promise.all(scenes.map((s) => s.close()));
  }
}
