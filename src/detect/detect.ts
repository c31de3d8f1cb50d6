/**
 * The detector's entry point: `detectChanges` runs the stages below in order, each in its own
 * module. Step numbers and the reasons behind each are in this folder's README.md.
 */
import { pixelAreaM2 } from '../raster/grid.ts';
import type { RasterScene } from '../raster/scene-source.ts';
import { startClassification } from './classify-scene.ts';
import { fitModel, sampleSizeOf } from './fit.ts';
import { domainReport } from './domain.ts';
import { gateByDomain } from './gate.ts';
import { changeObjects, finalClasses } from './objects.ts';
import { openPair } from './open-pair.ts';
import { resolveConfig, type DetectOptions, type DetectResult } from './options.ts';
import { polygonize } from './polygonize.ts';
import { resolveRadiometry } from './radiometry.ts';
import { planWindows } from './windows.ts';

export type { DetectOptions, DetectProgress, DetectResult } from './options.ts';

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
  const resolved = resolveConfig(opts);
  const { profile } = resolved;
  const opened = openPair(beforeScene, afterScene, profile, resolved.config, opts.bands);
  const { before, after, pair } = opened;
  const win = pair.alignment.window;
  const dates = resolveRadiometry(
    [before, after],
    opened.spectral,
    resolved.config,
    profile.id,
    opts.addOffset,
  );
  // 'auto': the learned classifier or the rules, by the scene's domain (gate.ts).
  const gate = await gateByDomain(opened, dates, resolved.config, profile.id, opts);
  const { config, note: classifierNote } = gate;
  const windows = planWindows(opened, config, opts);
  const progress = opts.onProgress ?? ((): void => {});
  // Classification is begun before the model exists: on worker threads they start reading
  // windows while this thread reads the sample and fits the model.
  const scene = await startClassification(opened, windows, config, opts.workers, progress);
  const fitted =
    gate.fitted ??
    (await fitModel(opened, windows, dates, config, sampleSizeOf(opts, config), progress).catch(
      async (e: unknown) => {
        await scene.close();
        throw e;
      },
    ));
  const { model } = fitted;
  const counts = await scene.finish(model);
  // Hysteresis, morphology, components, the minimum mapping unit and the seasonal vote.
  const found = changeObjects(
    scene.cls,
    scene.score,
    win.width,
    win.height,
    // The learned classifier decided its pixels itself (no hysteresis on z).
    config.learned ? 0 : model.threshold * 10,
    config,
    config.minAreaM2 / pixelAreaM2(before.grid),
  );
  const features = await polygonize(
    found,
    { cls: scene.cls, score: scene.score, win, grid: before.grid },
    opened,
    {
      simplifyPx: opts.simplifyPx ?? 0,
      chips: opts.chips ? fitted : undefined,
      onPolygon: opts.onPolygon,
      progress,
    },
  );
  return {
    grid: before.grid,
    window: win,
    alignmentNote: pair.alignment.note,
    bandGridNote:
      [...(beforeScene.notes ?? []), ...(afterScene.notes ?? [])].join('; ') || undefined,
    resolutionNote: opened.working.note,
    radiometryNote: fitted.radiometryNote,
    domain: domainReport(profile.id, config.learned ?? null, model, fitted.sample),
    classifier: config.learned ? 'learned' : 'rules',
    classifierNote,
    // The final classes go into the class raster itself, once the polygons no longer read it.
    mask: finalClasses(scene.cls, win.width, found),
    features,
    model,
    stats: {
      pixels: win.width * win.height,
      ...counts,
      changed: features.reduce((s, f) => s + f.properties.pixels, 0),
      components: found.objects.count,
      belowMmu: found.belowMmu,
      seasonalObjects: found.seasonalObjects,
    },
  };
}
