import { publicNoticeOf, type PolygonCaseState } from '../cases/index.ts';
import type { Queryable } from '../store/db.ts';
import { appendEvents } from '../store/events.ts';
import { insertPublication } from '../store/oversight.ts';
import { Scope } from '../store/scope.ts';

/** How many closed cases with a decision each county's officer publishes in the demo. */
const PER_COUNTY = 3;

/**
 * 执法公示 of the demo: each county officer publishes the first few of their closed cases with a
 * decision, a day after closing — the same notice (personal data masked) and record step as
 * POST /api/polygons/:id/publish — so the public page has something to show.
 */
export async function publishDemoCases(
  tx: Queryable,
  cases: { id: number; state: PolygonCaseState }[],
  officerIdOf: (county: string) => number,
): Promise<number> {
  const byCounty = new Map<string, number>();
  let n = 0;
  for (const { id, state } of cases) {
    if (state.status !== 'closed' || !state.decision || !state.caseFile || !state.closure) continue;
    const county = state.jurisdictionCode.slice(0, 6);
    if ((byCounty.get(county) ?? 0) >= PER_COUNTY) continue;
    byCounty.set(county, (byCounty.get(county) ?? 0) + 1);
    const at = new Date(Date.parse(state.closure.at) + 86_400_000);
    const by = officerIdOf(county);
    await insertPublication(tx, Scope.system(), {
      polygonId: id,
      jurisdictionCode: state.jurisdictionCode,
      notice: publicNoticeOf(state),
      by,
      at,
    });
    await appendEvents(tx, Scope.system(), [
      {
        actorId: by,
        entityType: 'publication',
        entityId: String(id),
        jurisdictionCode: state.jurisdictionCode,
        type: 'case.published',
        payload: {},
        at,
      },
    ]);
    n++;
  }
  return n;
}
