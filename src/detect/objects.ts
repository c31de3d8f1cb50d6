import { open } from '../raster/morphology.ts';
import {
  closeRuns,
  forEachRun,
  labelRuns,
  paintRuns,
  runsOf,
  selectRuns,
  type RowRuns,
  type RunComponents,
} from '../raster/runs.ts';
import { BARE, BUILT, SEASONAL } from './model.ts';
import type { DetectConfig } from './profiles.ts';

/** The changed objects of a classified scene and which of them are kept. */
export interface ChangeObjects {
  /** Runs of every candidate pixel (non-zero class). */
  candidates: RowRuns;
  /** Runs of the objects after hysteresis and morphology. */
  changed: RowRuns;
  /** Their 4-connected components. */
  objects: RunComponents;
  /** Per object (index 0 unused): 1 when kept. */
  keep: Uint8Array;
  belowMmu: number;
  /** Objects dropped as seasonal (mostly vegetated → soil pixels). */
  seasonalObjects: number;
}

/**
 * The objects stage of detect.ts, on the scene's class and score rasters (row width `w`, `h` rows), all
 * on runs of changed pixels (src/raster/runs.ts), so that the cost follows the change, not the
 * scene size: hysteresis (candidates 4-connected to a pixel scoring above `strong`),
 * opening and closing, 4-connected components, the minimum mapping unit (objects under `minPixels`), and the
 * object-level seasonal test — an object whose classified pixels are mostly seasonal
 * candidates is a harvested or ploughed field, not a violation.
 */
export function changeObjects(
  cls: Uint8Array,
  score: Uint8Array,
  w: number,
  h: number,
  strong: number,
  config: DetectConfig,
  minPixels: number,
): ChangeObjects {
  const candidates = runsOf(cls, w, h);
  let changed = keepConnectedToStrong(candidates, score, strong);
  if (config.openRadius > 0)
    changed = runsOf(
      open(paintRuns(changed, new Uint8Array(w * h)), w, h, config.openRadius),
      w,
      h,
    );
  if (config.closeRadius > 0) changed = closeRuns(changed, config.closeRadius);
  const objects = labelRuns(changed);
  const seasonalPx = new Int32Array(objects.count + 1);
  const classedPx = new Int32Array(objects.count + 1);
  forEachRun(changed, (y, x0, x1, k) => {
    const l = objects.runLabel[k];
    for (let i = y * w + x0; i < y * w + x1; i++) {
      if (!cls[i]) continue;
      classedPx[l]++;
      if (cls[i] === SEASONAL) seasonalPx[l]++;
    }
  });
  const keep = new Uint8Array(objects.count + 1);
  let belowMmu = 0;
  let seasonalObjects = 0;
  for (let l = 1; l <= objects.count; l++) {
    if (objects.sizes[l] < minPixels) belowMmu++;
    else if (seasonalPx[l] * 2 >= classedPx[l]) seasonalObjects++;
    else keep[l] = 1;
  }
  return { candidates, changed, objects, keep, belowMmu, seasonalObjects };
}

/** Flags a pixel of a kept object while the class raster is turned into the final mask. */
const KEEP = 0x80;

/**
 * Turn the class raster `cls` (row width `w`) into the final mask in place: pixels of the
 * kept objects get their class — built or bare; seasonal candidates and pixels the closing
 * added count as bare — and every other candidate is cleared. In place because the raster's
 * pages where anything changed are in memory already, while a fresh scene-sized array cost a
 * page fault per row of every polygon (a third of a second on a 10980² scene).
 */
export function finalClasses(cls: Uint8Array, w: number, found: ChangeObjects): Uint8Array {
  const { candidates, changed, objects, keep } = found;
  const kept = (k: number): boolean => keep[objects.runLabel[k]] === 1;
  forEachRun(changed, (y, x0, x1, k) => {
    if (!kept(k)) return;
    for (let i = y * w + x0; i < y * w + x1; i++)
      cls[i] = (cls[i] === BUILT || cls[i] === BARE ? cls[i] : BARE) | KEEP;
  });
  forEachRun(candidates, (y, x0, x1) => {
    for (let i = y * w + x0; i < y * w + x1; i++) if (!(cls[i] & KEEP)) cls[i] = 0;
  });
  forEachRun(changed, (y, x0, x1, k) => {
    if (!kept(k)) return;
    for (let i = y * w + x0; i < y * w + x1; i++) cls[i] &= ~KEEP;
  });
  return cls;
}

/** Hysteresis: the candidate runs whose 4-connected component holds a pixel scoring above `strong`. */
function keepConnectedToStrong(candidates: RowRuns, score: Uint8Array, strong: number): RowRuns {
  const comps = labelRuns(candidates);
  const hasStrong = new Uint8Array(comps.count + 1);
  const w = candidates.width;
  forEachRun(candidates, (y, x0, x1, k) => {
    const l = comps.runLabel[k];
    if (hasStrong[l]) return;
    for (let i = y * w + x0; i < y * w + x1; i++)
      if (score[i] > strong) {
        hasStrong[l] = 1;
        return;
      }
  });
  return selectRuns(candidates, comps, (l) => hasStrong[l] === 1);
}
