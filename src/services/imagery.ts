import { basename, resolve } from 'node:path';
import { dayToIso, isoToDay } from '../cases/calendar.ts';
import { GengbaoError } from '../errors.ts';
import { bboxContains } from '../geo/bbox.ts';
import type { TileAddress } from '../geo/tile-math.ts';
import type { ImageryTiler } from '../raster/imagery-tiles.ts';
import { gridLonLatBox } from '../raster/grid.ts';
import { isUrl, openScene } from '../raster/scene-source.ts';
import type { Db } from '../store/db.ts';
import { getImagery, insertImagery, listImagery, type ImageryRecord } from '../store/imagery.ts';
import { getJurisdiction, listJurisdictions } from '../store/jurisdictions.ts';
import type { KeyValue } from '../store/keyset.ts';
import type { Scope } from '../store/scope.ts';

export interface ImageryImportOptions {
  /** A GeoTIFF/COG, a folder of per-band GeoTIFFs, or an http(s) URL. */
  location: string;
  /** Acquisition date, YYYY-MM-DD. */
  date: string;
  name?: string;
  /** The unit the scene belongs to; default: the smallest one whose box holds the scene's. */
  jurisdictionCode?: string;
  /** Which date of a detection pair it is usually taken as (the dashboard preselects by it). */
  role?: 'before' | 'after';
  /**
   * Its radiometric offset in stored units (ESA's BOA_ADD_OFFSET: −1000 for Sentinel-2 from
   * processing baseline 04.00), for scenes whose files and names do not say it (Earth Search's
   * COGs); detection jobs on the scene use it.
   */
  addOffset?: number;
  /** More facts to keep with the scene (the intake's sensor, content hash, cloud share). */
  extraMeta?: Record<string, unknown>;
}

/**
 * Registers a scene so that the dashboard can pick it for detection and the map can show it:
 * the file is opened first (a corrupt, unreadable or unknown-CRS file is refused and nothing
 * is stored), its box computed in lon/lat, and it is stored under the given unit or the
 * smallest unit of the caller's scope whose box holds the whole scene. Local paths are stored
 * absolute, so that a server started elsewhere still finds them.
 */
export async function importImagery(
  db: Db,
  scope: Scope,
  opts: ImageryImportOptions,
): Promise<ImageryRecord> {
  // A real day: 2026-02-30 comes back from the day count as 2026-03-02.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date) || dayToIso(isoToDay(opts.date)) !== opts.date)
    throw new GengbaoError(
      'bad_input',
      `the acquisition date must be a real day as YYYY-MM-DD, got "${opts.date}"`,
      { field: 'date' },
    );
  if (opts.addOffset !== undefined && !Number.isFinite(opts.addOffset))
    throw new GengbaoError('bad_input', `the offset must be a number, got ${opts.addOffset}`, {
      field: 'offset',
    });
  const uri = isUrl(opts.location) ? opts.location : resolve(opts.location);
  const scene = await openScene(uri);
  try {
    const bbox = gridLonLatBox(scene.grid);
    let code = opts.jurisdictionCode;
    if (code !== undefined) {
      if (!(await getJurisdiction(db, scope, code)))
        throw new GengbaoError('bad_input', `no jurisdiction ${code} in your scope`, {
          field: 'jurisdiction',
        });
    } else {
      const holding = (await listJurisdictions(db, scope, { bbox })).filter(
        (j) => j.bbox && bboxContains(j.bbox, bbox),
      );
      // The smallest: the longest code (codes grow by level).
      code = holding.sort(
        (a, b) => b.code.length - a.code.length || a.code.localeCompare(b.code),
      )[0]?.code;
      if (!code)
        throw new GengbaoError(
          'bad_input',
          `${uri}: no jurisdiction in your scope holds the scene (lon/lat box ${bbox.map((v) => v.toFixed(4)).join(', ')}); give one`,
          { field: 'jurisdiction' },
        );
    }
    return await insertImagery(db, {
      name: opts.name ?? basename(uri),
      acquiredOn: opts.date,
      uri,
      jurisdictionCode: code,
      bbox,
      meta: {
        ...opts.extraMeta,
        ...(opts.role ? { role: opts.role } : {}),
        ...(opts.addOffset !== undefined ? { addOffset: opts.addOffset } : {}),
        bands: scene.bandNames,
        size: [scene.grid.width, scene.grid.height],
        crs: scene.grid.crs.epsg ? `EPSG:${scene.grid.crs.epsg}` : 'user-defined',
      },
    });
  } finally {
    await scene.close();
  }
}

/**
 * Stored scenes: registering them, and their true-colour tiles. One tiler per process keeps
 * each scene's file open and its display stretch computed once, for the map and the field
 * packages alike.
 */
export class ImageryService {
  constructor(
    private readonly db: Db,
    private readonly tiler: ImageryTiler,
  ) {}

  import(scope: Scope, opts: ImageryImportOptions): Promise<ImageryRecord> {
    return importImagery(this.db, scope, opts);
  }

  /** The scenes in a scope; their files start opening so the first tiles come quickly. */
  async list(
    scope: Scope,
    page?: { limit: number; afterKey?: KeyValue[] },
  ): Promise<ImageryRecord[]> {
    const items = await listImagery(this.db, scope, page);
    for (const img of items) this.tiler.prepare(img.uri);
    return items;
  }

  /** One scene in a scope; not_found otherwise. */
  async get(scope: Scope, id: number): Promise<ImageryRecord> {
    const img = await getImagery(this.db, scope, id);
    if (!img)
      throw new GengbaoError('not_found', `no imagery ${id} in your scope`, { field: 'id' });
    return img;
  }

  /** One tile as PNG; null outside the scene. */
  renderTile(uri: string, t: TileAddress): Promise<Buffer | null> {
    return this.tiler.render(uri, t);
  }
}
