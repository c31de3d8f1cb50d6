import type { Map as MapLibreMap, GeoJSONSource } from 'maplibre-gl';

export type Ring = [number, number][];

/** Ray casting point-in-polygon on lon/lat (fine at the scale of a drawn office filter). */
export function pointInRing(p: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi)
      inside = !inside;
  }
  return inside;
}

/** The outer rings of a GeoJSON upload (FeatureCollection, Feature or geometry; Polygon/MultiPolygon). */
export function ringsOf(geojson: unknown): Ring[] {
  const out: Ring[] = [];
  const visit = (
    g:
      | { type?: string; coordinates?: unknown; features?: unknown[]; geometry?: unknown }
      | null
      | undefined,
  ) => {
    if (!g) return;
    if (g.type === 'FeatureCollection') g.features?.forEach((f) => visit(f as typeof g));
    else if (g.type === 'Feature') visit(g.geometry as typeof g);
    else if (g.type === 'Polygon') out.push((g.coordinates as Ring[])[0]);
    else if (g.type === 'MultiPolygon') (g.coordinates as Ring[][]).forEach((p) => out.push(p[0]));
  };
  visit(geojson as Parameters<typeof visit>[0]);
  return out;
}

export const ringsBBox = (rings: Ring[]): [number, number, number, number] => {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of rings)
    for (const [x, y] of r) {
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x);
      b[3] = Math.max(b[3], y);
    }
  return b;
};

/** Shows the filter area on the map (a GeoJSON source of one small feature, not data). */
export function showArea(map: MapLibreMap, rings: Ring[]): void {
  const data: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: rings.map((r) => ({
      type: 'Feature',
      properties: {},
      geometry:
        r.length > 2
          ? { type: 'Polygon', coordinates: [[...r, r[0]]] }
          : { type: 'LineString', coordinates: r },
    })),
  };
  const src = map.getSource('area-filter') as GeoJSONSource | undefined;
  if (src) src.setData(data);
  else {
    map.addSource('area-filter', { type: 'geojson', data });
    map.addLayer({
      id: 'area-filter-fill',
      type: 'fill',
      source: 'area-filter',
      paint: { 'fill-color': '#1565c0', 'fill-opacity': 0.08 },
    });
    map.addLayer({
      id: 'area-filter-line',
      type: 'line',
      source: 'area-filter',
      paint: { 'line-color': '#1565c0', 'line-width': 2, 'line-dasharray': [3, 2] },
    });
  }
}
