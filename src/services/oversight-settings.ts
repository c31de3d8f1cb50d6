import { z } from 'zod';
import { parseOrThrow } from '../cases/validate.ts';
import { GengbaoError } from '../errors.ts';
import {
  DEFAULT_OVERSIGHT_CONFIG,
  resolveOversightConfig,
  type OversightConfig,
  type OversightConfigOverride,
} from '../oversight/index.ts';
import type { Queryable } from '../store/db.ts';
import { appendEvent, eventsOf } from '../store/events.ts';
import { getSetting, putSetting } from '../store/settings.ts';
import { peopleByIds } from '../store/supervision.ts';
import type { Principal } from '../store/users.ts';
import { OVERSIGHT_CONFIG_KEY } from './oversight-config.ts';

const WHAT = '督察规则配置 / oversight configuration';

/** What the office page edits: a layer of overrides for a whole province, or one of its years. */
export const ConfigChange = z.object({
  province: z.string().regex(/^\d{2}$/, '省级代码为 2 位数字 / a 2-digit province code'),
  /** null: the province's own layer, for every year; a year: that year's layer on top. */
  year: z.int().min(2000).max(2200).nullable(),
  /** The layer: any part of the rules; `{}` removes the layer (back to what is below it). */
  config: z.record(z.string(), z.unknown()),
});
export type ConfigChange = z.infer<typeof ConfigChange>;

export interface ConfigChangeRow {
  at: string;
  by: string | null;
  byName: string | null;
  province: string;
  year: number | null;
  old: unknown;
  new: unknown;
}

export interface ConfigView {
  province: string;
  year: number;
  /** The national defaults (docs/DOMAIN.md "Configuration"). */
  defaults: OversightConfig;
  /** The province's layer (every year) and the year's layer, as stored; null: none. */
  provinceLayer: Record<string, unknown> | null;
  yearLayer: Record<string, unknown> | null;
  /** What is in force for the province and year. */
  effective: OversightConfig;
  /** Changes of both layers, newest first: who, when, old and new (the record's events). */
  history: ConfigChangeRow[];
}

const layerId = (province: string, year: number | null) =>
  year === null ? province : `${province}-${year}`;

/**
 * Editing the oversight rules per province and year (the setting `oversight.config`), like the
 * cases configuration's province settings: who may is decided by the route (province
 * monitors, administrators) and the caller's scope must cover the whole province. A change is
 * validated merged with the layers below and above it, stored, and recorded in the
 * hash-chained record with the old and the new layer. Run inside one transaction (`q`).
 */
export async function oversightConfigView(
  q: Queryable,
  p: Principal,
  province: string,
  year: number,
): Promise<ConfigView> {
  assertProvince(p, province, 'read');
  const overrides = (await getSetting<OversightConfigOverride[]>(q, OVERSIGHT_CONFIG_KEY)) ?? [];
  const layer = (y: number | null) =>
    (overrides.find((o) => o.province === province && (o.year ?? null) === y)?.config as
      Record<string, unknown> | undefined) ?? null;
  const events = [
    ...(await eventsOf(q, p.scope, 'oversight_config', layerId(province, null))),
    ...(await eventsOf(q, p.scope, 'oversight_config', layerId(province, year))),
  ].sort((a, b) => b.seq - a.seq);
  const people = await peopleByIds(
    q,
    events.map((e) => e.actorId ?? ''),
  );
  return {
    province,
    year,
    defaults: DEFAULT_OVERSIGHT_CONFIG,
    provinceLayer: layer(null),
    yearLayer: layer(year),
    effective: resolveChecked(province, year, overrides),
    history: events.map((e) => ({
      at: e.at,
      by: e.actorId,
      byName: (e.actorId && people.get(e.actorId)?.name) || null,
      province,
      year: (e.payload.year as number | null) ?? null,
      old: e.payload.old ?? null,
      new: e.payload.new ?? null,
    })),
  };
}

/** Replaces one layer (`{}` removes it); returns the view of the changed province and year. */
export async function updateOversightConfig(
  q: Queryable,
  p: Principal,
  input: unknown,
  at: Date,
): Promise<ConfigView> {
  const change = parseOrThrow(ConfigChange, input, WHAT);
  assertProvince(p, change.province, 'change');
  assertKnownKeys(change.config, DEFAULT_OVERSIGHT_CONFIG, 'config');
  const overrides = (await getSetting<OversightConfigOverride[]>(q, OVERSIGHT_CONFIG_KEY)) ?? [];
  const same = (o: OversightConfigOverride) =>
    o.province === change.province && (o.year ?? null) === change.year;
  const old = overrides.find(same)?.config ?? null;
  const empty = Object.keys(change.config).length === 0;
  const next: OversightConfigOverride[] = [
    ...overrides.filter((o) => !same(o)),
    ...(empty
      ? []
      : [
          change.year === null
            ? { province: change.province, config: change.config }
            : { province: change.province, year: change.year, config: change.config },
        ]),
  ];
  // What will be in force: the changed year; for a province layer, the province alone (year
  // 0 has no layer of its own) and every year the province has a layer for.
  const years = new Set<number>([change.year ?? 0]);
  if (change.year === null)
    for (const o of next) if (o.province === change.province && o.year) years.add(o.year);
  for (const y of years) resolveChecked(change.province, y, next);
  await putSetting(q, OVERSIGHT_CONFIG_KEY, next);
  await appendEvent(q, p.scope, {
    actorId: p.id,
    entityType: 'oversight_config',
    entityId: layerId(change.province, change.year),
    jurisdictionCode: `${change.province}0000`,
    type: 'oversight.config_changed',
    payload: {
      province: change.province,
      year: change.year,
      old,
      new: empty ? null : change.config,
    },
    at,
  });
  return oversightConfigView(q, p, change.province, change.year ?? chinaYear(at));
}

const chinaYear = (at: Date) => new Date(at.getTime() + 8 * 3600_000).getUTCFullYear();

/** Province rules are a province's: everyone in it reads them; a whole-province scope changes them. */
function assertProvince(p: Principal, province: string, what: 'read' | 'change') {
  const mine = province.startsWith(p.scope.prefix) || p.scope.prefix.startsWith(province);
  if (!mine || (what === 'change' && p.scope.prefix.length > 2))
    throw new GengbaoError(
      'forbidden',
      `只能${what === 'read' ? '查看' : '修改'}本省的督察规则 / the oversight rules of province ${province} are outside your jurisdiction`,
      { field: 'province' },
    );
}

/** Defaults, the province's layer, then the year's, validated; the error Chinese first. */
function resolveChecked(province: string, year: number, overrides: OversightConfigOverride[]) {
  try {
    return resolveOversightConfig({ province, year }, overrides);
  } catch (e) {
    // resolveOversightConfig names the field in English first; say it again, Chinese first.
    if (e instanceof GengbaoError && e.code === 'bad_input') {
      const field = e.field ?? '';
      const detail = (e.details as { message: string }[] | undefined)?.[0]?.message ?? e.message;
      throw new GengbaoError(
        'bad_input',
        `${WHAT}: ${field ? `config.${field}` : 'config'}: ${detail}`,
        {
          field: field ? `config.${field}` : 'config',
          details: e.details,
        },
      );
    }
    throw e;
  }
}

/** Every key of a layer must name a rule: a typo would otherwise be stored and ignored. */
function assertKnownKeys(layer: unknown, defaults: unknown, path: string): void {
  if (!isObject(layer) || !isObject(defaults)) return;
  for (const [k, v] of Object.entries(layer)) {
    if (!(k in defaults))
      throw new GengbaoError(
        'bad_input',
        `${WHAT}: ${path}.${k}: 不是可配置的规则项 / not a rule that can be configured`,
        { field: `${path}.${k}` },
      );
    assertKnownKeys(v, defaults[k], `${path}.${k}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
