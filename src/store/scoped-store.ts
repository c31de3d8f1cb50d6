import type { BBox } from '../geo/types.ts';
import type { JurisdictionLevel } from '../grid/index.ts';
import type { Db, Queryable } from './db.ts';
import { eventsOf } from './events.ts';
import { getImagery, listImagery } from './imagery.ts';
import { getJob, listJobs } from './jobs.ts';
import { getJurisdiction, listJurisdictions, type JurisdictionQuery } from './jurisdictions.ts';
import {
  countByVerdict,
  countOverdue,
  listByVerdict,
  listOverdue,
  type QueueFilters,
} from './work-queues.ts';
import type { KeyValue } from './keyset.ts';
import { polygonStats } from './polygon-stats.ts';
import {
  countMatching,
  countPolygons,
  getPolygon,
  listPolygons,
  type PolygonQuery,
} from './polygons.ts';
import { actorNamesOf, placeNamesOf } from './polygon-names.ts';
import { listReferenceLayers, referenceFeaturesInBox, type LayerKind } from './reference.ts';
import type { Scope } from './scope.ts';
import { searchPlaces } from './search.ts';
import { jurisdictionTileRows, polygonTileRows, referenceTileRows } from './tile-features.ts';
import { tileStamps } from './tile-stamps.ts';
import { insertUser, listUsers, type NewUser, type Principal } from './users.ts';

/**
 * The store as a request sees it: every method is bound to the caller's scope (jurisdiction
 * code prefix). Routes receive only this object, never the raw Db, so a new route cannot
 * forget to scope a query.
 */
export class ScopedStore {
  readonly scope: Scope;

  constructor(
    private readonly db: Db,
    readonly principal: Principal,
  ) {
    this.scope = principal.scope;
  }

  /** Runs `fn` in one transaction with a store bound to the same scope. */
  transaction<T>(fn: (q: Queryable, scope: Scope) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(tx, this.scope));
  }

  readonly jurisdictions = {
    list: (query?: JurisdictionQuery) => listJurisdictions(this.db, this.scope, query),
    get: (code: string) => getJurisdiction(this.db, this.scope, code),
  };

  readonly polygons = {
    list: (query?: PolygonQuery) => listPolygons(this.db, this.scope, query),
    count: () => countPolygons(this.db, this.scope),
    /** How many 图斑 a list query's filters match. */
    countMatching: (query?: PolygonQuery) => countMatching(this.db, this.scope, query),
    get: (id: number) => getPolygon(this.db, this.scope, id),
    /** The 图斑's record with the enforcement documents issued on it (`polygon_document`), by seq. */
    events: async (id: number) =>
      (
        await Promise.all(
          ['polygon', 'polygon_document'].map((type) =>
            eventsOf(this.db, this.scope, type, String(id)),
          ),
        )
      )
        .flat()
        .sort((a, b) => a.seq - b.seq),
    /** The named units a visible 图斑 lies in (village, township, county …), nearest first. */
    places: (jurisdictionCode: string) => placeNamesOf(this.db, jurisdictionCode),
    /** Name and unit of the users who acted in a visible record. */
    actors: (ids: readonly string[]) => actorNamesOf(this.db, ids),
    stats: () => polygonStats(this.db, this.scope),
    /** Open 图斑 with a missed lifecycle deadline (the "overdue" work queue). */
    overdue: (now: Date, filters?: QueueFilters) => listOverdue(this.db, this.scope, now, filters),
    countOverdue: (now: Date, filters?: QueueFilters) =>
      countOverdue(this.db, this.scope, now, filters),
    /** 图斑 by verdict category, or 'none' before a verdict. */
    byVerdict: (verdict: string, filters?: QueueFilters) =>
      listByVerdict(this.db, this.scope, verdict, filters),
    countByVerdict: (verdict: string, filters?: QueueFilters) =>
      countByVerdict(this.db, this.scope, verdict, filters),
  };

  /** 图斑 by code prefix and jurisdictions by name, for the map's search box. */
  search = (text: string, limit?: number) => searchPlaces(this.db, this.scope, text, limit);

  readonly layers = {
    list: () => listReferenceLayers(this.db, this.scope),
    featuresInBox: (
      bbox: BBox,
      opts?: { kinds?: LayerKind[]; withGeometry?: boolean; limit?: number; afterId?: number },
    ) => referenceFeaturesInBox(this.db, this.scope, bbox, opts),
  };

  readonly imagery = {
    list: () => listImagery(this.db, this.scope),
    get: (id: number) => getImagery(this.db, this.scope, id),
  };

  /** What map tiles of this scope depend on; tile caches key on it. */
  tileStamps = () => tileStamps(this.db, this.scope);

  /** Whether the database is embedded PGlite, whose queries run on this thread (tiles/query-turns.ts). */
  get embedded(): boolean {
    return this.db.kind === 'pglite';
  }

  /** What a map tile draws in a box: the few fields it shows, outlines as GeoJSON text (tile-features.ts). */
  readonly tileRows = {
    polygons: (bbox: BBox, opts: { asPoints: boolean; limit: number }) =>
      polygonTileRows(this.db, this.scope, bbox, opts),
    reference: (kind: LayerKind, bbox: BBox, limit: number) =>
      referenceTileRows(this.db, this.scope, kind, bbox, limit),
    jurisdictions: (level: JurisdictionLevel, bbox: BBox, limit: number) =>
      jurisdictionTileRows(this.db, this.scope, level, bbox, limit),
  };

  readonly users = {
    list: (limit?: number, after?: KeyValue[]) => listUsers(this.db, this.scope, limit, after),
    create: (u: NewUser) => this.db.transaction((tx) => insertUser(tx, this.scope, u)),
  };

  readonly jobs = {
    get: (id: string) => getJob(this.db, this.scope, id),
    list: (limit?: number, after?: KeyValue[]) => listJobs(this.db, this.scope, limit, after),
  };
}
