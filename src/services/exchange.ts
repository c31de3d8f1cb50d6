import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { canonicalJson, type Role } from '../cases/index.ts';
import { GengbaoError } from '../errors.ts';
import { readFeatures } from '../geo/formats/read.ts';
import { writeFeatures } from '../geo/formats/write.ts';
import type { Feature } from '../geo/types.ts';
import {
  DEFAULT_EXCHANGE_MAPPING,
  EXCHANGE_SOURCES,
  ExchangeMapping,
  exchangeValues,
  fromExchangeRow,
  toExchangeRow,
  type ExchangeSource,
  type ExchangeValue,
} from '../reports/exchange-mapping.ts';
import type { Db } from '../store/db.ts';
import { appendEvent } from '../store/events.ts';
import { exchangeRows, polygonsByCode, setProvinceResult } from '../store/exchange.ts';
import { sha256Hex } from '../store/field-evidence-files.ts';
import type { Scope } from '../store/scope.ts';
import { getSetting, putSetting } from '../store/settings.ts';

const SETTING = 'exchange.mappings';
const EDITORS: readonly string[] = ['admin', 'province_monitor'];

export const EXCHANGE_FORMATS = {
  shp: { ext: 'shp', media: 'application/zip', file: 'zip' },
  gpkg: { ext: 'gpkg', media: 'application/geopackage+sqlite3', file: 'gpkg' },
  xlsx: {
    ext: 'xlsx',
    media: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    file: 'xlsx',
  },
} as const;
export type ExchangeFormat = keyof typeof EXCHANGE_FORMATS;

export interface ExchangeActor {
  id: number | null;
  role: Role | 'system';
  scope: Scope;
}

/** One row of an import, as the report lists it. */
export interface ImportRow {
  row: number;
  code: string | null;
  outcome: 'matched' | 'refused';
  reason?: string;
  /** The province's values read through the mapping. */
  values?: Partial<Record<ExchangeSource, ExchangeValue>>;
  /** Fields whose code the mapping does not know (the row is still matched). */
  refusedFields?: { field: string; value: string; reason: string }[];
  /** Where the province's result differs from Gengbao's record. */
  differs?: { source: ExchangeSource; province: ExchangeValue; gengbao: ExchangeValue }[];
}

/** Compared on import: the verdict and the case facts, the things a province checks. */
const COMPARED: ExchangeSource[] = [
  'verdict',
  'illegalSubtype',
  'stopped',
  'filed',
  'rectified',
  'closed',
];

/**
 * Exchange with the province's 卫片执法 platform: 图斑 and their results out in the province's
 * field names and codes (Shapefile with a GBK DBF and .cpg, GeoPackage, xlsx), and the
 * province's results file read back through the same mapping, row by row.
 */
export class ExchangeService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private provinceOf(actor: ExchangeActor, province?: string): string {
    const own = actor.scope.prefix.slice(0, 2);
    const p = province ?? own;
    if (!/^\d{2}$/.test(p))
      throw new GengbaoError('bad_input', '须指定省级代码 / name the province (2 digits)', {
        field: 'province',
      });
    if (own && own !== p)
      throw new GengbaoError(
        'forbidden_jurisdiction',
        `省 ${p} 不在你的辖区 / province ${p} is outside your jurisdiction`,
        { field: 'province' },
      );
    return p;
  }

  /** The mapping in force in a province (its own, else the default). */
  async mapping(
    actor: ExchangeActor,
    province?: string,
  ): Promise<{
    province: string;
    source: 'default' | 'province';
    mapping: ExchangeMapping;
    sources: typeof EXCHANGE_SOURCES;
  }> {
    const p = this.provinceOf(actor, province);
    const own = (await getSetting<Record<string, ExchangeMapping>>(this.db, SETTING))?.[p];
    return {
      province: p,
      source: own ? 'province' : 'default',
      mapping: own ?? DEFAULT_EXCHANGE_MAPPING,
      sources: EXCHANGE_SOURCES,
    };
  }

  /** Replaces a province's mapping (null: back to the default); recorded with its hash. */
  async setMapping(actor: ExchangeActor, input: unknown, province?: string) {
    if (actor.role !== 'system' && !EDITORS.includes(actor.role))
      throw new GengbaoError(
        'forbidden',
        '只有省级管理员和监测人员可修改交换字段 / only province administrators and monitors edit the mapping',
      );
    const p = this.provinceOf(actor, province);
    const mapping = input === null ? null : ExchangeMapping.parse(input);
    await this.db.transaction(async (tx) => {
      const all = (await getSetting<Record<string, ExchangeMapping>>(tx, SETTING)) ?? {};
      const next = { ...all };
      if (mapping) next[p] = mapping;
      else delete next[p];
      await putSetting(tx, SETTING, next);
      await appendEvent(tx, actor.scope, {
        actorId: actor.id,
        entityType: 'exchange_mapping',
        entityId: p,
        jurisdictionCode: `${p}0000`,
        type: mapping ? 'exchange_mapping.updated' : 'exchange_mapping.reset',
        payload: {
          province: p,
          mapping,
          sha256: mapping ? sha256Hex(Buffer.from(canonicalJson(mapping))) : null,
        },
        at: this.now(),
      });
    });
    return this.mapping(actor, p);
  }

  private async mappingFor(scope: Scope, province?: string): Promise<ExchangeMapping> {
    const p = province ?? scope.prefix.slice(0, 2);
    return (
      (await getSetting<Record<string, ExchangeMapping>>(this.db, SETTING))?.[p] ??
      DEFAULT_EXCHANGE_MAPPING
    );
  }

  /** The 图斑 of the scope as features in the province's fields (one period when given). */
  async features(
    scope: Scope,
    opts: { period?: string; province?: string } = {},
  ): Promise<{ mapping: ExchangeMapping; features: Feature[] }> {
    const mapping = await this.mappingFor(scope, opts.province);
    const rows = await exchangeRows(this.db, scope, { period: opts.period });
    return {
      mapping,
      features: rows.map((r) => ({
        type: 'Feature',
        id: r.id,
        geometry: r.geometry,
        properties: toExchangeRow(mapping, exchangeValues(r)),
      })),
    };
  }

  /** Writes the exchange file(s) at `path` (.shp writes .shp .shx .dbf .cpg .prj); returns the files. */
  async write(
    scope: Scope,
    path: string,
    opts: { period?: string; province?: string } = {},
  ): Promise<string[]> {
    const { mapping, features } = await this.features(scope, opts);
    const fields = mapping.fields.map((f) => ({ name: f.name, type: f.type }));
    return writeFeatures(path, features, {
      fields,
      encoding: 'gbk',
      layer: 'tuban',
      now: this.now(),
    });
  }

  /** The exchange as one download: the Shapefile's files zipped, or the GeoPackage / workbook. */
  async file(
    scope: Scope,
    format: ExchangeFormat,
    opts: { period?: string } = {},
  ): Promise<{ name: string; bytes: Buffer; media: string }> {
    const f = EXCHANGE_FORMATS[format];
    const base = `tuban-exchange-${opts.period ?? 'all'}-${scope.prefix || 'all'}`;
    const dir = await mkdtemp(join(tmpdir(), 'gengbao-exchange-'));
    try {
      await this.write(scope, join(dir, `${base}.${f.ext}`), opts);
      if (format !== 'shp')
        return {
          name: `${base}.${f.ext}`,
          bytes: await readFile(join(dir, `${base}.${f.ext}`)),
          media: f.media,
        };
      const files: Record<string, Uint8Array> = {};
      for (const name of await readdir(dir)) files[name] = await readFile(join(dir, name));
      return { name: `${base}.zip`, bytes: Buffer.from(zipSync(files)), media: f.media };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Reads a province's results file (Shapefile, GeoPackage, xlsx, CSV, GeoJSON) through the
   * mapping: each row is matched to a stored 图斑 of the caller's jurisdiction by its code,
   * its codes read back, the result kept on the 图斑 (`properties.provinceResult`) and what
   * differs from Gengbao's record listed; rows without a code, of an unknown 图斑 or outside
   * the jurisdiction are refused with the reason. One transaction, one event in the record.
   */
  async importFile(
    actor: ExchangeActor,
    path: string,
    opts: { province?: string; fileName?: string } = {},
  ) {
    if (actor.role === 'village_chief' || actor.role === 'township_chief')
      throw new GengbaoError(
        'forbidden',
        '县级及以上用户导入省级结果 / the county and the levels above import the province’s results',
      );
    const mapping = await this.mappingFor(actor.scope, opts.province);
    const keyField = mapping.fields.find((f) => f.source === 'code')!;
    const { raw, unreadable } = await readRows(path);
    const reads = raw.map((r) => fromExchangeRow(mapping, r));
    const codes = reads.map((r) => (typeof r.values.code === 'string' ? r.values.code : null));
    const at = this.now();
    const bytes = await readFile(path).catch(() => Buffer.alloc(0));
    return this.db.transaction(async (tx) => {
      const stored = await polygonsByCode(
        tx,
        codes.filter((c): c is string => !!c),
      );
      const states = new Map((await exchangeRows(tx, actor.scope)).map((r) => [r.code, r]));
      const rows: ImportRow[] = [];
      for (const u of unreadable)
        rows.push({ row: u.row, code: null, outcome: 'refused', reason: u.reason });
      for (const [i, read] of reads.entries()) {
        const code = codes[i];
        const row = raw[i].__row as number;
        if (!code) {
          rows.push({
            row,
            code: null,
            outcome: 'refused',
            reason: `没有${keyField.label}（${keyField.name}） / no 图斑 code`,
          });
          continue;
        }
        const hit = stored.get(code);
        const mine = states.get(code);
        if (!hit)
          rows.push({
            row,
            code,
            outcome: 'refused',
            reason: `没有图斑 ${code} / no such 图斑 in Gengbao`,
          });
        else if (!mine)
          rows.push({
            row,
            code,
            outcome: 'refused',
            reason: `图斑 ${code} 不在你的辖区 / outside your jurisdiction`,
          });
        else {
          const ours = exchangeValues(mine);
          const differs = COMPARED.filter(
            (k) => k in read.values && read.values[k] !== ours[k],
          ).map((k) => ({ source: k, province: read.values[k] ?? null, gengbao: ours[k] }));
          await setProvinceResult(tx, actor.scope, hit.id, {
            values: read.values,
            refusedFields: read.refused,
            differs,
            importedAt: at.toISOString(),
            file: opts.fileName ?? basename(path),
          });
          rows.push({
            row,
            code,
            outcome: 'matched',
            values: read.values,
            refusedFields: read.refused,
            differs,
          });
        }
      }
      rows.sort((a, b) => a.row - b.row);
      const summary = {
        rows: rows.length,
        matched: rows.filter((r) => r.outcome === 'matched').length,
        refused: rows.filter((r) => r.outcome === 'refused').length,
        differing: rows.filter((r) => r.differs?.length).length,
      };
      const event = await appendEvent(tx, actor.scope, {
        actorId: actor.id,
        entityType: 'exchange_import',
        entityId: sha256Hex(bytes),
        jurisdictionCode: actor.scope.prefix.padEnd(6, '0'),
        type: 'exchange.imported',
        payload: {
          file: opts.fileName ?? basename(path),
          sha256: sha256Hex(bytes),
          mappingSha256: sha256Hex(Buffer.from(canonicalJson(mapping))),
          ...summary,
        },
        at,
      });
      return { ...summary, eventSeq: event.seq, items: rows };
    });
  }

  /** An uploaded results file: written to a private folder under its own name, imported, removed. */
  async importBytes(
    actor: ExchangeActor,
    name: string,
    bytes: Uint8Array,
    opts: { province?: string } = {},
  ) {
    const dir = await mkdtemp(join(tmpdir(), 'gengbao-exchange-in-'));
    try {
      const path = join(dir, basename(name).replace(/[^\w.\u4e00-\u9fff-]/g, '_'));
      await writeFile(path, bytes);
      return await this.importFile(actor, path, { ...opts, fileName: basename(name) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The attribute rows of a results file with their 1-based row numbers: a workbook's first sheet
 * (row 1 the field names), or a GIS file's features — whose unreadable geometries are listed
 * as refused rows instead of disappearing.
 */
async function readRows(
  path: string,
): Promise<{ raw: Record<string, unknown>[]; unreadable: { row: number; reason: string }[] }> {
  if (extname(path).toLowerCase() === '.xlsx') {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const ws = book.worksheets[0];
    if (!ws) return { raw: [], unreadable: [] };
    const names = (ws.getRow(1).values as unknown[]).map((v) => (v == null ? '' : String(v)));
    const raw: Record<string, unknown>[] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const values = ws.getRow(r).values as unknown[];
      if (!values.some((v) => v != null && v !== '')) continue;
      const o: Record<string, unknown> = { __row: r - 1 };
      names.forEach((n, i) => n && (o[n] = cellValue(values[i])));
      raw.push(o);
    }
    return { raw, unreadable: [] };
  }
  const reader = readFeatures(path);
  const raw: Record<string, unknown>[] = [];
  const features: Feature[] = [];
  for await (const f of reader) features.push(f);
  const rejected = new Set(reader.report.rejections.map((r) => r.index));
  // Feature i of the accepted ones is parsed row k: skip the rejected indexes while counting.
  let k = 0;
  for (const f of features) {
    while (rejected.has(k)) k++;
    raw.push({ ...(f.properties ?? {}), __row: ++k });
  }
  return {
    raw,
    unreadable: reader.report.rejections.map((r) => ({
      row: r.index + 1,
      reason: `图形无法读取：${r.reason} / unreadable geometry`,
    })),
  };
}

/** An exceljs cell as plain text or number (rich text and formulas by their text and result). */
function cellValue(v: unknown): unknown {
  if (v && typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: string };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if ('result' in o) return o.result;
    if (o.text !== undefined) return o.text;
  }
  return v;
}
