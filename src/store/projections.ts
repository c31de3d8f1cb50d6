import type { RecordedEvent } from '../cases/record.ts';
import type { Queryable } from './db.ts';
import { eventsOfEntities } from './events.ts';

/** A polygon's stored case columns, as `audit verify` compares them with its record. */
export interface StoredCase {
  id: number;
  code: string;
  status: string;
  version: number;
  caseState: unknown;
}

/**
 * Every polygon that has a case, in id order, page by page, each with its lifecycle events
 * (entity 'polygon') oldest first — bounded memory however large the store.
 */
export async function* casesWithEvents(
  q: Queryable,
  page = 1000,
): AsyncGenerator<{ stored: StoredCase; events: RecordedEvent[] }[]> {
  let after = 0;
  for (;;) {
    const rows = await q.query<{
      id: number;
      code: string;
      status: string;
      version: number;
      case_state: unknown;
    }>(
      `SELECT id, code, status, version, case_state FROM polygons WHERE case_state IS NOT NULL AND id > $1 ORDER BY id LIMIT ${page}`,
      [after],
    );
    if (!rows.length) return;
    const byId = await eventsOfEntities(
      q,
      'polygon',
      rows.map((r) => String(r.id)),
    );
    yield rows.map((r) => ({
      stored: {
        id: r.id,
        code: r.code,
        status: r.status,
        version: r.version,
        caseState: r.case_state,
      },
      events: byId.get(String(r.id)) ?? [],
    }));
    after = rows[rows.length - 1].id;
  }
}
