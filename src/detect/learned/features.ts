import { candidateClass, GREENING } from '../classify.ts';
import { SEASONAL, type ChangeModel } from '../model.ts';

/** Names of the per-pixel features, in the order `windowFeatures` writes them. */
export const FEATURE_NAMES = [
  'z',
  'd_blue',
  'd_green',
  'd_red',
  'd_nir',
  'ndvi_before',
  'ndvi_after',
  'ndvi_change',
  'bright_before',
  'bright_after',
  'log_bright_ratio',
  'blue_red_after',
  'blue_red_before',
  'ndwi_after',
  'ndwi_before',
  'z_mean3',
  'z_mean7',
  'z_mean17',
  'z_mean33',
  'bright_before_std3',
  'bright_after_std3',
] as const;
export const NF = FEATURE_NAMES.length;

/** Scratch reused from window to window (each worker thread has its own module state). */
let z2Scratch = new Float64Array(0);
let satScratch = new Uint32Array(0);

/** Box radii (pixels) of the z context features z_mean3 … z_mean33. */
const Z_RADII = [1, 3, 8, 16];

/** Normalised difference (a−b)/(a+b), 0 when undefined. */
function nd(a: number, b: number): number {
  const s = a + b;
  return s > 0 ? (a - b) / s : 0;
}

/** Candidate pixels of a window and their features (row-major, NF per candidate). */
export interface WindowFeatures {
  /** Pixel index within the window of each candidate. */
  index: Int32Array;
  /** What the after date of each candidate looks like, should it be change: BUILT or BARE. */
  kind: Uint8Array;
  x: Float32Array;
  /** z·10 clamped to 255 for every pixel (0 where invalid): the score raster of classify.ts. */
  score: Uint8Array;
  /** Classes the farmland rules decided without the model: SEASONAL where set, else 0. */
  cls: Uint8Array;
  seasonal: number;
  greening: number;
  /** Pixels not valid on both dates. */
  invalid: number;
}

/**
 * Features of the candidate pixels of one window (`width`×`height`, bands in
 * `model.roles` order): pixels valid on both dates whose change magnitude z exceeds `zMin`
 * and that the farmland rules (greening, seasonal) leave undecided.
 * Training (scripts/train-detect.ts) and inference (classify-learned.ts) both call this, so
 * the two cannot drift apart.
 *
 * Cost: passes over all pixels for z (band by band) and the summed-area table of its
 * quantised value, then
 * per candidate only: the per-pixel spectral features, four box means of z
 * (four reads each) and the 3×3 brightness standard deviation of each date.
 *
 * Spatial context is computed inside the window with boxes clipped at its edges (no halo):
 * in windows of ≥ 256 whole rows only pixels within 16 rows of a seam see a clipped box, and
 * training uses such windows, so it sees the same clipping. Tiled windows (512² tiles of a
 * tiled GeoTIFF) also clip at their left and right edges, which training has not seen; a
 * 16-pixel halo would remove the difference.
 */
export function windowFeatures(
  model: ChangeModel,
  before: Float32Array[],
  after: Float32Array[],
  valid: Uint8Array,
  width: number,
  height: number,
  zMin: number,
): WindowFeatures {
  const { gain, offset, sigma, dark } = model;
  const n = width * height;
  const { blue, green, red, nir } = model.masks;
  // z over the four bands the model was trained on, whatever else the scene has (SWIR).
  const four = [blue, green, red, nir];
  const inv = four.map((b) => 1 / (sigma[b] * sigma[b] * 4));
  const scale = 1 / (4 * (model.config.reflectanceScale ?? 1));
  const score = new Uint8Array(n);
  const z10Min = zMin * 10;
  const [B0, B1, B2, B3] = four.map((b) => before[b]);
  const [A0, A1, A2, A3] = four.map((b) => after[b]);
  const [g0, g1, g2, g3] = four.map((b) => gain[b]);
  const [o0, o1, o2, o3] = four.map((b) => offset[b]);
  // z² band by band over the window (simple loops the JIT keeps tight), into reused scratch.
  if (z2Scratch.length < n) z2Scratch = new Float64Array(n);
  const z2 = z2Scratch;
  z2.fill(0, 0, n);
  for (let k = 0; k < 4; k++) {
    const a = [A0, A1, A2, A3][k];
    const b = [B0, B1, B2, B3][k];
    const g = [g0, g1, g2, g3][k];
    const c = [o0, o1, o2, o3][k];
    const w = inv[k];
    for (let i = 0; i < n; i++) {
      const d = g * a[i] + c - b[i];
      z2[i] += d * d * w;
    }
  }
  // Quantised z and its summed-area table: integers, exact (≤ 255 per pixel fits 2³² for any
  // window ≤ 16 Mpx).
  const W1 = width + 1;
  if (satScratch.length < W1 * (height + 1)) satScratch = new Uint32Array(W1 * (height + 1));
  const sat = satScratch;
  sat.fill(0, 0, W1);
  let count = 0;
  let invalid = 0;
  for (let y = 0; y < height; y++) {
    let row = 0;
    const o = (y + 1) * W1;
    const p = y * W1;
    sat[o] = 0;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (valid[i]) {
        const z10 = Math.sqrt(z2[i]) * 10;
        const s = z10 > 255 ? 255 : z10 | 0;
        score[i] = s;
        row += s;
        if (s > z10Min) count++;
      } else invalid++;
      sat[o + x + 1] = sat[p + x + 1] + row;
    }
  }
  const index = new Int32Array(count);
  const cls = new Uint8Array(n);
  const low10 = model.threshold * model.config.hysteresis * 10;
  let seasonal = 0;
  let greening = 0;
  let m = 0;
  const kind = new Uint8Array(count);
  for (let i = 0; i < n; i++) {
    if (!(score[i] > z10Min)) continue;
    // The farmland rules of classify.ts first (steps 3–5, candidateClass), so the model only
    // sees what they leave: greening is not hunted, and a dense crop turned soil-like is a
    // seasonal candidate (above the rule path's low threshold), decided per object by detect.ts.
    const c = candidateClass(
      model,
      after[red][i],
      after[blue][i],
      after[nir][i],
      before[red][i],
      before[nir][i],
    );
    if (c === GREENING) {
      greening++;
      continue;
    }
    if (c === SEASONAL) {
      if (score[i] > low10) {
        cls[i] = SEASONAL;
        seasonal++;
      }
      continue;
    }
    kind[m] = c;
    index[m++] = i;
  }
  // Features of the candidates the rules left to the model.
  const x = new Float32Array(m * NF);
  for (let k = 0; k < m; k++) {
    const i = index[k];
    const Bb = before[blue][i] - dark[blue];
    const Bg = before[green][i] - dark[green];
    const Br = before[red][i] - dark[red];
    const Bn = before[nir][i] - dark[nir];
    const Ab = gain[blue] * after[blue][i] + offset[blue] - dark[blue];
    const Ag = gain[green] * after[green][i] + offset[green] - dark[green];
    const Ar = gain[red] * after[red][i] + offset[red] - dark[red];
    const An = gain[nir] * after[nir][i] + offset[nir] - dark[nir];
    const nvb = nd(Bn, Br);
    const nva = nd(An, Ar);
    const px = i % width;
    const py = (i - px) / width;
    const o = k * NF;
    x[o] = score[i] / 10;
    x[o + 1] = (Ab - Bb) / sigma[blue];
    x[o + 2] = (Ag - Bg) / sigma[green];
    x[o + 3] = (Ar - Br) / sigma[red];
    x[o + 4] = (An - Bn) / sigma[nir];
    x[o + 5] = nvb;
    x[o + 6] = nva;
    x[o + 7] = nva - nvb;
    const bb = (Bb + Bg + Br + Bn) * scale;
    const ba = (Ab + Ag + Ar + An) * scale;
    x[o + 8] = bb;
    x[o + 9] = ba;
    x[o + 10] = Math.log(Math.max(ba, 1e-3) / Math.max(bb, 1e-3));
    x[o + 11] = Ab / Math.max(Ar, 1);
    x[o + 12] = Bb / Math.max(Br, 1);
    x[o + 13] = nd(Ag, An);
    x[o + 14] = nd(Bg, Bn);
    for (let k = 0; k < Z_RADII.length; k++) {
      const r = Z_RADII[k];
      const x0 = px > r ? px - r : 0;
      const y0 = py > r ? py - r : 0;
      const x1 = px + r + 1 < width ? px + r + 1 : width;
      const y1 = py + r + 1 < height ? py + r + 1 : height;
      const sum = sat[y1 * W1 + x1] - sat[y0 * W1 + x1] - sat[y1 * W1 + x0] + sat[y0 * W1 + x0];
      x[o + 15 + k] = sum / (10 * (x1 - x0) * (y1 - y0));
    }
    // Texture: standard deviation of each date's brightness (band sum) over the 3×3 box.
    let sb = 0;
    let qb = 0;
    let sa = 0;
    let qa = 0;
    let c = 0;
    for (let y = py > 0 ? py - 1 : 0; y <= py + 1 && y < height; y++)
      for (let xx = px > 0 ? px - 1 : 0; xx <= px + 1 && xx < width; xx++) {
        const j = y * width + xx;
        const vb = B0[j] + B1[j] + B2[j] + B3[j];
        const va = g0 * A0[j] + g1 * A1[j] + g2 * A2[j] + g3 * A3[j];
        sb += vb;
        qb += vb * vb;
        sa += va;
        qa += va * va;
        c++;
      }
    x[o + 19] = Math.sqrt(Math.max(qb / c - (sb / c) ** 2, 0)) * scale;
    x[o + 20] = Math.sqrt(Math.max(qa / c - (sa / c) ** 2, 0)) * scale;
  }
  return {
    index: index.subarray(0, m),
    kind: kind.subarray(0, m),
    x,
    score,
    cls,
    seasonal,
    greening,
    invalid,
  };
}
