import { suggestMeasures, type MeasureSuggestion } from '../oversight/index.ts';
import type { Queryable } from '../store/db.ts';
import { listAccountability } from '../store/supervision.ts';
import type { Principal } from '../store/users.ts';
import type { OversightService } from './oversight.ts';
import type { RegisterService } from './registers.ts';

/**
 * The measures a year's figures suggest per county in the caller's scope (src/oversight
 * suggestions.ts): the illegal-occupation ratio and the signs of weak enforcement, each
 * suggestion marked when its measure is already recorded. Nothing is recorded here.
 */
export async function measureSuggestions(
  s: { oversight: OversightService; registers: RegisterService },
  inTransaction: <T>(fn: (q: Queryable) => Promise<T>) => Promise<T>,
  p: Principal,
  year: number,
): Promise<{ year: number; items: MeasureSuggestion[] }> {
  const [ratios, weak] = await Promise.all([
    s.oversight.illegalRatio(p, year, 'county'),
    s.registers.weakness(p, year, 'county'),
  ]);
  // After the figures, not beside them: the embedded database has one connection.
  const recorded = await inTransaction((q) => listAccountability(q, p.scope, { year }));
  return { year, items: suggestMeasures(year, ratios.items, weak.items, recorded) };
}
