/**
 * Seeded pseudo-random numbers for the demo region. Every generator is forked from the
 * region seed by a label (e.g. a village code), so one village's parcels do not shift when
 * another village changes, and any part of the region can be rebuilt alone, identically.
 */

import { rng } from '../random.ts';

/** A seeded source of uniform numbers in [0, 1) with helpers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Standard normal by Box–Muller. */
  normal(): number;
}

/**
 * 32-bit string hash (cyrb53's mixing reduced to 32 bits) to seed a generator from labels.
 * @example hashLabel('gengbao/140521') // → a uint32
 */
export function hashLabel(label: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

/**
 * A generator for `seed` and `labels`, by mulberry32 (Tommy Ettinger, 2017): tiny, fast,
 * and passes PractRand to 2^32 outputs, far more than one demo region draws per label.
 */
export function rngFor(seed: string, ...labels: (string | number)[]): Rng {
  const next = rng(hashLabel([seed, ...labels].join('/')));
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min + 1) * next()),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(items.length * next())],
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}
