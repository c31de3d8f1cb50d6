/**
 * The public face of the jurisdiction grid (田长制 网格): its levels, what a well-formed code
 * of each level is, the prefix a code owns at a level, the ladder and the level above,
 * containment, and finding the cell a geometry lies in. Pure: the store, cases, demo and
 * services ask here instead of cutting codes themselves.
 */
export {
  JURISDICTION_LEVELS,
  LEVEL_PREFIX_LENGTHS,
  isJurisdictionLevel,
  levelAboveOf,
  type JurisdictionLevel,
} from './levels.ts';
export { isValidCode, levelOf, prefixAt, covers } from './codes.ts';
export { DEFAULT_GRID_PREFIX_LENGTHS, levelAbove, ownPrefixLength } from './ladder.ts';
export { GridLocator, locateIn, type GridCell } from './locate.ts';
