import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hashPassword } from '../accounts/password.ts';
import { analyzePolygons, type Layers } from '../analyze/analyze.ts';
import type { PolygonFigures } from '../analyze/figures.ts';
import { figureProperties } from '../analyze/properties.ts';
import { DEFAULT_CASES_CONFIG, type Actor } from '../cases/index.ts';
import type { Feature } from '../geo/types.ts';
import { seedCaseStates } from '../store/cases.ts';
import type { Db, Queryable } from '../store/db.ts';
import { appendDrafts } from '../store/events.ts';
import { insertImagery } from '../store/imagery.ts';
import { countJurisdictions, insertJurisdictions } from '../store/jurisdictions.ts';
import { emptyDataTables, refreshStatistics } from '../store/maintenance.ts';
import { recordEvidenceFile } from '../store/field.ts';
import { EvidenceFiles } from '../store/field-evidence-files.ts';
import { insertPolygons } from '../store/polygons.ts';
import { insertReferenceLayer, LAYER_KINDS } from '../store/reference.ts';
import { Scope, scopePrefix } from '../store/scope.ts';
import { getSetting, putSetting } from '../store/settings.ts';
import { insertUser } from '../store/users.ts';
import { busiestVillage, DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.ts';
export { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoAccount } from './accounts.ts';
import { walkDemoCases } from './case-walk.ts';
import { loadMonitoringMonth } from './monitoring-month.ts';
import { loadOversightYear } from './oversight-year.ts';
import { storedDemoPhoto } from './photos.ts';
import { publishDemoCases } from './publish.ts';
import { buildDemoRegion } from './region.ts';
import type { DemoPolygon, DemoRegion } from './types.ts';

export interface DemoSummary {
  jurisdictions: number;
  features: number;
  polygons: number;
  users: number;
  imagery: number;
}

const DEMO_KEY = 'demo';

/** Loads the demo region if the database holds no jurisdictions yet; returns what it loaded. */
export async function ensureDemo(
  db: Db,
  opts: { dataDir: string; log?: (m: string) => void },
): Promise<DemoSummary | null> {
  const marker = await getSetting(db, DEMO_KEY);
  if (marker || (await countJurisdictions(db)) > 0) return null;
  return loadDemo(db, opts);
}

/**
 * Writes the Jincheng demo region in ONE transaction: jurisdictions, reference layers, 图斑
 * with their first event, demo accounts, the imagery pair, and a marker. A process killed
 * half-way leaves nothing behind (PostgreSQL rolls the transaction back on restart), so the
 * next start loads the demo whole. `reset` first empties every data table in the same
 * transaction.
 */
export async function loadDemo(
  db: Db,
  opts: { dataDir: string; reset?: boolean; log?: (m: string) => void },
): Promise<DemoSummary> {
  const log = opts.log ?? (() => {});
  const t0 = Date.now();
  const region = buildDemoRegion();
  log(`demo region built in ${Date.now() - t0} ms`);
  const imagery = await writeImagery(opts.dataDir, region);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const system = Scope.system();
  const summary = await db.transaction(async (tx) => {
    log('storing the demo region in one transaction');
    if (opts.reset) await emptyDataTables(tx);
    await insertJurisdictions(tx, system, region.jurisdictions);
    const features = await insertDemoLayers(tx, region);
    const figures = demoFigures(region);
    const ids = await insertPolygons(
      tx,
      system,
      region.polygons.map((p, i) => ({
        ...p,
        properties: {
          ...p.properties,
          ...figureProperties(figures[i]),
          villageCode: figures[i].jurisdiction?.code ?? p.jurisdictionCode,
          demo: true,
        },
      })),
    );
    const userIds = new Map<string, number>();
    for (const a of DEMO_ACCOUNTS) {
      const code = typeof a.jurisdiction === 'string' ? a.jurisdiction : a.jurisdiction(region);
      const u = await insertUser(tx, system, {
        username: a.username,
        displayName: a.displayName,
        passwordHash,
        role: a.role,
        jurisdictionCode: code,
      });
      userIds.set(a.username, u.id);
    }
    // The oversight year (2025, ended) first: its record precedes the 2026 walk's.
    const year = await loadOversightYear(tx, region, userIds, busiestVillage('140525')(region));
    await walkCases(tx, region, ids, figures, userIds);
    await storePhotos(tx, opts.dataDir);
    for (const img of imagery) {
      await insertImagery(tx, {
        name: img.name,
        acquiredOn: img.date,
        uri: img.uri,
        jurisdictionCode: img.jurisdictionCode,
        bbox: img.bbox,
        meta: { synthetic: true, role: img.role },
      });
    }
    // November as the loop would have run it: the run, two re-checks, a subscription.
    await loadMonitoringMonth(tx, { dataDir: opts.dataDir, userIds });
    await putSetting(tx, DEMO_KEY, {
      seed: region.meta.seed,
      loadedAt: new Date().toISOString(),
      note: region.meta.note,
    });
    return {
      jurisdictions: region.jurisdictions.length,
      features,
      polygons: ids.length + year.polygons,
      users: DEMO_ACCOUNTS.length,
      imagery: imagery.length,
    };
  });
  await refreshStatistics(db);
  log(`demo region stored in ${Date.now() - t0} ms`);
  return summary;
}

/** 套合 of the demo 图斑 with the demo layers and villages; November's are linked to October's. */
export function demoFigures(region: DemoRegion): PolygonFigures[] {
  const layers: Layers = {};
  for (const f of region.layers)
    ((layers[f.layerKind] ??= []) as Feature[]).push({
      type: 'Feature',
      geometry: f.geometry,
      properties: f.properties,
    });
  const villages: Feature[] = region.jurisdictions
    .filter((j) => j.level === 'village' && j.geometry)
    .map((j) => ({
      type: 'Feature',
      id: j.code,
      geometry: j.geometry!,
      properties: { code: j.code, name: j.name },
    }));
  const asFeature = (p: DemoPolygon): Feature => ({
    type: 'Feature',
    id: p.code,
    geometry: p.geometry,
    properties: {},
  });
  const byPeriod = (period: string) => region.polygons.filter((p) => p.period === period);
  const out = new Map<string, PolygonFigures>();
  const october = byPeriod('2026-10');
  analyzePolygons(october.map(asFeature), layers, villages).forEach((f, i) =>
    out.set(october[i].code, f),
  );
  const november = byPeriod('2026-11');
  analyzePolygons(november.map(asFeature), layers, villages, october.map(asFeature)).forEach(
    (f, i) => out.set(november[i].code, f),
  );
  return region.polygons.map((p) => out.get(p.code)!);
}

/** Takes the demo 图斑 through the lifecycle with the demo accounts, so every state has examples. */
async function walkCases(
  tx: Queryable,
  region: DemoRegion,
  ids: number[],
  figures: PolygonFigures[],
  userIds: Map<string, number>,
): Promise<void> {
  const actor = (username: string): Actor => {
    const a = DEMO_ACCOUNTS.find((x) => x.username === username)!;
    const code = typeof a.jurisdiction === 'string' ? a.jurisdiction : a.jurisdiction(region);
    const level = region.jurisdictions.find((j) => j.code === code)!.level;
    return { id: String(userIds.get(username)), role: a.role, scope: scopePrefix(code, level) };
  };
  const officers = new Map(
    DEMO_ACCOUNTS.filter((a) => a.role === 'county_officer').map((a) => [
      a.jurisdiction as string,
      actor(a.username),
    ]),
  );
  const { states, events } = walkDemoCases(
    region.polygons.map((p, i) => {
      const ring = p.geometry.coordinates[0];
      return {
        id: String(ids[i]),
        code: p.code,
        jurisdictionCode: p.jurisdictionCode,
        source: p.source,
        period: p.period,
        point: [ring[0][0], ring[0][1]],
        figures: figures[i],
        changeType: String(p.properties.changeType ?? ''),
      };
    }),
    {
      finder: actor('sx.monitor'),
      monitor: actor('sx.monitor'),
      reviewer: actor('jc.reviewer'),
      officerOf: (county) => officers.get(county)!,
      fieldVillage: busiestVillage('140525')(region),
    },
    {
      '2026-10': { start: new Date('2026-10-21T01:00:00.000Z'), stepHours: 20 },
      '2026-11': { start: new Date('2026-11-20T01:00:00.000Z'), stepHours: 7 },
    },
    DEFAULT_CASES_CONFIG,
  );
  await appendDrafts(tx, Scope.system(), events);
  await seedCaseStates(
    tx,
    states.map((state, i) => ({ id: ids[i], state })),
  );
  await publishDemoCases(
    tx,
    states.map((state, i) => ({ id: ids[i], state })),
    (county) => Number(officers.get(county)!.id),
  );
}

/**
 * What 套合 reads of the demo, alone: jurisdictions, reference layers and the 图斑 as drawn (no
 * figures, accounts, walk or imagery) — for the `analysis.period` test and bench:analysis.
 */
export async function insertDemoGeography(q: Queryable, region: DemoRegion): Promise<void> {
  const system = Scope.system();
  await insertJurisdictions(q, system, region.jurisdictions);
  await insertDemoLayers(q, region);
  await insertPolygons(
    q,
    system,
    region.polygons.map((p) => ({ ...p, properties: { ...p.properties } })),
  );
}

/** The demo's reference layers, one stored layer per kind; returns the features written. */
export async function insertDemoLayers(tx: Queryable, region: DemoRegion): Promise<number> {
  let n = 0;
  for (const kind of LAYER_KINDS) {
    const features = region.layers.filter((f) => f.layerKind === kind);
    if (!features.length) continue;
    await insertReferenceLayer(
      tx,
      Scope.system(),
      {
        kind,
        name: `晋城市 ${kind} (demo, synthetic)`,
        jurisdictionCode: '140500',
        source: 'demo',
        meta: { synthetic: true, seed: region.meta.seed },
      },
      features.map((f) => ({
        jurisdictionCode: f.jurisdictionCode,
        geometry: f.geometry,
        properties: f.properties,
      })),
    );
    n += features.length;
  }
  return n;
}

/**
 * Writes every photo the demo record cites into the evidence store (`<dataDir>/evidence`, as
 * `buildServices` reads it), with its row in evidence_files under the citing event's
 * jurisdiction, so the demo's photo links open real images whose hash checks.
 */
async function storePhotos(tx: Queryable, dataDir: string): Promise<number> {
  const rows = await tx.query<{ sha256: string; jurisdiction_code: string; at: Date }>(
    `SELECT DISTINCT ON (ph->>'sha256') ph->>'sha256' AS sha256, e.jurisdiction_code, e.at
       FROM events e, jsonb_array_elements(e.payload->'input'->'photos') ph
      WHERE jsonb_typeof(e.payload->'input'->'photos') = 'array'
      ORDER BY ph->>'sha256', e.seq`,
  );
  const files = new EvidenceFiles(join(dataDir, 'evidence'));
  let n = 0;
  for (const r of rows) {
    const photo = storedDemoPhoto(r.sha256);
    if (!photo) continue;
    await files.put(photo.bytes);
    await recordEvidenceFile(tx, Scope.system(), {
      sha256: r.sha256,
      mediaType: photo.mediaType,
      bytes: photo.bytes.length,
      jurisdictionCode: r.jurisdiction_code,
      at: new Date(r.at),
    });
    n++;
  }
  return n;
}

interface ImageryRow {
  name: string;
  date: string;
  uri: string;
  jurisdictionCode: string;
  bbox: [number, number, number, number];
  role: 'before' | 'after';
}

/** The synthetic before/after pair over one township, showing the region's 图斑, written under the data directory. */
async function writeImagery(dataDir: string, region: DemoRegion): Promise<ImageryRow[]> {
  const dir = resolve(dataDir, 'imagery', 'demo');
  mkdirSync(dir, { recursive: true });
  const { writeDemoImagery } = await import('./imagery.ts');
  const out = await writeDemoImagery(dir, region.meta.seed, region.polygons);
  return [
    {
      name: '演示影像 前时相（合成）',
      date: out.dates.before,
      uri: out.before,
      jurisdictionCode: out.townshipCode,
      bbox: out.bbox,
      role: 'before',
    },
    {
      name: '演示影像 后时相（合成）',
      date: out.dates.after,
      uri: out.after,
      jurisdictionCode: out.townshipCode,
      bbox: out.bbox,
      role: 'after',
    },
  ];
}
