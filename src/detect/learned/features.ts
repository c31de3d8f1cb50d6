import type { ChangeModel } from '../model.ts';

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
  x: Float32Array;
  /** z·10 clamped to 255 for every pixel (0 where invalid): the score raster of classify.ts. */
  score: Uint8Array;
}

/**
 * Features of the candidate pixels of one window of whole rows (`width`×`height`, bands in
 * `model.roles` order): pixels valid on both dates whose change magnitude z exceeds `zMin`.
 * Training (scripts/train-detect.ts) and inference (classify-learned.ts) both call this, so
 * the two cannot drift apart.
 *
 * Cost: one pass over all pixels (z, brightness of both dates), a summed-area table of the
 * quantised z, then per candidate only: the per-pixel spectral features, four box means of z
 * (four reads each) and the 3×3 brightness standard deviation of each date.
 *
 * Spatial context is computed inside the window with boxes clipped at its edges: windows are
 * ≥ 256 rows, so only pixels within 16 rows of a window seam see a clipped box; no halo rows
 * are needed (training uses the same 256-row windows, so it sees the same clipping).
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
  const darkSum = dark[blue] + dark[green] + dark[red] + dark[nir];
  const score = new Uint8Array(n);
  const bb = new Float32Array(n);
  const ba = new Float32Array(n);
  const z10Min = zMin * 10;
  const [B0, B1, B2, B3] = four.map((b) => before[b]);
  const [A0, A1, A2, A3] = four.map((b) => after[b]);
  const [g0, g1, g2, g3] = four.map((b) => gain[b]);
  const [o0, o1, o2, o3] = four.map((b) => offset[b]);
  const [i0, i1, i2, i3] = inv;
  // Summed-area table of the quantised z, filled in the same pass: integers, exact (≤ 255 per
  // pixel fits 2³² for any window ≤ 16 Mpx).
  const W1 = width + 1;
  const sat = new Uint32Array(W1 * (height + 1));
  let count = 0;
  for (let y = 0; y < height; y++) {
    let row = 0;
    const o = (y + 1) * W1 + 1;
    const p = y * W1 + 1;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (valid[i]) {
        const a0 = g0 * A0[i] + o0;
        const a1 = g1 * A1[i] + o1;
        const a2 = g2 * A2[i] + o2;
        const a3 = g3 * A3[i] + o3;
        const b0 = B0[i];
        const b1 = B1[i];
        const b2 = B2[i];
        const b3 = B3[i];
        const z2 =
          (a0 - b0) * (a0 - b0) * i0 +
          (a1 - b1) * (a1 - b1) * i1 +
          (a2 - b2) * (a2 - b2) * i2 +
          (a3 - b3) * (a3 - b3) * i3;
        const z10 = Math.sqrt(z2) * 10;
        const s = z10 > 255 ? 255 : z10 | 0;
        score[i] = s;
        row += s;
        if (s > z10Min) count++;
        bb[i] = (b0 + b1 + b2 + b3 - darkSum) * scale;
        ba[i] = (a0 + a1 + a2 + a3 - darkSum) * scale;
      }
      sat[o + x] = sat[p + x] + row;
    }
  }
  const index = new Int32Array(count);
  const x = new Float32Array(count * NF);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!(score[i] > z10Min)) continue;
    const px = i % width;
    const py = (i - px) / width;
    const o = m * NF;
    index[m++] = i;
    const Bb = before[blue][i] - dark[blue];
    const Bg = before[green][i] - dark[green];
    const Br = before[red][i] - dark[red];
    const Bn = before[nir][i] - dark[nir];
    const Ab = gain[blue] * after[blue][i] + offset[blue] - dark[blue];
    const Ag = gain[green] * after[green][i] + offset[green] - dark[green];
    const Ar = gain[red] * after[red][i] + offset[red] - dark[red];
    const An = gain[nir] * after[nir][i] + offset[nir] - dark[nir];
    x[o] = score[i] / 10;
    x[o + 1] = (Ab - Bb) / sigma[blue];
    x[o + 2] = (Ag - Bg) / sigma[green];
    x[o + 3] = (Ar - Br) / sigma[red];
    x[o + 4] = (An - Bn) / sigma[nir];
    const nvb = nd(Bn, Br);
    const nva = nd(An, Ar);
    x[o + 5] = nvb;
    x[o + 6] = nva;
    x[o + 7] = nva - nvb;
    x[o + 8] = bb[i];
    x[o + 9] = ba[i];
    x[o + 10] = Math.log(Math.max(ba[i], 1e-3) / Math.max(bb[i], 1e-3));
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
    x[o + 19] = std3(bb, width, height, px, py);
    x[o + 20] = std3(ba, width, height, px, py);
  }
  return { index, x, score };
}

/** Standard deviation over the 3×3 box around (px, py), clipped to the window. */
function std3(v: Float32Array, w: number, h: number, px: number, py: number): number {
  let s = 0;
  let q = 0;
  let c = 0;
  for (let y = py > 0 ? py - 1 : 0; y <= py + 1 && y < h; y++)
    for (let x = px > 0 ? px - 1 : 0; x <= px + 1 && x < w; x++) {
      const a = v[y * w + x];
      s += a;
      q += a * a;
      c++;
    }
  const mu = s / c;
  return Math.sqrt(Math.max(q / c - mu * mu, 0));
}
