import type { PolygonFigures } from './figures.ts';

/**
 * The figures as flat attribute columns for exports. Names fit the DBF limit of 10 bytes and
 * stay ASCII so every GIS shows them; 亩 values carry the `_mu` suffix.
 */
export function figureProperties(f: PolygonFigures): Record<string, string | number | null> {
  return {
    area_m2: f.total.m2,
    area_mu: f.total.mu,
    farm_mu: f.layers.farmland.mu,
    pbf_mu: f.layers.pbf.mu,
    red_mu: f.layers.redline.mu,
    appr_mu: f.approved.mu,
    facil_mu: f.layers.facility.mu,
    temp_mu: f.layers.temporary.mu,
    home_mu: f.layers.homestead.mu,
    unappr_mu: f.unapprovedFarmland.mu,
    flags: f.flags.join(','),
    jur_code: f.jurisdiction?.code ?? null,
    jur_name: f.jurisdiction?.name ?? null,
    jur_share: f.jurisdiction?.share ?? null,
    earlier: f.earlier.map((e) => `${e.id}:${e.iou}`).join(',') || null,
  };
}
