/* Layer kinds on their own, so worker threads need not load zod with the configuration schema. */

/** Reference layer kinds of 套合 (docs/DOMAIN.md, "套合 (overlay)"). */
export const LAYER_KINDS = [
  'farmland',
  'pbf',
  'redline',
  'approval',
  'facility',
  'temporary',
  'homestead',
] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

/** Kinds whose polygons authorise building: construction approvals and the three permit kinds. */
export const PERMIT_KINDS: readonly LayerKind[] = [
  'approval',
  'facility',
  'temporary',
  'homestead',
];
