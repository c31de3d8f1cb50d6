/**
 * What a form may start filled with, from the case's own record: the reviewer's 复核通过 after
 * an automatic re-check on imagery found the site restored is one click — method "imagery", the
 * new scene's date and a note naming the re-check (its chips are in the record) — and still the
 * reviewer's own decision, taken with their name.
 */
import type { Action } from './inputs.ts';
import type { PolygonCaseState } from './states.ts';

export function suggestedInput(action: Action, s: PolygonCaseState): Record<string, unknown> {
  if (action !== 'recheck_pass' || s.status !== 'rectified') return {};
  const last = s.imageryRechecks?.at(-1);
  // Only a re-check made after the rectification was reported speaks of it.
  if (!last || last.result !== 'restored' || (s.rectification && last.at < s.rectification.at))
    return {};
  return {
    method: 'imagery',
    imageryDate: last.imageryDate,
    note: `影像自动复核第 ${last.recheckId} 号：${last.imageryDate} 影像显示已恢复（违法时点 ${last.violationDate}，前时相 ${last.beforeDate}）/ automatic re-check ${last.recheckId}: the ${last.imageryDate} scene shows the site restored`,
  };
}
