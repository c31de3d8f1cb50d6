import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sceneFacts, sensorOfWord, dayOf } from '../detect/scene-facts.ts';
import type { SensorId } from '../detect/profiles.ts';
import { GengbaoError } from '../errors.ts';
import { parseHttpList } from './http-list.ts';
import { bboxContains, bboxIntersects, bboxOf } from '../geo/bbox.ts';
import type { Areal } from '../geo/types.ts';
import { gridLonLatBox } from '../raster/grid.ts';
import { gdalMetadataItems } from '../raster/scene-metadata.ts';
import { openScene } from '../raster/scene-source.ts';
import type { Db } from '../store/db.ts';
import {
  findSameScene,
  intakeKeySeen,
  recordIntakeFile,
  type NewIntakeFile,
} from '../store/intake.ts';
import { listJurisdictions } from '../store/jurisdictions.ts';
import { Scope } from '../store/scope.ts';
import { assertImageryAllowed, imageryRefusal, type ImageryAllowList } from './imagery-allow.ts';
import { importImagery } from './imagery.ts';
import { downloadAsset, fetchJson, TransientFetchError } from './stac-fetch.ts';

/** The bounds of one poll (tests shorten them; GENGBAO_STAC_MAX_ASSET_MB sets the asset size). */
export interface StacPolicy {
  /** Seconds between two polls of one catalog (the loop ticks more often). */
  pollSeconds: number;
  /** Largest catalog, collection, item or page document read, in bytes. */
  maxDocumentBytes: number;
  /** Catalog, collection and page documents read per catalog and poll. */
  maxDocumentsPerPoll: number;
  /** New items looked at per catalog and poll; the rest wait for the next poll. */
  maxItemsPerPoll: number;
  /** How deep `child` links are followed from the configured catalog. */
  maxDepth: number;
  /** Time limit of one JSON request, redirects included. */
  documentTimeoutMs: number;
  /** Largest asset copied in, in bytes. */
  maxAssetBytes: number;
  /** Time limit of one asset download. */
  assetTimeoutMs: number;
  /** Redirects followed per request, each to an allowed origin only. */
  maxRedirects: number;
}

export const DEFAULT_STAC_POLICY: StacPolicy = {
  pollSeconds: 300,
  maxDocumentBytes: 5 * 1024 * 1024,
  maxDocumentsPerPoll: 50,
  maxItemsPerPoll: 100,
  maxDepth: 4,
  documentTimeoutMs: 15_000,
  maxAssetBytes: 4 * 1024 * 1024 * 1024,
  assetTimeoutMs: 30 * 60_000,
  maxRedirects: 3,
};

/** What one poll of the configured catalogs did. */
export interface StacReport {
  catalogs: number;
  registered: number[];
  duplicate: number;
  refused: number;
  /** Items or assets that failed for a passing reason (timeout, 5xx): asked again next poll. */
  retry: number;
  /** Items left for the next poll by the per-poll limit. */
  deferred: number;
}

const FIELD = 'GENGBAO_STAC_CATALOGS';

/**
 * The catalogs of GENGBAO_STAC_CATALOGS, comma-separated: each an http(s) address that
 * GENGBAO_IMAGERY_ALLOW allows, else the configuration is refused at start.
 */
export function parseStacCatalogs(text: string | undefined, allow: ImageryAllowList): string[] {
  const out: string[] = [];
  for (const { entry, url } of parseHttpList(text, FIELD, 'address')) {
    try {
      assertImageryAllowed(url.href, allow, FIELD);
    } catch {
      throw new GengbaoError(
        'bad_input',
        `${FIELD} 的目录 "${entry}" 所在主机不在 GENGBAO_IMAGERY_ALLOW 中：请把 ${url.origin} 加入 GENGBAO_IMAGERY_ALLOW / the catalog's origin ${url.origin} is not in GENGBAO_IMAGERY_ALLOW`,
        { field: FIELD },
      );
    }
    out.push(url.href);
  }
  return out;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/** Links of a STAC document with the relation, resolved against the document's address. */
function linksOf(doc: Json, rel: string, base: string): string[] {
  if (!Array.isArray(doc.links)) return [];
  const out: string[] = [];
  for (const l of doc.links) {
    if (!isObject(l) || l.rel !== rel || typeof l.href !== 'string') continue;
    try {
      out.push(new URL(l.href, base).href);
    } catch {
      out.push(l.href);
    }
  }
  return out;
}

/** Sensor words in an item's properties: platform, constellation, instruments. */
export function sensorOfStac(props: Json): SensorId | undefined {
  const words: unknown[] = [props.platform, props.constellation];
  if (Array.isArray(props.instruments)) words.push(...props.instruments);
  for (const w of words) {
    if (typeof w !== 'string') continue;
    const s =
      sensorOfWord(w) ??
      sensorOfWord(w.replace(/[-_\s]/g, '')) ??
      sensorOfWord(w.replace(/[-_\s]*\d+[a-z]?$/i, ''));
    if (s) return s;
  }
  const instruments = (Array.isArray(props.instruments) ? props.instruments : []).map((i) =>
    String(i).toLowerCase(),
  );
  if (instruments.includes('oli') || instruments.includes('oli_tirs')) return 'landsat-oli';
  if (instruments.includes('msi')) return 's2';
  if (instruments.includes('tm') || instruments.includes('etm+')) return 'landsat';
  return undefined;
}

/** The item's properties as a sidecar would give them (src/detect/scene-facts.ts). */
function stacSidecar(props: Json): Json {
  const cloud = props['eo:cloud_cover'];
  return {
    date: dayOf(props.datetime) ?? dayOf(props.start_datetime),
    sensor: sensorOfStac(props),
    ...(typeof cloud === 'number' && cloud >= 0 && cloud <= 100 ? { cloud: cloud / 100 } : {}),
  };
}

/** The item's footprint: its bbox (2D or 3D), else the box of its geometry. */
function footprintOf(item: Json): [number, number, number, number] | null {
  const b = item.bbox;
  if (Array.isArray(b) && b.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    if (b.length === 4) return b as [number, number, number, number];
    if (b.length === 6) return [b[0], b[1], b[3], b[4]];
  }
  const g = item.geometry;
  if (isObject(g) && (g.type === 'Polygon' || g.type === 'MultiPolygon'))
    try {
      return bboxOf(g as unknown as Areal);
    } catch {
      return null;
    }
  return null;
}

const GEOTIFF_TYPE = /image\/tiff|geotiff/i;
const SCENE_ROLES = ['data', 'visual'];

/** The scene assets of an item: GeoTIFFs (by type or name) whose roles, if any, say data. */
function sceneAssets(item: Json): [string, Json][] {
  if (!isObject(item.assets)) return [];
  return Object.entries(item.assets).filter(([, a]): boolean => {
    if (!isObject(a) || typeof a.href !== 'string') return false;
    const tiff =
      (typeof a.type === 'string' && GEOTIFF_TYPE.test(a.type)) ||
      /\.tiff?$/i.test(a.href.split(/[?#]/)[0]);
    const roles = Array.isArray(a.roles) ? a.roles.map(String) : null;
    return tiff && (!roles || roles.some((r) => SCENE_ROLES.includes(r)));
  }) as [string, Json][];
}

const bandCount = (a: Json) => {
  const bands = a['eo:bands'] ?? a.bands;
  return Array.isArray(bands) ? bands.length : null;
};

/**
 * Scene intake from STAC catalogs on the intranet (GENGBAO_STAC_CATALOGS): each configured
 * static catalog or collection — `child` links followed, `item` links read, an item collection's
 * features and `next` pages taken — is polled by the monitoring loop like the watched folder.
 * Each GeoTIFF/COG data asset of an item is copied into `<data>/imagery/stac/` and registered
 * through the imagery service with the item's date (`datetime`), sensor (`platform`,
 * `constellation`, `instruments`) and cloud share (`eo:cloud_cover`), its footprint checked
 * against the item's bbox/geometry and its CRS against `proj:epsg`. Every address read — the
 * catalog, its links, the assets and every redirect — must be allowed by GENGBAO_IMAGERY_ALLOW
 * (src/services/imagery-allow.ts); anything else is refused with the same words, unread.
 *
 * Each (item, asset, address) is recorded once in the intake log (store/intake.ts), keyed
 * `stac:…`: registered, a duplicate of a stored scene (same content, or same name, date and
 * footprint), or refused with the reason in Chinese. A passing failure (timeout, 5xx) records
 * nothing and is tried again on the next poll. The copy makes later reads (detection, re-checks,
 * tiles) local, so the catalog's server is asked once per asset, never redirected elsewhere.
 */
export class StacIntakeService {
  private readonly lastPoll = new Map<string, number>();
  /** Item documents whose every asset is recorded: not read again by this process. */
  private readonly doneItems = new Set<string>();

  constructor(
    private readonly db: Db,
    readonly catalogs: string[],
    private readonly allow: ImageryAllowList,
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
    private readonly policy: StacPolicy = DEFAULT_STAC_POLICY,
  ) {}

  private get docLimits() {
    return {
      timeoutMs: this.policy.documentTimeoutMs,
      maxBytes: this.policy.maxDocumentBytes,
      maxRedirects: this.policy.maxRedirects,
    };
  }

  /** One poll of every catalog whose interval has passed; no catalogs configured: nothing. */
  async poll(): Promise<StacReport> {
    const report: StacReport = {
      catalogs: 0,
      registered: [],
      duplicate: 0,
      refused: 0,
      retry: 0,
      deferred: 0,
    };
    for (const catalog of this.catalogs) {
      const t = this.now().getTime();
      const last = this.lastPoll.get(catalog);
      if (last !== undefined && t - last < this.policy.pollSeconds * 1000) continue;
      this.lastPoll.set(catalog, t);
      report.catalogs++;
      await this.pollCatalog(catalog, report).catch((e: unknown) => {
        // A database outage or the like: tried again on the next poll.
        report.retry++;
        console.error(`STAC intake of ${catalog} failed: ${(e as Error).message}`);
      });
    }
    return report;
  }

  private async pollCatalog(catalog: string, report: StacReport): Promise<void> {
    const queue: { url: string; depth: number }[] = [{ url: catalog, depth: 0 }];
    const visited = new Set<string>();
    let documents = 0;
    let items = 0;
    const take = async (ref: { href?: string; inline?: Json; base: string }) => {
      const id = ref.href ?? `${ref.base}#${String(ref.inline?.id)}`;
      if (this.doneItems.has(id)) return;
      if (items >= this.policy.maxItemsPerPoll) {
        report.deferred++;
        return;
      }
      items++;
      if (await this.takeItem(catalog, ref, report)) this.doneItems.add(id);
    };
    while (queue.length) {
      const { url, depth } = queue.shift()!;
      if (visited.has(url)) continue;
      visited.add(url);
      if (documents >= this.policy.maxDocumentsPerPoll) {
        report.deferred++;
        continue;
      }
      documents++;
      let doc: unknown;
      let base: string;
      try {
        ({ json: doc, url: base } = await fetchJson(url, this.allow, this.docLimits, FIELD));
      } catch (e) {
        if (e instanceof TransientFetchError) {
          report.retry++;
          console.error(`STAC intake: ${e.message}`);
          continue;
        }
        await this.refuseOnce(report, `stac-doc:${url}`, url, this.reasonOf(e, url));
        continue;
      }
      if (!isObject(doc)) {
        await this.refuseOnce(report, `stac-doc:${url}`, url, notStac(url));
        continue;
      }
      if (doc.type === 'Feature') {
        await take({ inline: doc, base });
      } else if (doc.type === 'FeatureCollection') {
        for (const f of Array.isArray(doc.features) ? doc.features : [])
          if (isObject(f)) await take({ inline: f, base });
        for (const next of linksOf(doc, 'next', base)) queue.push({ url: next, depth });
      } else if (doc.type === 'Catalog' || doc.type === 'Collection' || Array.isArray(doc.links)) {
        for (const href of linksOf(doc, 'item', base)) await take({ href, base });
        if (depth < this.policy.maxDepth)
          for (const child of linksOf(doc, 'child', base))
            queue.push({ url: child, depth: depth + 1 });
      } else {
        await this.refuseOnce(report, `stac-doc:${url}`, url, notStac(url));
      }
    }
  }

  /** The words of a refusal: GengbaoError's own (Chinese first), else a generic one. */
  private reasonOf(e: unknown, what: string): string {
    if (e instanceof GengbaoError) return e.message;
    return `无法读取 / cannot read ${what}: ${(e as Error).message}`;
  }

  private async refuseOnce(
    report: StacReport,
    key: string,
    name: string,
    reason: string,
    extra: Partial<NewIntakeFile> = {},
  ): Promise<void> {
    const ok = await recordIntakeFile(this.db, {
      key: key.length > 1000 ? `${key.slice(0, 900)}#${sha(key)}` : key,
      name: name.slice(0, 300),
      contentHash: '',
      size: 0,
      at: this.now(),
      ...extra,
      status: 'refused',
      reason,
    });
    if (ok) report.refused++;
  }

  /**
   * One item (read from its link, or inline); true when every asset of it is recorded, so this
   * process need not read it again.
   */
  private async takeItem(
    catalog: string,
    ref: { href?: string; inline?: Json; base: string },
    report: StacReport,
  ): Promise<boolean> {
    let item: Json;
    let base = ref.base;
    if (ref.href) {
      // The link itself first: a disallowed address is refused unread, once.
      try {
        assertImageryAllowed(ref.href, this.allow, 'item');
        if (!/^https?:/i.test(ref.href)) throw new Error('not http');
      } catch {
        await this.refuseOnce(
          report,
          `stac-item:${ref.href}`,
          ref.href,
          this.reasonOf(imageryRefusal('item'), ref.href),
        );
        return true;
      }
      try {
        const got = await fetchJson(ref.href, this.allow, this.docLimits, 'item');
        if (!isObject(got.json)) throw new GengbaoError('bad_input', notStac(ref.href));
        item = got.json;
        base = got.url;
      } catch (e) {
        if (e instanceof TransientFetchError) {
          report.retry++;
          console.error(`STAC intake: ${e.message}`);
          return false;
        }
        await this.refuseOnce(
          report,
          `stac-item:${ref.href}`,
          ref.href,
          this.reasonOf(e, ref.href),
        );
        return true;
      }
    } else item = ref.inline!;
    const where = ref.href ?? base;
    const id = typeof item.id === 'string' ? item.id.trim() : '';
    // eslint-disable-next-line no-control-regex
    if (!id || id.length > 200 || /[\u0000-\u001f]/.test(id)) {
      await this.refuseOnce(
        report,
        `stac-item:${where}#${sha(JSON.stringify(item.id ?? null))}`,
        where,
        `STAC 条目缺少有效的 id / the item has no valid id (${where})`,
      );
      return true;
    }
    const props = isObject(item.properties) ? item.properties : {};
    const assets = sceneAssets(item);
    const itemKey = `stac-item:${id}@${where}`;
    if (!assets.length) {
      await this.refuseOnce(
        report,
        itemKey,
        id,
        `STAC 条目 ${id} 没有 GeoTIFF/COG 数据资产（type 为 image/tiff 或 .tif 结尾，roles 含 data）/ item ${id} has no GeoTIFF data asset`,
      );
      return true;
    }
    if (assets.length > 1 && assets.every(([, a]) => bandCount(a) === 1)) {
      await this.refuseOnce(
        report,
        itemKey,
        id,
        `STAC 条目 ${id} 每个波段单独一个资产，暂不支持：请提供多波段 GeoTIFF 资产 / item ${id} has one asset per band; a multiband GeoTIFF asset is needed`,
      );
      return true;
    }
    const footprint = footprintOf(item);
    if (!footprint) {
      await this.refuseOnce(
        report,
        itemKey,
        id,
        `STAC 条目 ${id} 缺少有效的 bbox 或 geometry（范围）/ item ${id} has no valid bbox or geometry`,
      );
      return true;
    }
    // Nothing is copied in for a footprint no unit of this installation holds.
    const holding = (await listJurisdictions(this.db, Scope.system(), { bbox: footprint })).filter(
      (j) => j.bbox && bboxContains(j.bbox, footprint),
    );
    if (!holding.length) {
      await this.refuseOnce(
        report,
        itemKey,
        id,
        `STAC 条目 ${id} 的范围（${footprint.map((v) => v.toFixed(4)).join(', ')}）不在本系统任何辖区内 / no unit of this installation holds the item's footprint`,
      );
      return true;
    }
    let done = true;
    for (const [key, asset] of assets) {
      const outcome = await this.takeAsset(
        catalog,
        { id, props, footprint, base },
        key,
        asset,
        report,
      );
      if (outcome === 'retry') done = false;
    }
    return done;
  }

  private async takeAsset(
    catalog: string,
    item: { id: string; props: Json; footprint: [number, number, number, number]; base: string },
    assetKey: string,
    asset: Json,
    report: StacReport,
  ): Promise<'recorded' | 'retry' | 'seen'> {
    let href: string;
    try {
      href = new URL(String(asset.href), item.base).href;
    } catch {
      href = String(asset.href);
    }
    const name = `${item.id}/${assetKey}`;
    const key = `stac:${name}@${href}`;
    if (await intakeKeySeen(this.db, key)) return 'seen';
    const epsg = asset['proj:epsg'] ?? item.props['proj:epsg'];
    const sidecar = stacSidecar(item.props);
    const known = {
      ...(sidecar.date ? { acquiredOn: String(sidecar.date) } : {}),
      ...(sidecar.sensor ? { sensor: String(sidecar.sensor) } : {}),
    };
    const refuse = async (reason: string, extra: Partial<NewIntakeFile> = {}) => {
      await this.refuseOnce(report, key, name, reason, { ...known, ...extra });
      return 'recorded' as const;
    };
    try {
      assertImageryAllowed(href, this.allow, 'asset');
      if (!/^https?:/i.test(href)) throw new Error('not http');
    } catch {
      return refuse(this.reasonOf(imageryRefusal('asset'), href));
    }
    await mkdir(this.dir, { recursive: true });
    const part = join(this.dir, `.part-${randomUUID()}`);
    let got: { size: number; sha256: string };
    try {
      got = await downloadAsset(
        href,
        part,
        this.allow,
        {
          timeoutMs: this.policy.assetTimeoutMs,
          maxBytes: this.policy.maxAssetBytes,
          maxRedirects: this.policy.maxRedirects,
        },
        'asset',
      );
    } catch (e) {
      if (e instanceof TransientFetchError) {
        report.retry++;
        console.error(`STAC intake of ${name}: ${e.message}`);
        return 'retry';
      }
      return refuse(`获取资产被拒绝 / the asset was not fetched: ${this.reasonOf(e, href)}`);
    }
    const contentHash = got.sha256;
    const base = { key, name, contentHash, size: got.size, at: this.now() };
    const byHash = await findSameScene(this.db, { contentHash, name });
    if (byHash) {
      await unlink(part).catch(() => {});
      return this.duplicate(report, { ...base, ...known }, byHash.id);
    }
    const path = join(this.dir, `${contentHash.slice(0, 32)}.tif`);
    await rename(part, path);
    const drop = () => unlink(path).catch(() => {});
    const refuseFile = async (reason: string, extra: Partial<NewIntakeFile> = {}) => {
      await drop();
      return refuse(reason, { contentHash, size: got.size, ...extra });
    };
    const facts = sceneFacts({
      name: item.id,
      metadata: await gdalMetadataItems(path).catch(() => ({})),
      sidecar,
    });
    const facts2 = { acquiredOn: facts.date, sensor: facts.sensor };
    if (!facts.date)
      return refuseFile(
        `无法读取成像日期：STAC 条目 ${item.id} 没有 properties.datetime，文件元数据和名称中也没有 / no acquisition date in the item's datetime, the GDAL metadata or the name`,
        facts2,
      );
    if (!facts.sensor)
      return refuseFile(
        `无法判断传感器：请在 STAC 条目 ${item.id} 的 properties 中给出 platform、constellation 或 instruments / no sensor in the item's platform, constellation or instruments`,
        facts2,
      );
    let bbox: [number, number, number, number];
    let fileEpsg: number | undefined;
    try {
      const scene = await openScene(path);
      try {
        bbox = gridLonLatBox(scene.grid);
        fileEpsg = scene.grid.crs.epsg ?? undefined;
      } finally {
        await scene.close();
      }
    } catch (e) {
      return refuseFile(
        `无法读取影像 / the asset cannot be read as a georeferenced scene: ${(e as Error).message.replace(path, name)}`,
        facts2,
      );
    }
    if (typeof epsg === 'number' && fileEpsg !== undefined && epsg !== fileEpsg)
      return refuseFile(
        `STAC 条目声明的坐标系 EPSG:${epsg} 与文件的 EPSG:${fileEpsg} 不符 / the item says EPSG:${epsg}, the file is EPSG:${fileEpsg}`,
        facts2,
      );
    if (!bboxIntersects(bbox, item.footprint))
      return refuseFile(
        `文件范围与 STAC 条目的 bbox/geometry 不相交 / the file's footprint does not meet the item's bbox`,
        facts2,
      );
    const same = await findSameScene(this.db, { contentHash, name, acquiredOn: facts.date, bbox });
    if (same) {
      if (same.uri !== path) await drop();
      return this.duplicate(report, { ...base, ...facts2 }, same.id);
    }
    try {
      const img = await importImagery(this.db, Scope.system(), {
        location: path,
        date: facts.date,
        name,
        ...(facts.offset !== undefined ? { addOffset: facts.offset } : {}),
        extraMeta: {
          sensor: facts.sensor,
          contentHash,
          intake: {
            from: facts.from,
            stac: { catalog, item: item.id, asset: assetKey, href },
          },
          ...(facts.cloud !== undefined ? { cloudShare: facts.cloud } : {}),
        },
      });
      if (
        await recordIntakeFile(this.db, {
          ...base,
          ...facts2,
          status: 'registered',
          imageryId: img.id,
          jurisdictionCode: img.jurisdictionCode,
        })
      )
        report.registered.push(img.id);
      return 'recorded';
    } catch (e) {
      // Another process registered this content a moment ago (the same file name): it records it.
      if (isUniqueViolation(e)) return 'retry';
      const message =
        e instanceof GengbaoError ? e.message.replace(path, name) : (e as Error).message;
      return refuseFile(`登记被拒绝 / not registered: ${message}`, facts2);
    }
  }

  private async duplicate(
    report: StacReport,
    rec: Omit<NewIntakeFile, 'status'>,
    imageryId: number,
  ): Promise<'recorded'> {
    if (
      await recordIntakeFile(this.db, {
        ...rec,
        status: 'duplicate',
        imageryId,
        reason: `与已登记影像 ${imageryId} 相同 / the same scene as stored imagery ${imageryId}`,
      })
    )
      report.duplicate++;
    return 'recorded';
  }
}

function notStac(url: string): string {
  return `不是 STAC 目录、集合或条目（缺少 type 与 links）/ ${url} is not a STAC catalog, collection or item`;
}
