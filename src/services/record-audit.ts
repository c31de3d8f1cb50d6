import { canonicalJson, replay, type ChainHead, type ChainVerdict } from '../cases/index.ts';
import { verifyRecord } from '../store/audit.ts';
import type { Queryable } from '../store/db.ts';
import { casesWithEvents } from '../store/projections.ts';
import { readAnchors, strongestAnchor } from './record-anchors.ts';

/** A case whose stored state is not what its record says. */
export interface ProjectionMismatch {
  id: number;
  code: string;
  /** What differs: the status column, the version, or the state document. */
  what: 'status' | 'version' | 'state' | 'record';
  stored: string;
  recorded: string;
}

export interface RecordAudit {
  chain: ChainVerdict;
  /** The anchor the chain was checked against (an explicit one, else the newest written). */
  anchor: ChainHead | null;
  casesChecked: number;
  mismatches: ProjectionMismatch[];
}

/**
 * `gengbao audit verify`: the record is intact AND the state everyone works from is what the
 * record says. (1) The hash chain, against an anchor — the one given, else the newest in the
 * anchor folder — so deleting the last events or rewriting the chain shows. (2) Every case's
 * stored state (status, version, case_state) equals the replay of its events: a status changed
 * directly in the polygons table, which leaves the chain untouched, shows here.
 */
export async function auditRecord(
  q: Queryable,
  opts: { anchor?: ChainHead; anchorDir?: string; maxMismatches?: number } = {},
): Promise<RecordAudit> {
  const anchor =
    opts.anchor ??
    (opts.anchorDir ? strongestAnchor(await readAnchors(opts.anchorDir)) : undefined) ??
    null;
  const chain = await verifyRecord(q, anchor ?? undefined);
  const mismatches: ProjectionMismatch[] = [];
  const max = opts.maxMismatches ?? 100;
  let casesChecked = 0;
  for await (const page of casesWithEvents(q)) {
    for (const { stored, events } of page) {
      casesChecked++;
      if (mismatches.length >= max) continue;
      let recorded;
      try {
        recorded = replay(events);
      } catch (e) {
        mismatches.push({
          id: stored.id,
          code: stored.code,
          what: 'record',
          stored: stored.status,
          recorded: (e as Error).message,
        });
        continue;
      }
      if (recorded.status !== stored.status)
        mismatches.push({
          id: stored.id,
          code: stored.code,
          what: 'status',
          stored: stored.status,
          recorded: recorded.status,
        });
      else if (recorded.version !== stored.version)
        mismatches.push({
          id: stored.id,
          code: stored.code,
          what: 'version',
          stored: String(stored.version),
          recorded: String(recorded.version),
        });
      else if (canonicalJson(recorded) !== canonicalJson(stored.caseState)) {
        mismatches.push({
          id: stored.id,
          code: stored.code,
          what: 'state',
          stored: 'case_state',
          recorded: 'the replay of its events differs',
        });
      }
    }
  }
  return { chain, anchor, casesChecked, mismatches };
}
