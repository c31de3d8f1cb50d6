/**
 * What a scene file says about itself: its acquisition date, its sensor and its radiometric
 * offset, read from (in this order, the first that says it wins) a sidecar `<file>.json`, the
 * file's GDAL metadata, and the product name. Pure: the caller reads the sidecar and the
 * metadata items (scene-metadata.ts) and hands them in.
 */
import type { SensorId } from './profiles.ts';

export interface SceneFacts {
  /** Acquisition day, YYYY-MM-DD. */
  date?: string;
  sensor?: SensorId;
  /** Radiometric offset in stored units (Sentinel-2 from baseline 04.00: −1000). */
  offset?: number;
  /** Cloud share of the scene, 0–1, when the product or sidecar says it. */
  cloud?: number;
  /** Where each fact came from, for the intake log. */
  from: { date?: FactSource; sensor?: FactSource };
}

export type FactSource = 'sidecar' | 'metadata' | 'name';

const SENSORS: readonly SensorId[] = ['s2', 'landsat', 'landsat-oli', 'gf', 'rgb'];
/** Words people write for a sensor in sidecars and metadata, mapped to Gengbao's ids. */
const SENSOR_WORDS: Record<string, SensorId> = {
  s2: 's2',
  'sentinel-2': 's2',
  sentinel2: 's2',
  sentinel2a: 's2',
  sentinel2b: 's2',
  sentinel2c: 's2',
  'sentinel-2a': 's2',
  'sentinel-2b': 's2',
  'sentinel-2c': 's2',
  landsat: 'landsat',
  landsat5: 'landsat',
  landsat7: 'landsat',
  landsat_5: 'landsat',
  landsat_7: 'landsat',
  'landsat-oli': 'landsat-oli',
  landsat8: 'landsat-oli',
  landsat9: 'landsat-oli',
  landsat_8: 'landsat-oli',
  landsat_9: 'landsat-oli',
  gf: 'gf',
  gf1: 'gf',
  gf2: 'gf',
  gf6: 'gf',
  zy3: 'gf',
  gaofen: 'gf',
  rgb: 'rgb',
  drone: 'rgb',
  uav: 'rgb',
  aerial: 'rgb',
};

export function sensorOfWord(word: unknown): SensorId | undefined {
  if (typeof word !== 'string') return undefined;
  const w = word.trim().toLowerCase().replace(/\s+/g, '');
  return (SENSORS as readonly string[]).includes(w) ? (w as SensorId) : SENSOR_WORDS[w];
}

/** A real day as YYYY-MM-DD from "YYYY-MM-DD…", "YYYYMMDD…" or "YYYY:MM:DD…"; else undefined. */
export function dayOf(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{4})[-:]?(\d{2})[-:]?(\d{2})/.exec(text.trim());
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

/**
 * Facts in a product name (the file or folder name):
 * - Sentinel-2 SAFE `S2B_MSIL2A_20260315T031539_N0510_R118_T49SGU_…` and Earth Search
 *   `S2B_49SGU_20260315_0_L2A`: sensor s2; the SAFE's processing baseline N0400 and later
 *   stores reflectance with the +1000 offset (offset −1000);
 * - Landsat Collection 2 `LC09_L2SP_125035_20260315_20260317_02_T1`: LC08/LC09 are OLI
 *   (landsat-oli), LT04/LT05/LE07 TM/ETM+ (landsat); the date is the fourth field;
 * - Gaofen / ZY-3 `GF2_PMS1_E112.9_N35.5_20260315_L1A…`: sensor gf, the date the first 8-digit field.
 */
export function factsFromName(name: string): Omit<SceneFacts, 'from'> {
  const base = name.replace(/\.(tiff?|jp2|SAFE)$/i, '');
  let m = /^S2[A-D]_MSIL(?:1C|2A)_(\d{8})T\d{6}_N(\d{4})_/i.exec(base);
  if (m)
    return { date: dayOf(m[1]), sensor: 's2', ...(Number(m[2]) >= 400 ? { offset: -1000 } : {}) };
  m = /^S2[A-D]_\d{2}[A-Z]{3}_(\d{8})_\d+_L(?:1C|2A)/i.exec(base);
  if (m) return { date: dayOf(m[1]), sensor: 's2' };
  m = /^L([CTEMO])0?(\d)_L\w{3}_\d{6}_(\d{8})_\d{8}_\d{2}_[A-Z]\w/i.exec(base);
  if (m) return { date: dayOf(m[3]), sensor: Number(m[2]) >= 8 ? 'landsat-oli' : 'landsat' };
  m = /^(?:GF\d|ZY3)\w*?_(?:.*?_)?(\d{8})(?:_|$)/i.exec(base);
  if (m) return { date: dayOf(m[1]), sensor: 'gf' };
  return {};
}

/** GDAL metadata items that carry an acquisition time, most specific first. */
const DATE_ITEMS = [
  'ACQUISITION_DATE',
  'ACQUISITIONDATETIME',
  'DATATAKE_1_DATATAKE_SENSING_START',
  'PRODUCT_START_TIME',
  'SENSING_TIME',
  'DATE_ACQUIRED',
];
const SENSOR_ITEMS = ['SENSOR', 'SPACECRAFT_NAME', 'SPACECRAFT_ID', 'SATELLITE'];

/**
 * Facts in a file's GDAL metadata (TIFF tag 42112), as GDAL's Sentinel-2 and Landsat drivers
 * and gdal_translate -mo write them. The TIFF DateTime tag (306) is NOT read: it is when the
 * file was written, not when the scene was taken.
 */
export function factsFromMetadata(items: Record<string, string>): Omit<SceneFacts, 'from'> {
  const out: Omit<SceneFacts, 'from'> = {};
  for (const k of DATE_ITEMS) if (!out.date) out.date = dayOf(items[k]);
  for (const k of SENSOR_ITEMS) if (!out.sensor) out.sensor = sensorOfWord(items[k]);
  const cloud = Number(items.CLOUD_COVERAGE_ASSESSMENT ?? items.CLOUD_COVER ?? NaN);
  if (Number.isFinite(cloud) && cloud >= 0 && cloud <= 100) out.cloud = cloud / 100;
  const add = Number(items.BOA_ADD_OFFSET ?? NaN);
  if (Number.isFinite(add)) out.offset = add;
  return out;
}

/** A sidecar's shape: `{"date": "2026-03-15", "sensor": "s2", "offset": -1000, "cloud": 0.1}`. */
export function factsFromSidecar(json: unknown): Omit<SceneFacts, 'from'> {
  if (!json || typeof json !== 'object') return {};
  const j = json as Record<string, unknown>;
  const out: Omit<SceneFacts, 'from'> = {};
  const date = dayOf(j.date);
  if (date) out.date = date;
  const sensor = sensorOfWord(j.sensor);
  if (sensor) out.sensor = sensor;
  if (typeof j.offset === 'number' && Number.isFinite(j.offset)) out.offset = j.offset;
  if (typeof j.cloud === 'number' && j.cloud >= 0 && j.cloud <= 1) out.cloud = j.cloud;
  return out;
}

/** The facts of a scene, sidecar first, then metadata, then name; each fact's source kept. */
export function sceneFacts(parts: {
  name: string;
  metadata?: Record<string, string>;
  sidecar?: unknown;
}): SceneFacts {
  const sources: [FactSource, Omit<SceneFacts, 'from'>][] = [
    ['sidecar', factsFromSidecar(parts.sidecar)],
    ['metadata', factsFromMetadata(parts.metadata ?? {})],
    ['name', factsFromName(parts.name)],
  ];
  const out: SceneFacts = { from: {} };
  for (const [source, f] of sources) {
    if (!out.date && f.date) [out.date, out.from.date] = [f.date, source];
    if (!out.sensor && f.sensor) [out.sensor, out.from.sensor] = [f.sensor, source];
    if (out.offset === undefined && f.offset !== undefined) out.offset = f.offset;
    if (out.cloud === undefined && f.cloud !== undefined) out.cloud = f.cloud;
  }
  return out;
}
