import { LAYER_KINDS, type LayerKind } from '../../store/reference.ts';
import type { ScopedStore } from '../../store/scoped-store.ts';
import type { JurisdictionLevel } from '../../grid/index.ts';
import { tileBBox, type TileAddress } from '../../geo/tile-math.ts';
import type { TileFeature } from './mvt.ts';

/**
 * One vector-tile layer: where its features come from and from which zoom it is worth
 * drawing. Below `minZoom` a tile is empty rather than a slow, unreadable smear: 11 848
 * farmland parcels in one zoom-8 tile are neither fast nor useful, and 100 000 图斑 would be
 * worse. Every fetch goes through the caller's ScopedStore, so tiles never leak data.
 */
export interface VectorLayer {
  id: string;
  minZoom: number;
  /** How the layer's data may change: 'polygons' follows the 图斑 table's stamp, 'static' only reference imports. */
  changes: 'polygons' | 'static';
  /** The features of tile `t`, outlines as GeoJSON text: they are parsed where the tile is encoded (encoder.ts). */
  features(store: ScopedStore, t: TileAddress): Promise<TileFeature[]>;
}

/** Features per tile at most: beyond this the tile is cut, which only happens below useful zooms. */
const TILE_FEATURE_LIMIT = 10_000;
/** Units per tile at most: more than a province has at any level below it. */
const JURISDICTION_LIMIT = 5000;
/** Buffer around the tile box when picking features, as a fraction of the tile. */
const PICK_BUFFER = 1 / 64;

const jurisdictionLayer = (level: JurisdictionLevel, minZoom: number): VectorLayer => ({
  id: level,
  minZoom,
  changes: 'static',
  async features(store, t) {
    const rows = await store.tileRows.jurisdictions(
      level,
      tileBBox(t, PICK_BUFFER),
      JURISDICTION_LIMIT,
    );
    return rows.map(({ geometry, fields: j }) => ({
      id: Number(j.code),
      geometry,
      properties: { code: j.code, name: j.name, level: j.level },
    }));
  },
});

/** Reference parcels from zoom 12 (a township on screen): below, a tile holds thousands of parcels too small to read. */
const referenceLayer = (kind: LayerKind): VectorLayer => ({
  id: kind,
  minZoom: 12,
  changes: 'static',
  async features(store, t) {
    const rows = await store.tileRows.reference(kind, tileBBox(t, PICK_BUFFER), TILE_FEATURE_LIMIT);
    return rows.map(({ geometry, fields: f }) => ({
      id: f.id,
      geometry,
      properties: {
        id: f.id,
        kind: f.kind,
        code: f.jurisdictionCode,
        areaM2: Math.round(f.areaM2),
      },
    }));
  },
});

/**
 * Below this zoom a 图斑 (typically 0.1–2 ha, under a pixel at zoom 11) is sent as a point at
 * its box centre: tile simplification would drop it as a polygon, and the office still needs
 * to see where the leads are when looking at a whole county.
 */
export const POLYGON_POINT_BELOW_ZOOM = 13;

const polygonLayer: VectorLayer = {
  id: 'polygons',
  // From zoom 5, as points: a province-wide view still shows where the work is.
  minZoom: 5,
  changes: 'polygons',
  async features(store, t) {
    const rows = await store.tileRows.polygons(tileBBox(t, PICK_BUFFER), {
      asPoints: t.z < POLYGON_POINT_BELOW_ZOOM,
      limit: TILE_FEATURE_LIMIT,
    });
    // What the map styles and filters by (status colour, period/source filters, labels).
    return rows.map(({ geometry, fields: p }) => ({ id: p.id, geometry, properties: { ...p } }));
  },
};

/** Every vector-tile layer the server offers, by id (the `{layer}` of the tile URL). */
export const VECTOR_LAYERS: ReadonlyMap<string, VectorLayer> = new Map(
  [
    jurisdictionLayer('county', 5),
    jurisdictionLayer('township', 8),
    jurisdictionLayer('village', 11),
    polygonLayer,
    ...LAYER_KINDS.map(referenceLayer),
  ].map((l) => [l.id, l]),
);
