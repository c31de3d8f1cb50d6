import { GengbaoError } from '../errors.ts';
import { toLonLat } from '../raster/crs.ts';
import { MAX_SIMPLIFY_PX } from '../raster/simplify.ts';
import { pixelAreaM2, type PixelWindow, type RasterGrid } from '../raster/grid.ts';
import { componentRaster, runsByComponent } from '../raster/runs.ts';
import type { RasterScene } from '../raster/scene-source.ts';
import { fitChangeModel } from './calibrate.ts';
import type { WorkerSetup } from './classify-worker.ts';
import type { ClassifyPool } from './worker-pool.ts';
import { classifyPairInto, readPairInput } from './classify-pair.ts';
import { interleavedApplies } from './classify-interleaved.ts';
import { learnedHalo } from './learned/classify-learned.ts';
import { checkLearnedFits, sceneStats } from './learned/features.ts';
import { classifierFor } from './learned/shipped.ts';
import { toWorkingResolution } from './working-resolution.ts';
import {
  baselineHint,
  inAfterUnits,
  offsetAlreadyRemoved,
  radiometryNote,
  resolveRadiometry,
  type AddOffsets,
  type DateRadiometry,
} from './radiometry.ts';
import { maskBandsOf, validOnBothDates } from './masks.ts';
import { changeObjects, finalClasses } from './objects.ts';
import { readPairWindow, scenePair, type PairWindow, type ScenePair } from './pair-reader.ts';
import { renderChips, type Chips } from './chips.ts';
import type { ClassifyTarget } from './target.ts';
import type { Stretch } from '../raster/png.ts';
import { quantile } from '../raster/threshold.ts';
import { componentFeature, type ChangeFeature } from './polygons.ts';
import {
  profileOf,
  resolveBands,
  type DetectConfig,
  type Role,
  type SensorId,
} from './profiles.ts';
import type { PairSample, WindowCounts, PairRadiometry, MaskBands, ChangeModel } from './types.ts';

export interface DetectProgress {
  phase: 'sample' | 'classify' | 'polygonize';
  done: number;
  total: number;
}

export interface DetectOptions {
  /** Sensor profile (band mapping and configuration); default s2. */
  sensor?: SensorId;
  /** Band names/numbers in the profile's role order (e.g. blue,green,red,nir). */
  bands?: string[];
  /** Overrides of the sensor configuration (configuration is data: a job or config file may set it). */
  config?: Partial<DetectConfig>;
  /**
   * Each date's additive radiometric offset in stored units, ESA's BOA_ADD_OFFSET /
   * RADIO_ADD_OFFSET (−1000 for Sentinel-2 from processing baseline 04.00): given, it overrides
   * what the files declare or their product names imply (radiometry.ts).
   */
  addOffset?: AddOffsets;
  /** Minimum mapping unit in m²; default from the sensor profile. */
  minAreaM2?: number;
  /**
   * Classify windows on this many worker threads (0 = on this thread). Workers reopen the
   * scenes by `location`, so in-memory scenes are always classified on this thread.
   */
  workers?: number;
  /** Douglas–Peucker tolerance in pixels (< 0.5, topology kept; 0 = exact pixel-edge outlines, the default). */
  simplifyPx?: number;
  /** Rows per window; default 256. */
  windowRows?: number;
  /**
   * Columns per window of a striped scene; default the whole width, or LEARNED_COLUMNS with
   * the learned classifier (whose feature planes take about 200 bytes per pixel).
   */
  windowColumns?: number;
  /**
   * Pixels sampled to fit the model; default 2^18 (ample for a few parameters per band), or
   * LEARNED_SAMPLE with the learned classifier.
   */
  sampleSize?: number;
  onProgress?: (p: DetectProgress) => void;
  /** Called for every polygon as soon as it is traced (stream them to a store or a file). */
  onPolygon?: (f: ChangeFeature, chips?: Chips) => void | Promise<void>;
  /** Render before/after PNG evidence chips for every polygon (passed to `onPolygon`). */
  chips?: boolean;
}

export interface DetectResult {
  /** The before grid (on the working resolution's pixels when averaged) and the processed window of it. */
  grid: RasterGrid;
  window: PixelWindow;
  /** Set when the grids differ: how after was put on the before grid. */
  alignmentNote?: string;
  /**
   * Set when the imagery was averaged onto the configuration's working resolution (then `grid`
   * is the before grid on those larger pixels), or is coarser than it (working-resolution.ts).
   */
  resolutionNote?: string;
  /**
   * Set when a date's values were not read at the profile's plain reflectance scale (an offset
   * given, declared or implied by a Sentinel-2 product name), or when the pair looks like one
   * across Sentinel-2's processing baseline 04.00 and nothing was said (radiometry.ts).
   */
  radiometryNote?: string;
  /** Final change classes over `window` (0 none, 1 built, 2 bare) after morphology and the MMU (the class raster, reused in place). */
  mask: Uint8Array;
  features: ChangeFeature[];
  model: ChangeModel;
  stats: {
    pixels: number;
    invalid: number;
    seasonal: number;
    greening: number;
    changed: number;
    components: number;
    belowMmu: number;
    /** Changed objects dropped as seasonal (mostly vegetated → soil pixels). */
    seasonalObjects: number;
  };
}

/** Classifies one before-grid window into the scene's class and score rasters; resolves with its counts. */
type WindowClassifier = (w: PixelWindow) => Promise<WindowCounts>;

/**
 * Window width on striped scenes with the learned classifier: its ~50 float planes take about
 * 200 bytes per pixel, 0.7 GB per worker for a full-width strip of a 10980-wide scene, but
 * 70 MB for 1024 columns. Reading a strip once per column window costs far less than the
 * classifier does per pixel.
 */
const LEARNED_COLUMNS = 1024;

/**
 * Calibration sample with the learned classifier, whose features are standardised by the
 * scene's band quantiles and ranked among its magnitudes (features.ts, sceneStats). Training
 * takes those from every pixel of a city; with 2^18 a city's score moved with the windows
 * the sample was drawn from (beirut 0.374 or 0.403). 2^20 takes every pixel of a scene up to
 * a million and four times as many elsewhere, for a second of fitting next to the minute
 * the classifier takes on a 10980² tile.
 */
const LEARNED_SAMPLE = 1 << 20;

/** `win` cut into windows of `rows` × `cols` pixels (smaller at the right and bottom edges), in scan order. */
function windowsOf(win: PixelWindow, rows: number, cols: number): PixelWindow[] {
  const out: PixelWindow[] = [];
  for (let y = 0; y < win.height; y += rows)
    for (let x = 0; x < win.width; x += cols)
      out.push({
        x0: win.x0 + x,
        y0: win.y0 + y,
        width: Math.min(cols, win.width - x),
        height: Math.min(rows, win.height - y),
      });
  return out;
}

/**
 * Detect farmland turned into buildings, roads or bare earth between two dates.
 *
 * The engine behind `gengbao detect` and the detection job: no database, no files written.
 * Reads the pair window by window (bounded memory: the per-pixel state kept for the whole
 * scene is a few bytes per pixel), fits the change model on a sample, classifies every
 * window (on worker threads when asked), cleans the mask by opening and closing, drops
 * components under the minimum mapping unit, and traces each remaining component as an
 * exact pixel-edge polygon in lon/lat with its ellipsoidal area, class and score.
 *
 * @example
 * const r = await detectChanges(await openScene('before.tif'), await openScene('after.tif'), { sensor: 's2' });
 * r.features; // [{ type: 'Feature', geometry: Polygon, properties: { class: 'built', area_mu: 1.23, … } }]
 */
export async function detectChanges(
  beforeScene: RasterScene,
  afterScene: RasterScene,
  opts: DetectOptions = {},
): Promise<DetectResult> {
  const profile = profileOf(opts.sensor ?? 's2');
  const config: DetectConfig = {
    ...profile.config,
    ...opts.config,
    // `learned: null` asks for the rules; absent, the profile's default decides.
    learned: opts.config?.learned !== undefined ? opts.config.learned : classifierFor(profile.id),
    minAreaM2: opts.minAreaM2 ?? opts.config?.minAreaM2 ?? profile.config.minAreaM2,
  };
  if (!(config.minAreaM2 >= 0))
    throw new GengbaoError(
      'bad_input',
      `minimum area must be a number ≥ 0 m², got ${opts.minAreaM2}`,
      { field: 'minAreaM2' },
    );
  if (
    opts.simplifyPx !== undefined &&
    !(opts.simplifyPx >= 0 && opts.simplifyPx <= MAX_SIMPLIFY_PX)
  )
    throw new GengbaoError(
      'bad_input',
      `simplification tolerance must be 0–${MAX_SIMPLIFY_PX} px (under half a pixel keeps topology), got ${opts.simplifyPx}`,
      {
        field: 'simplify',
      },
    );
  // Imagery finer than the configuration's working resolution is read averaged onto it.
  const working = toWorkingResolution(
    beforeScene,
    afterScene,
    config.workingResolutionM,
    profile.id,
  );
  const { before, after } = working;
  const rb = resolveBands(profile, before.bandNames, `before ${before.location}`, opts.bands);
  const ra = resolveBands(profile, after.bandNames, `after ${after.location}`, opts.bands);
  // Spectral roles present on both dates, in a fixed order.
  const roles = (['blue', 'green', 'red', 'nir', 'swir1', 'swir2'] as Role[]).filter(
    (r) => rb[r] && ra[r],
  );
  // A quality band both dates have (SCL or QA_PIXEL) goes last.
  const quality = (['scl', 'qa'] as Role[]).find((r) => rb[r] && ra[r]);
  if (quality && working.factors.some((k) => k > 1))
    throw new GengbaoError(
      'bad_input',
      `${working.note}, but the quality band (${rb[quality]}) holds classes or bits that cannot be averaged: leave out --working-resolution or that band`,
      { field: 'workingResolution' },
    );
  const masks = maskBandsOf(roles, quality);
  const names = (r: Partial<Record<Role, string>>): string[] => [
    ...roles.map((x) => r[x] as string),
    ...(quality ? [r[quality] as string] : []),
  ];
  const pair = scenePair(before, after, names(rb), names(ra));
  let dates = resolveRadiometry(
    [before, after],
    [roles.map((x) => rb[x] as string), roles.map((x) => ra[x] as string)],
    config,
    profile.id,
    opts.addOffset,
  );
  const pairOf = (d: [DateRadiometry, DateRadiometry] | null): PairRadiometry | null =>
    d && { before: d[0], after: d[1] };
  const alignment = pair.alignment;
  const win = alignment.window;
  // Windows of whole blocks: neither reader caches decoded blocks, so a window cutting a tile
  // in two would decode it twice. Strips: at least 256 whole rows. Tiles of identically tiled
  // grids: one tile per window, whose bands (a few MB) stay in the CPU cache while they are
  // converted and classified; full-width windows of a 10980-wide scene do not.
  const block = Math.max(1, before.blockHeight);
  const rows = opts.windowRows ?? Math.ceil(256 / block) * block;
  const tiled =
    opts.windowRows === undefined &&
    before.blockWidth < win.width &&
    // A reprojected after date is read over each window's footprint, which a tile keeps small
    // whatever the after file's blocks.
    (alignment.warp !== undefined ||
      (alignment.note === undefined &&
        before.blockWidth === after.blockWidth &&
        before.blockHeight === after.blockHeight));
  // With the learned classifier, the width split into equal parts of at most LEARNED_COLUMNS:
  // no sliver of a few columns at the right edge, read with margins wider than itself and
  // drawn into the calibration sample as if it were a whole window.
  const columns =
    opts.windowColumns ??
    (config.learned ? Math.ceil(win.width / Math.ceil(win.width / LEARNED_COLUMNS)) : win.width);
  const windows = windowsOf(
    win,
    tiled ? block : rows,
    tiled ? before.blockWidth : Math.min(columns, win.width),
  );
  const progress = opts.onProgress ?? ((): void => {});
  const nodata = { before: before.nodata, after: after.nodata };

  const workers =
    before.location && after.location && !before.location.startsWith('memory:')
      ? (opts.workers ?? 0)
      : 0;
  const blocks = interleavedApplies(roles, quality !== undefined, config);
  const margin = config.learned ? learnedHalo(config.learned) : 0;
  // Start the workers now: they load their bundle and open the scenes while this thread reads
  // the sample. Awaited until the threads are spawned: left to the event loop, the spawning
  // waited behind the sample and the fit (1.5 s on a 10980² pair) and the workers' own start
  // (0.4 s) came after them.
  const poolReady =
    workers > 0
      ? (
          await startPool(workers, {
            before: before.location,
            after: after.location,
            beforeBands: pair.beforeBands,
            afterBands: pair.afterBands,
            alignment,
            blocks,
            margin,
            coarsen: working.factors,
          })
        ).ready
      : undefined;
  const closePool = async (): Promise<void> => {
    const started = await poolReady;
    if (started && 'pool' in started) await started.pool.close();
  };

  // Classification (step 2) is set up first: on worker threads its lanes start as soon as the
  // workers are up, each reading its first window while this thread still reads the sample and
  // fits the model (step 1), and classifying it when the model arrives — no core idles meanwhile.
  const total = win.width * win.height;
  // Shared with the workers, which write their windows straight into them.
  const raster = (): Uint8Array =>
    new Uint8Array(workers > 0 ? new SharedArrayBuffer(total) : new ArrayBuffer(total));
  const cls = raster();
  const score = raster();
  const stats = {
    pixels: total,
    invalid: 0,
    seasonal: 0,
    greening: 0,
    changed: 0,
    components: 0,
    belowMmu: 0,
    seasonalObjects: 0,
  };
  const target: ClassifyTarget = { cls, score, region: win };
  let done = 0;
  let next = 0;
  // `lanes` windows in flight at once: memory stays a few windows whatever the scene size.
  const runLanes = (lanes: number, classify: WindowClassifier): Promise<unknown> =>
    Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < windows.length) {
          const w = windows[next++];
          const r = await classify(w);
          stats.invalid += r.invalid;
          stats.seasonal += r.seasonal;
          stats.greening += r.greening;
          progress({ phase: 'classify', done: ++done, total: windows.length });
        }
      }),
    );
  // One window in flight per worker plus one queued.
  const pooled = poolReady?.then((started) =>
    'pool' in started ? runLanes(workers * 2, (w) => started.pool.run(w)) : undefined,
  );
  pooled?.catch(() => {}); // awaited below; a failure before then closes the pool

  // 1. Sample: evenly spread windows until about 4× the sample size has been read.
  const sampleSize = opts.sampleSize ?? (config.learned ? LEARNED_SAMPLE : 1 << 18);
  const want = Math.min(
    windows.length,
    Math.max(1, Math.ceil((4 * sampleSize) / (windows[0].width * windows[0].height))),
  );
  // `want` windows spread over the scene: evenly down the rows, and across the columns by the
  // golden-ratio sequence (so that tile windows are not all taken from one column) — or every
  // window when that many are wanted (the sequence would take some twice and miss others).
  const across = Math.ceil(win.width / windows[0].width);
  const down = windows.length / across;
  const picked =
    want >= windows.length
      ? windows
      : Array.from({ length: want }, (_, k) => {
          const row = Math.floor(((k + 0.5) * down) / want);
          const col = Math.floor((((k + 0.5) * 0.6180339887) % 1) * across);
          return windows[row * across + col];
        });
  let sample: PairSample;
  let model: ChangeModel;
  let radiometry: string | undefined;
  try {
    const draw = (): Promise<PairSample> =>
      collectSample(pair, picked, roles.length, masks, pairOf(dates), nodata, sampleSize, (d) =>
        progress({ phase: 'sample', done: d, total: picked.length }),
      );
    sample = await draw();
    if (dates) {
      const checked = offsetAlreadyRemoved(dates, sample, masks.blue, [
        before.location,
        after.location,
      ]);
      // The validity tests drew the sample under the dropped offset: draw it again (rare).
      if (checked.some((r, d) => r !== dates![d])) {
        dates = checked;
        sample = await draw();
      }
      radiometry = radiometryNote(
        dates,
        config.reflectanceScale as number,
        baselineHint(dates, sample),
      );
    }
    if (sample.before[0].length === 0)
      throw new GengbaoError(
        'bad_input',
        `no pixel is valid on both dates (nodata, clouds, SCL or QA_PIXEL) in ${before.location} and ${after.location}`,
        { field: 'before' },
      );
    model = fitChangeModel(sample, roles, masks, config, nodata, pairOf(dates));
    if (config.learned) {
      checkLearnedFits(config.learned, model, sample, `${before.location} / ${after.location}`);
      model.learnedStats = sceneStats(model, sample);
    }
  } catch (e) {
    await closePool();
    throw e;
  }
  const rgb: [number, number, number] = [masks.red, masks.green, masks.blue];
  const before3 = rgb.map((b) => ({
    lo: quantile(sample.before[b], 0.02),
    hi: quantile(sample.before[b], 0.98),
  })) as [Stretch, Stretch, Stretch];
  // Both dates' chips show one range of reflectance: a date stored 1000 higher is not drawn
  // a tenth brighter.
  const toAfter = (v: number): number => inAfterUnits(model.radiometry, v);
  const stretch = {
    before: before3,
    after: before3.map((s) => ({ lo: toAfter(s.lo), hi: toAfter(s.hi) })) as typeof before3,
  };

  // 2. Classify every window (on the pool, begun above).
  try {
    if (poolReady) {
      const started = await poolReady;
      if ('error' in started) throw started.error;
      started.pool.setModel(model, target);
      await pooled;
    } else
      await runLanes(1, async (w) =>
        classifyPairInto(target, model, await readPairInput(pair, w, blocks, undefined, margin), w),
      );
  } finally {
    await closePool();
  }

  // 3. Objects: hysteresis, morphology, components, the minimum mapping unit and the
  // seasonal vote, on runs of changed pixels (objects.ts).
  const W = win.width;
  const found = changeObjects(
    cls,
    score,
    W,
    win.height,
    // The learned classifier decided its pixels itself (no hysteresis on z).
    config.learned ? 0 : model.threshold * 10,
    config,
    config.minAreaM2 / pixelAreaM2(before.grid),
  );
  const { changed, objects, keep } = found;
  stats.components = objects.count;
  stats.belowMmu = found.belowMmu;
  stats.seasonalObjects = found.seasonalObjects;
  const features: ChangeFeature[] = [];
  // Averaged imagery keeps its own detail on the evidence chips.
  const chipDetail =
    opts.chips && working.factors[0] > 1
      ? {
          pair: scenePair(beforeScene, afterScene, names(rb), names(ra)),
          factor: working.factors[0],
        }
      : undefined;
  const project = toLonLat(before.grid.crs);
  const grouped = runsByComponent(objects);
  let n = 0;
  const kept = keep.reduce((s, v) => s + v, 0);
  for (let l = 1; l <= objects.count; l++) {
    if (!keep[l]) continue;
    const c = componentRaster(changed, objects, grouped, l);
    const f = componentFeature(c, l, win, before.grid, cls, score, project, opts.simplifyPx ?? 0);
    f.id = f.properties.id = ++n;
    stats.changed += f.properties.pixels;
    features.push(f);
    const chips = opts.chips
      ? await renderChips(pair, c, win, rgb, stretch, chipDetail)
      : undefined;
    await opts.onPolygon?.(f, chips);
    if (n % 256 === 0 || n === kept) progress({ phase: 'polygonize', done: n, total: kept });
  }
  // The final classes go into the class raster itself, once the polygons no longer read it.
  const out = finalClasses(cls, W, found);
  return {
    grid: before.grid,
    window: win,
    alignmentNote: alignment.note,
    resolutionNote: working.note,
    radiometryNote: radiometry,
    mask: out,
    features,
    model,
    stats,
  };
}

/**
 * The calibration sample: up to ⌈size / windows⌉ pixels valid on both dates from each window,
 * spread evenly over its valid pixels. Exported for its test.
 */
export async function collectSample(
  pair: ScenePair,
  windows: PixelWindow[],
  nb: number,
  masks: MaskBands,
  radiometry: PairRadiometry | null,
  nodata: { before: number | null; after: number | null },
  size: number,
  tick: (done: number) => void,
): Promise<PairSample> {
  const per = Math.ceil(size / windows.length);
  const before = Array.from({ length: nb }, () => new Float32Array(size + per));
  const after = Array.from({ length: nb }, () => new Float32Array(size + per));
  let m = 0;
  let done = 0;
  // Each window's bands are read into the last one's arrays: fresh ones, paged in by the OS
  // for every window, cost more than the reading itself.
  let reuse: PairWindow | undefined;
  for (const w of windows) {
    const p = await readPairWindow(pair, w, reuse);
    reuse = p;
    const n = w.width * w.height;
    const ok = validOnBothDates(
      { masks, nodataBefore: nodata.before, nodataAfter: nodata.after, radiometry },
      p.before,
      p.after,
      n,
    );
    let valid = 0;
    for (let i = 0; i < n; i++) valid += ok[i];
    // `take` of the window's valid pixels, evenly spread: the k-th is taken when ⌊k·take/valid⌋
    // steps up. A whole-number stride took every pixel of a window holding less than twice
    // its share, and the last windows of the scene were then cut short by the cap.
    const take = Math.min(per, valid);
    let k = 0;
    for (let i = 0; i < n && m < size + per; i++) {
      if (!ok[i]) continue;
      const step = Math.floor(((k + 1) * take) / valid) - Math.floor((k * take) / valid);
      k++;
      if (step === 0) continue;
      for (let b = 0; b < nb; b++) {
        before[b][m] = p.before[b][i];
        after[b][m] = p.after[b][i];
      }
      m++;
    }
    tick(++done);
  }
  return { before: before.map((a) => a.subarray(0, m)), after: after.map((a) => a.subarray(0, m)) };
}

type PoolStart = Promise<{ pool: ClassifyPool } | { error: unknown }>;

/**
 * Start the classify workers. Resolves, once their threads are spawned, to a promise of the pool
 * or of the error (that one never rejects, so a failure elsewhere first leaves no unhandled
 * rejection). Wrapped in an object: a promise resolved with a promise would wait for it.
 */
async function startPool(size: number, setup: WorkerSetup): Promise<{ ready: PoolStart }> {
  try {
    const { ClassifyPool } = await import('./worker-pool.ts');
    const { ready } = await ClassifyPool.spawn(size, setup);
    return {
      ready: ready.then(
        (pool) => ({ pool }),
        (error: unknown) => ({ error }),
      ),
    };
  } catch (error) {
    return { ready: Promise.resolve({ error }) };
  }
}
