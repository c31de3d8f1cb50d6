import { GengbaoError } from '../errors.ts';
import { roundMu, toMu } from '../geo/area.ts';
import type { Areal, BBox } from '../geo/types.ts';
import { JURISDICTION_LEVELS, type JurisdictionLevel } from '../grid/index.ts';
import type { Db } from '../store/db.ts';
import {
  getOgcPolygon,
  getReferenceFeature,
  jurisdictionExtents,
  jurisdictionPage,
  polygonExtents,
  polygonPage,
  referenceExtents,
  referencePage,
  type GroupExtent,
  type KeysetPage,
  type OgcJurisdictionRecord,
  type OgcPolygonRecord,
  type OgcReferenceRecord,
} from '../store/ogc-features.ts';
import { getJurisdiction } from '../store/jurisdictions.ts';
import { LAYER_KINDS, type LayerKind } from '../store/reference.ts';
import type { Scope } from '../store/scope.ts';
import { monthsTouched, periodInterval } from './ogc-time.ts';

/*
 * The features behind Gengbao's OGC API – Features edge (src/server/routes/ogc.ts): which
 * collections a caller has, their extents, and pages of their features as flat GeoJSON.
 *
 * Collections, all scoped to the caller's jurisdiction:
 * - `tuban`: every 图斑, filterable by `period`, `status`, `source` and `datetime`;
 * - `tuban-YYYY-MM`: the 图斑 of one monitoring period. Desktop GIS list collections as layers
 *   and neither GDAL's OAPIF driver nor QGIS offers a box for arbitrary query parameters, so a
 *   period a clerk can pick from the layer list is the form they handle best; status stays a
 *   query parameter (15 statuses × periods would drown the list);
 * - one per reference layer kind present (`farmland`, `pbf`, `redline`, …), every layer of the
 *   kind together, as 套合 reads them;
 * - `jurisdictions-<level>`: the units of one level (levels overlap, so never mixed).
 *
 * Every feature of a collection carries the same properties (null where unknown): GDAL and
 * QGIS fix a layer's fields from its first page.
 */

export const TUBAN = 'tuban';
const PERIOD_COLLECTION = /^tuban-(\d{4}-\d{2})$/;
const LEVEL_COLLECTION = /^jurisdictions-([a-z]+)$/;

/** What a collection is made of. */
export type CollectionSource =
  | { kind: 'tuban'; period?: string }
  | { kind: 'reference'; layer: LayerKind }
  | { kind: 'jurisdictions'; level: JurisdictionLevel };

export interface OgcCollectionInfo {
  id: string;
  title: string;
  description: string;
  source: CollectionSource;
  /** Features the caller may read. */
  count: number;
  /** CRS84 [minLon, minLat, maxLon, maxLat], or null when none has an outline. */
  bbox: BBox | null;
  /** RFC 3339 interval of the features' periods; null for collections without time. */
  interval: [string, string] | null;
}

export interface OgcFeature {
  type: 'Feature';
  id: number | string;
  geometry: Areal | null;
  properties: Record<string, unknown>;
}

export interface ItemsQuery {
  bbox?: BBox;
  /** A closed interval; a missing end is open (`..`). Collections without time ignore it. */
  datetime?: { start: Date | null; end: Date | null };
  limit: number;
  /** The key the previous page ended on (from its `next` link). */
  cursor?: string;
  period?: string;
  status?: string;
  source?: string;
}

export interface ItemsPage {
  features: OgcFeature[];
  numberMatched: number;
  /** The cursor of the next page, or null on the last. */
  next: string | null;
}

const LAYER_TITLES: Record<LayerKind, string> = {
  farmland: '耕地 · farmland',
  pbf: '永久基本农田 · permanent basic farmland',
  redline: '生态保护红线 · ecological protection red line',
  approval: '农转用 / 征收批复, 供地 · approvals',
  facility: '设施农用地备案 · agricultural facilities',
  temporary: '临时用地 · temporary-use permits',
  homestead: '宅基地审批 · rural homestead approvals',
};

const LEVEL_TITLES: Record<JurisdictionLevel, string> = {
  nation: '国家 · nation',
  province: '省级行政区 · provinces',
  city: '市级行政区 · cities',
  county: '县级行政区 · counties',
  township: '乡镇 · townships',
  village: '村 · villages',
};

/** The figures 套合 stores on a 图斑 (src/analyze/properties.ts), the export's column names. */
const FIGURES = [
  'farm_mu',
  'pbf_mu',
  'red_mu',
  'appr_mu',
  'facil_mu',
  'temp_mu',
  'home_mu',
  'unappr_mu',
  'flags',
  'jur_name',
] as const;

const round2 = (v: number) => Math.round(v * 100) / 100;

function polygonFeature(p: OgcPolygonRecord): OgcFeature {
  const figures = Object.fromEntries(
    FIGURES.map((k) => [k, (p.properties[k] as string | number | undefined) ?? null]),
  );
  return {
    type: 'Feature',
    id: p.id,
    geometry: p.geometry ?? null,
    properties: {
      code: p.code,
      period: p.period,
      source: p.source,
      status: p.status,
      verdict: p.verdict,
      jurisdiction_code: p.jurisdictionCode,
      area_m2: round2(p.areaM2),
      area_mu: p.areaMu,
      ...figures,
      created_at: p.createdAt.toISOString(),
      updated_at: p.updatedAt.toISOString(),
    },
  };
}

function referenceFeature(f: OgcReferenceRecord): OgcFeature {
  return {
    type: 'Feature',
    id: f.id,
    geometry: f.geometry ?? null,
    properties: {
      kind: f.kind,
      layer_id: f.layerId,
      layer: f.layerName,
      jurisdiction_code: f.jurisdictionCode,
      area_m2: round2(f.areaM2),
      area_mu: roundMu(toMu(f.areaM2)),
      // The source file's own attributes (DLBM, 图斑编号 …) differ between layers: one JSON field.
      attributes: f.properties,
    },
  };
}

function jurisdictionFeature(j: OgcJurisdictionRecord): OgcFeature {
  return {
    type: 'Feature',
    id: j.code,
    geometry: j.geometry ?? null,
    properties: {
      code: j.code,
      name: j.name,
      level: j.level,
      parent_code: j.parentCode,
      area_m2: j.areaM2 === null ? null : round2(j.areaM2),
      area_mu: j.areaM2 === null ? null : roundMu(toMu(j.areaM2)),
    },
  };
}

function union(boxes: (BBox | null)[]): BBox | null {
  const some = boxes.filter((b): b is BBox => b !== null);
  if (!some.length) return null;
  return [
    Math.min(...some.map((b) => b[0])),
    Math.min(...some.map((b) => b[1])),
    Math.max(...some.map((b) => b[2])),
    Math.max(...some.map((b) => b[3])),
  ];
}

/** The collection a path names, or a 404 naming what exists. */
export function parseCollectionId(id: string): CollectionSource {
  if (id === TUBAN) return { kind: 'tuban' };
  const period = PERIOD_COLLECTION.exec(id);
  if (period) return { kind: 'tuban', period: period[1] };
  if ((LAYER_KINDS as readonly string[]).includes(id))
    return { kind: 'reference', layer: id as LayerKind };
  const level = LEVEL_COLLECTION.exec(id);
  if (level && (JURISDICTION_LEVELS as readonly string[]).includes(level[1]))
    return { kind: 'jurisdictions', level: level[1] as JurisdictionLevel };
  throw new GengbaoError('not_found', `no collection ${id}; GET /ogc/collections lists yours`);
}

function cursorNumber(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,15}$/.test(cursor))
    throw new GengbaoError('bad_input', `cursor must be the id a next link gave, got "${cursor}"`, {
      field: 'cursor',
    });
  return Number(cursor);
}

function nextOf<T>(page: KeysetPage<T>, key: (t: T) => string | number): string | null {
  return page.more && page.items.length ? String(key(page.items[page.items.length - 1])) : null;
}

/** OGC API – Features reads in a caller's scope. */
export class OgcService {
  constructor(private readonly db: Db) {}

  /** The collections the scope holds features of, in a fixed order (图斑, reference, units). */
  async collections(scope: Scope): Promise<OgcCollectionInfo[]> {
    const [periods, kinds, levels] = await Promise.all([
      polygonExtents(this.db, scope),
      referenceExtents(this.db, scope),
      jurisdictionExtents(this.db, scope),
    ]);
    const out: OgcCollectionInfo[] = [];
    const intervalOf = (ps: GroupExtent<string>[]): [string, string] | null =>
      ps.length
        ? [periodInterval(ps[0].group)[0], periodInterval(ps[ps.length - 1].group)[1]]
        : null;
    out.push({
      id: TUBAN,
      title: '图斑 · change polygons (all periods)',
      description:
        'Every 图斑 in your jurisdiction with its status, verdict and 套合 figures (亩). Filter with period=YYYY-MM, status=…, source=… or datetime (the monitoring period, China time).',
      source: { kind: 'tuban' },
      count: periods.reduce((n, p) => n + p.count, 0),
      bbox: union(periods.map((p) => p.bbox)),
      interval: intervalOf(periods),
    });
    for (const p of [...periods].reverse()) {
      out.push({
        id: `${TUBAN}-${p.group}`,
        title: `图斑 ${p.group} · change polygons of period ${p.group}`,
        description: `The 图斑 of monitoring period ${p.group} in your jurisdiction. Filter with status=… or source=….`,
        source: { kind: 'tuban', period: p.group },
        count: p.count,
        bbox: p.bbox,
        interval: intervalOf([p]),
      });
    }
    for (const kind of LAYER_KINDS) {
      const k = kinds.find((x) => x.group === kind);
      if (!k) continue;
      out.push({
        id: kind,
        title: LAYER_TITLES[kind],
        description: `Reference features of kind ${kind} (every layer of the kind) in your jurisdiction.`,
        source: { kind: 'reference', layer: kind },
        count: k.count,
        bbox: k.bbox,
        interval: null,
      });
    }
    for (const level of JURISDICTION_LEVELS) {
      const l = levels.find((x) => x.group === level);
      if (!l) continue;
      out.push({
        id: `jurisdictions-${level}`,
        title: LEVEL_TITLES[level],
        description: `Jurisdictions of level ${level} in your scope with their outlines.`,
        source: { kind: 'jurisdictions', level },
        count: l.count,
        bbox: l.bbox,
        interval: null,
      });
    }
    return out;
  }

  /** One collection's description; 404 when the caller has no such collection. */
  async collection(scope: Scope, id: string): Promise<OgcCollectionInfo> {
    parseCollectionId(id);
    const found = (await this.collections(scope)).find((c) => c.id === id);
    if (!found)
      throw new GengbaoError(
        'not_found',
        `no collection ${id} in your jurisdiction; GET /ogc/collections lists yours`,
      );
    return found;
  }

  /**
   * One page of a collection's features. A collection that exists in general but holds
   * nothing in the caller's scope (a period another county has) answers an empty page: what
   * exists elsewhere is not revealed, and an empty result is the truth of this scope.
   */
  async items(scope: Scope, id: string, q: ItemsQuery): Promise<ItemsPage> {
    const source = parseCollectionId(id);
    if (source.kind === 'tuban') {
      const months = q.datetime ? monthsTouched(q.datetime.start, q.datetime.end) : {};
      // A period collection cannot be widened by a period parameter; a different one empties it.
      const period = source.period ?? q.period;
      if (source.period && q.period && q.period !== source.period)
        return { features: [], numberMatched: 0, next: null };
      const page = await polygonPage(
        this.db,
        scope,
        {
          bbox: q.bbox,
          period,
          periodFrom: months.from,
          periodTo: months.to,
          status: q.status,
          source: q.source,
        },
        { after: cursorNumber(q.cursor), limit: q.limit },
      );
      return {
        features: page.items.map(polygonFeature),
        numberMatched: page.matched,
        next: nextOf(page, (p) => p.id),
      };
    }
    if (source.kind === 'reference') {
      const page = await referencePage(
        this.db,
        scope,
        source.layer,
        { bbox: q.bbox },
        { after: cursorNumber(q.cursor), limit: q.limit },
      );
      return {
        features: page.items.map(referenceFeature),
        numberMatched: page.matched,
        next: nextOf(page, (f) => f.id),
      };
    }
    if (q.cursor !== undefined && !/^\d{1,12}$/.test(q.cursor))
      throw new GengbaoError(
        'bad_input',
        `cursor must be the code a next link gave, got "${q.cursor}"`,
        { field: 'cursor' },
      );
    const page = await jurisdictionPage(
      this.db,
      scope,
      source.level,
      { bbox: q.bbox },
      { after: q.cursor, limit: q.limit },
    );
    return {
      features: page.items.map(jurisdictionFeature),
      numberMatched: page.matched,
      next: nextOf(page, (j) => j.code),
    };
  }

  /** One feature of a collection; 404 when absent, in another collection or outside the scope. */
  async item(scope: Scope, id: string, featureId: string): Promise<OgcFeature> {
    const source = parseCollectionId(id);
    const missing = () =>
      new GengbaoError('not_found', `no feature ${featureId} in collection ${id}`);
    if (source.kind === 'jurisdictions') {
      const j = /^\d{1,12}$/.test(featureId)
        ? await getJurisdiction(this.db, scope, featureId)
        : null;
      if (!j || j.level !== source.level) throw missing();
      return jurisdictionFeature(j);
    }
    if (!/^\d{1,15}$/.test(featureId)) throw missing();
    if (source.kind === 'reference') {
      const f = await getReferenceFeature(this.db, scope, source.layer, Number(featureId));
      if (!f) throw missing();
      return referenceFeature(f);
    }
    const p = await getOgcPolygon(this.db, scope, Number(featureId));
    if (!p || (source.period && p.period !== source.period)) throw missing();
    return polygonFeature(p);
  }
}
