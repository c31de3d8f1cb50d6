import { resolveCasesConfig, type CasesConfig, type CasesConfigOverride } from '../cases/config.ts';
import { GengbaoError } from '../errors.ts';
import type { Queryable } from '../store/db.ts';
import { appendEvents } from '../store/events.ts';
import type { Scope } from '../store/scope.ts';
import { getSetting, putSetting } from '../store/settings.ts';
import type { Principal } from '../store/users.ts';

/** The setting `casesConfig` (services/cases.ts) reads: every province's overrides of the national rules. */
const KEY = 'cases.config';

/** The province's own code as stored in jurisdictions (e.g. 140000 for Shanxi). */
const provinceCodeOf = (jurisdictionCode: string) => jurisdictionCode.slice(0, 2) + '0000';

/**
 * The rules in force in the caller's province this year, and which parts of them the province
 * itself set (the rest are the national defaults). Any logged-in user may read them: the
 * deadlines and reasons they work under are no secret to them.
 */
export async function provinceSettings(
  q: Queryable,
  p: Principal,
  now: Date,
): Promise<{ province: string; year: number; config: CasesConfig; overridden: string[] }> {
  const province = p.jurisdictionCode.slice(0, 2);
  const overrides = (await getSetting<CasesConfigOverride[]>(q, KEY)) ?? [];
  const mine = overrides.find((o) => o.province === province && o.year === undefined);
  const year = now.getUTCFullYear();
  return {
    province: provinceCodeOf(p.jurisdictionCode),
    year,
    config: resolveCasesConfig({ province, year }, overrides),
    overridden:
      mine && typeof mine.config === 'object' && mine.config ? Object.keys(mine.config) : [],
  };
}

/**
 * Changes the province's rules (holidays, deadlines, thresholds, reason lists): the patch is
 * merged into the province-wide override — objects key by key, lists replaced whole, as
 * resolveCasesConfig merges — validated as the whole configuration before anything is stored,
 * and the change is appended to the hash-chained record with who made it, so a deadline that
 * moved can always be explained. Only a province-level administrator may: the rules are the
 * province's, not a county's.
 */
export async function updateProvinceSettings(
  q: Queryable,
  scope: Scope,
  p: Principal,
  patch: Record<string, unknown>,
  now: Date,
) {
  if (p.role !== 'admin' || p.jurisdictionLevel !== 'province')
    throw new GengbaoError(
      'forbidden',
      '只有省级管理员可以修改全省规则 / only a province administrator may change the province rules',
    );
  const province = p.jurisdictionCode.slice(0, 2);
  const overrides = (await getSetting<CasesConfigOverride[]>(q, KEY)) ?? [];
  const i = overrides.findIndex((o) => o.province === province && o.year === undefined);
  const before = i >= 0 ? (overrides[i].config as Record<string, unknown>) : {};
  const merged = merge(before, patch) as Record<string, unknown>;
  const next = [...overrides];
  if (i >= 0) next[i] = { province, config: merged };
  else next.push({ province, config: merged });
  // Throws bad_input naming the field when the result is not a valid configuration.
  resolveCasesConfig({ province, year: now.getUTCFullYear() }, next);
  await putSetting(q, KEY, next);
  await appendEvents(q, scope, [
    {
      actorId: p.id,
      entityType: 'settings',
      entityId: `cases.config:${province}`,
      jurisdictionCode: provinceCodeOf(p.jurisdictionCode),
      type: 'settings_changed',
      payload: { patch },
      at: now,
    },
  ]);
  return provinceSettings(q, p, now);
}

/** Objects merged key by key, anything else replaced: the same rule as cases/config.ts. */
function merge(base: unknown, over: unknown): unknown {
  const plain = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!plain(base) || !plain(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}
