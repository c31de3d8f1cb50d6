/**
 * How much farmland a place in the demo region carries. Jincheng is the Taihang–Taiyue–
 * Zhongtiao mountain country around the Zeshan–Gaoping basin: Gaoping and Zezhou are the
 * grain basins, Qinshui, Lingchuan and Yangcheng mostly mountain, Chengqu mostly city. A
 * county factor carries that, smooth value noise varies it within counties (mountain
 * ridges with hardly any fields, valleys full of them).
 */
import { hashLabel } from './random.ts';

/** Relative farmland density by county (GB/T 2260 code). */
const COUNTY_DENSITY: Record<string, number> = {
  '140502': 0.5, // 城区: urban core, farmland on its rim
  '140521': 0.3, // 沁水县: Taiyue and Zhongtiao mountains
  '140522': 0.45, // 阳城县: Zhongtiao and Xishan hills
  '140524': 0.4, // 陵川县: Taihang plateau
  '140525': 0.75, // 泽州县: basin and southern Taihang
  '140581': 1.0, // 高平市: the Gaoping basin, Jincheng's granary
};

/** Value-noise lattice spacing in degrees (~7 km): the scale of a valley or a ridge. */
const NOISE_STEP = 0.07;

/** Random value in [0, 1) at integer node (ix, iy) for a numeric seed: murmur3's finaliser. */
function nodeValue(seed: number, ix: number, iy: number): number {
  let h = (seed ^ Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * A lattice of random values in [0, 1) for `label`: the label is hashed once, so the
 * returned function has no strings in its hot loop.
 */
export function latticeField(label: string): (ix: number, iy: number) => number {
  const seed = hashLabel(`${label}/terrain`);
  return (ix, iy) => nodeValue(seed, ix, iy);
}

/**
 * Smooth value noise in [0, 1) for `label` (bilinear with smoothstep weights; Perlin 1985
 * without gradients), one lattice node every NOISE_STEP degrees of its arguments.
 */
export function noiseField(label: string): (x: number, y: number) => number {
  const node = latticeField(label);
  return (x, y) => {
    const fx = x / NOISE_STEP;
    const fy = y / NOISE_STEP;
    const ix = Math.floor(fx);
    const iy = Math.floor(fy);
    const tx = smoothstep(fx - ix);
    const ty = smoothstep(fy - iy);
    const a = node(ix, iy);
    const b = node(ix + 1, iy);
    const c = node(ix, iy + 1);
    const d = node(ix + 1, iy + 1);
    return a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty;
  };
}

function smoothstep(t: number): number {
  return t * t * (3 - 2 * t);
}

/**
 * Relative farmland density at (x, y) in `countyCode`, in [0, ~1.9]; urban residents'
 * committees (社区居委会) get a tenth of it, since city blocks carry hardly any farmland.
 */
export function farmlandDensity(
  seed: string,
  countyCode: string,
  x: number,
  y: number,
  urban: boolean,
): number {
  const noise = noiseField(seed)(x, y);
  // Contrast: ridges (low noise) keep a few terraces, valleys (high noise) are mostly fields.
  const local = noise < 0.3 ? 0.03 : 0.1 + 3 * (noise - 0.3) ** 1.5;
  return (COUNTY_DENSITY[countyCode] ?? 0.5) * local * (urban ? 0.1 : 1);
}
