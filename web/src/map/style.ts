import type { StyleSpecification } from 'maplibre-gl';
import { STATUS_COLORS } from '../queues.ts';

const origin = () => location.origin;
const mvt = (layer: string, minzoom: number) => ({
  type: 'vector' as const,
  tiles: [`${origin()}/api/tiles/${layer}/{z}/{x}/{y}.mvt`],
  minzoom,
  maxzoom: 16,
});

/** Reference layers drawn as tinted areas, with their colours. */
export const REFERENCE_LAYERS: { id: string; color: string }[] = [
  { id: 'farmland', color: '#c5e1a5' },
  { id: 'pbf', color: '#66bb6a' },
  { id: 'redline', color: '#ef5350' },
  { id: 'approval', color: '#64b5f6' },
  { id: 'facility', color: '#ffb74d' },
  { id: 'temporary', color: '#ba68c8' },
  { id: 'homestead', color: '#a1887f' },
];

/** Switchable layer groups (ids of the style layers each controls), in switcher order. */
export const LAYER_GROUPS: { id: string; layers: string[]; visible: boolean }[] = [
  { id: 'polygons', layers: ['polygons-fill', 'polygons-line', 'polygons-dot'], visible: true },
  { id: 'county', layers: ['county-line'], visible: true },
  { id: 'township', layers: ['township-line'], visible: true },
  { id: 'village', layers: ['village-line'], visible: false },
  ...REFERENCE_LAYERS.map((r) => ({
    id: r.id,
    layers: [`${r.id}-fill`],
    visible: r.id === 'farmland' || r.id === 'pbf',
  })),
];

const statusColor: unknown = [
  'match',
  ['get', 'status'],
  ...Object.entries(STATUS_COLORS).flat(),
  '#e53935',
];

/**
 * The map style: no basemap from outside (intranets have none) — a plain background, our
 * imagery and our vector tiles. No text symbol layers, so no glyph server is needed: names and
 * codes appear in HTML popups and lists, which render CJK with the browser's own fonts.
 */
export function mapStyle(): StyleSpecification {
  const vis = (group: string) =>
    LAYER_GROUPS.find((g) => g.id === group)?.visible ? 'visible' : 'none';
  return {
    version: 8,
    sources: {
      polygons: mvt('polygons', 5),
      county: mvt('county', 5),
      township: mvt('township', 8),
      village: mvt('village', 11),
      ...Object.fromEntries(REFERENCE_LAYERS.map((r) => [r.id, mvt(r.id, 12)])),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f3f1ea' } },
      ...REFERENCE_LAYERS.map((r) => ({
        id: `${r.id}-fill`,
        type: 'fill' as const,
        source: r.id,
        'source-layer': r.id,
        layout: { visibility: vis(r.id) as 'visible' | 'none' },
        paint: { 'fill-color': r.color, 'fill-opacity': 0.45, 'fill-outline-color': r.color },
      })),
      {
        id: 'village-line',
        type: 'line',
        source: 'village',
        'source-layer': 'village',
        layout: { visibility: vis('village') as 'visible' },
        paint: { 'line-color': '#9e9e9e', 'line-width': 0.6, 'line-dasharray': [2, 2] },
      },
      {
        id: 'township-line',
        type: 'line',
        source: 'township',
        'source-layer': 'township',
        layout: { visibility: vis('township') as 'visible' },
        paint: { 'line-color': '#757575', 'line-width': 1 },
      },
      {
        id: 'county-line',
        type: 'line',
        source: 'county',
        'source-layer': 'county',
        layout: { visibility: vis('county') as 'visible' },
        paint: { 'line-color': '#424242', 'line-width': 2 },
      },
      {
        id: 'polygons-fill',
        type: 'fill',
        source: 'polygons',
        'source-layer': 'polygons',
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: {
          'fill-color': statusColor as string,
          'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.85, 0.55],
        },
      },
      {
        id: 'polygons-dot',
        type: 'circle',
        source: 'polygons',
        'source-layer': 'polygons',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-color': statusColor as string,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 12, 5],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
        },
      },
      {
        id: 'polygons-line',
        type: 'line',
        source: 'polygons',
        'source-layer': 'polygons',
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: {
          'line-color': statusColor as string,
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1, 14, 2.5],
        },
      },
    ],
  } as StyleSpecification;
}
