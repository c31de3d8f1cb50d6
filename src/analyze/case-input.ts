import type { PolygonFigures } from './figures.ts';

/**
 * The `analyse` transition's input from a polygon's figures: total and per-layer 亩 and the
 * pre-judgment (approved / unapproved / partly; on farmland; on permanent basic farmland),
 * plus the earlier polygon it repeats. One mapping for the job and the demo.
 */
export function analyseInputOf(f: PolygonFigures): Record<string, unknown> {
  return {
    totalMu: f.total.mu,
    layerMu: Object.fromEntries(Object.entries(f.layers).map(([k, a]) => [k, a.mu])),
    preJudgment: {
      approval:
        f.approved.m2 <= 0
          ? 'unapproved'
          : f.approved.m2 >= f.total.m2 * 0.999
            ? 'approved'
            : 'partly_approved',
      onFarmland: f.layers.farmland.m2 > 0,
      onPermanentBasicFarmland: f.layers.pbf.m2 > 0,
    },
    ...(f.earlier[0] ? { repeatOf: String(f.earlier[0].id) } : {}),
  };
}
