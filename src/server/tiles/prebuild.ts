import type { Db } from '../../store/db.ts';
import { ScopedStore } from '../../store/scoped-store.ts';
import type { TileFiles } from '../../store/tile-files.ts';
import { tileScopes } from '../../store/tile-scopes.ts';
import type { Principal } from '../../store/users.ts';
import type { TileAddress } from '../../geo/tile-math.ts';
import type { BBox } from '../../geo/types.ts';
import { encodeTileHere, type TileEncoder } from './encoder.ts';
import { VECTOR_LAYERS, type VectorLayer } from './vector-layers.ts';

/**
 * The zooms built ahead, per layer. 图斑 change with every import and detection run and are
 * few per tile, so they are built to zoom 14 (a village on screen); reference layers and
 * boundaries change only on reference imports and are built at their first zooms up to 12.
 * Only tiles holding something are built (an empty tile's children are empty too), so the
 * cost follows the data, not the map: the Jincheng demo's ~500 图斑 are ~1,300 tiles a scope.
 */
export const PREBUILD_MAX_ZOOM: Readonly<Record<string, number>> = { polygons: 14 };
const DEFAULT_MAX_ZOOM = 12;
/** Units whose users get their tiles built ahead; townships and villages are small enough to build on demand. */
const SCOPE_LEVELS = ['province', 'city', 'county'] as const;

const lon2x = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2y = (lat: number, z: number) =>
  Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
const clampTile = (v: number, z: number) => Math.min(Math.max(v, 0), 2 ** z - 1);

/** The tiles of zoom `z` over a box. */
function tilesOver(b: BBox, z: number): TileAddress[] {
  const out: TileAddress[] = [];
  const [x0, x1] = [clampTile(lon2x(b[0], z), z), clampTile(lon2x(b[2], z), z)];
  const [y0, y1] = [clampTile(lat2y(b[3], z), z), clampTile(lat2y(b[1], z), z)];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push({ z, x, y });
  return out;
}

interface BuildOptions {
  yieldEvery: number;
  encode: TileEncoder;
  signal?: AbortSignal;
}

export interface PrebuildReport {
  scopes: number;
  built: number;
  skipped: number;
  ms: number;
}

/**
 * Builds the low-zoom tiles of every unit that has users (province, city, county) onto disk,
 * keyed by the data stamp, so the first map of a morning — or 200 officers opening different
 * places at once — reads files instead of queueing for the database and the encoder. A layer
 * whose stamp has not moved since its last build is skipped; old stamps' tiles are removed.
 * Zoom by zoom, each zoom marked complete when done (a tile missing from it is then empty).
 */
export async function prebuildTiles(
  db: Db,
  files: TileFiles,
  opts: { yieldEvery?: number; signal?: AbortSignal; encode?: TileEncoder } = {},
): Promise<PrebuildReport> {
  const t0 = performance.now();
  const principals = await tileScopes(db, SCOPE_LEVELS);
  let built = 0;
  let skipped = 0;
  for (const p of principals) {
    if (opts.signal?.aborted) break;
    const r = await prebuildScope(db, files, p, {
      yieldEvery: opts.yieldEvery ?? 1,
      encode: opts.encode ?? encodeTileHere,
      signal: opts.signal,
    });
    built += r.built;
    skipped += r.skipped;
  }
  return { scopes: principals.length, built, skipped, ms: Math.round(performance.now() - t0) };
}

async function prebuildScope(db: Db, files: TileFiles, principal: Principal, how: BuildOptions) {
  const store = new ScopedStore(db, principal);
  const stamps = await store.tileStamps();
  let extent: BBox | null | undefined;
  let built = 0;
  let skipped = 0;
  for (const layer of VECTOR_LAYERS.values()) {
    const stamp = layer.changes === 'polygons' ? stamps.polygons : stamps.reference;
    const key = { layer: layer.id, scope: store.scope.prefix, stamp };
    const top = PREBUILD_MAX_ZOOM[layer.id] ?? DEFAULT_MAX_ZOOM;
    if (top < layer.minZoom || files.isComplete(key, top)) {
      skipped++;
      continue;
    }
    extent ??= await extentOf(store);
    if (!extent) break;
    await files.prune({ layer: layer.id, scope: store.scope.prefix }, stamp);
    built += await buildLayer(store, files, layer, key, extent, top, how);
  }
  return { built, skipped };
}

/** The box of the scope's units, read only when a layer needs building. */
async function extentOf(store: ScopedStore): Promise<BBox | null> {
  const units = await store.jurisdictions.list({ limit: 5000 });
  const boxes = units.map((u) => u.bbox).filter((b): b is BBox => !!b);
  if (!boxes.length) return null;
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

/**
 * Runs `prebuildTiles` now and then every `intervalMs` after the previous pass ends: an
 * import, a detection run or a verdict moves a stamp, and the next pass builds that layer
 * again (whoever wrote — this server, a worker, the CLI). A pass with nothing to build reads
 * one stamp query per scope.
 */
export function startTilePrebuild(
  db: Db,
  files: TileFiles,
  log: (report: PrebuildReport) => void,
  onError: (e: unknown) => void,
  opts: { intervalMs?: number; encode?: TileEncoder } = {},
) {
  const intervalMs = opts.intervalMs ?? 15_000;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const abort = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = prebuildTiles(db, files, { signal: abort.signal, encode: opts.encode })
      .then((r) => {
        if (r.built) log(r);
      }, onError)
      .finally(() => {
        if (!stopped) (timer = setTimeout(pass, intervalMs)).unref();
      });
  };
  pass();
  return {
    /** The pass in progress, if any, for the caller to wait on (a benchmark, a test). */
    idle: () => running,
    async stop() {
      stopped = true;
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

async function buildLayer(
  store: ScopedStore,
  files: TileFiles,
  layer: VectorLayer,
  key: { layer: string; scope: string; stamp: string },
  extent: BBox,
  top: number,
  { yieldEvery, encode, signal }: BuildOptions,
): Promise<number> {
  let built = 0;
  let level = tilesOver(extent, layer.minZoom);
  for (let z = layer.minZoom; z <= top && level.length; z++) {
    const next: TileAddress[] = [];
    for (const t of level) {
      // A server shutting down stops between tiles; the zoom stays unmarked, to be built again.
      if (signal?.aborted) return built;
      const features = await layer.features(store, t);
      if (!features.length) continue;
      await files.write({ ...key, ...t }, await encode({ layer: layer.id, t, features }));
      built++;
      // Leave the event loop to the requests between tiles: this runs beside the server.
      if (built % yieldEvery === 0) await new Promise((r) => setImmediate(r));
      for (const dx of [0, 1])
        for (const dy of [0, 1]) next.push({ z: z + 1, x: t.x * 2 + dx, y: t.y * 2 + dy });
    }
    await files.markComplete(key, z);
    level = next;
  }
  return built;
}
