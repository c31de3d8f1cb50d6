import {
  resolveOversightConfig,
  type OversightConfig,
  type OversightConfigOverride,
} from '../oversight/index.ts';
import type { Queryable } from '../store/db.ts';
import { getSetting } from '../store/settings.ts';

/** The setting that holds the provinces' overrides of the oversight rules (like `cases.config`). */
export const OVERSIGHT_CONFIG_KEY = 'oversight.config';

/**
 * The oversight rules in force for a year, per province: national defaults plus the
 * overrides stored under `oversight.config`, read once and resolved per province on demand.
 */
export async function oversightConfigs(
  q: Queryable,
  year: number,
): Promise<(province: string) => OversightConfig> {
  const overrides = (await getSetting<OversightConfigOverride[]>(q, OVERSIGHT_CONFIG_KEY)) ?? [];
  const cache = new Map<string, OversightConfig>();
  return (province) => {
    let c = cache.get(province);
    if (!c) cache.set(province, (c = resolveOversightConfig({ province, year }, overrides)));
    return c;
  };
}
