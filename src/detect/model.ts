/** Classes of the change raster. */
export const NO_CHANGE = 0;
export const BUILT = 1;
export const BARE = 2;
/** Vegetated before, soil-like after: seasonal unless its object is mostly built or bare. */
export const SEASONAL = 3;
export const CLASS_NAMES = ['none', 'built', 'bare'] as const;
