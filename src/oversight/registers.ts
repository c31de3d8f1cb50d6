/**
 * Registers across cases (docs/DOMAIN.md "Registers"): what stays inside each case's record —
 * interference, verdicts overturned on spot checks, transfers with their receipt and outcome,
 * 挂牌督办 with progress and 摘牌 — listed as rows that can be filtered, counted and exported.
 * Read from the case state, which is the projection of the hash-chained record, so every row
 * names the event's author and time.
 */
import type { PolygonCaseState } from '../cases/states.ts';
import type { TransferOutcome } from '../cases/inputs.ts';

/** The case a register row belongs to. */
export interface CaseRef {
  polygonId: number;
  polygonCode: string;
  period: string;
  jurisdictionCode: string;
}

/** A case as the registers read it. */
export interface RegisterCase extends CaseRef {
  state: PolygonCaseState | null;
}

export interface InterferenceRow extends CaseRef {
  recordedAt: string;
  recordedBy: string;
  occurredAt: string;
  interfererName: string;
  interfererPosition: string | null;
  interfererOrganisation: string | null;
  how: string;
  description: string;
}

/** A verdict a spot check overturned (抽查纠错), traced to who made it. */
export interface OverturnedRow extends CaseRef {
  checkedAt: string;
  checkedBy: string;
  finding: string;
  correctCategory: string;
  /** The verdict overturned: its category, who made it and when. */
  verdictCategory: string | null;
  verdictBy: string | null;
  verdictAt: string | null;
}

export interface TransferRow extends CaseRef {
  to: 'police' | 'discipline' | 'procuratorate';
  docNo: string;
  reason: string;
  transferredAt: string;
  transferredBy: string;
  receiptNo: string | null;
  receivedAt: string | null;
  outcome: TransferOutcome | null;
  outcomeNote: string | null;
  outcomeAt: string | null;
}

export interface ListingRow extends CaseRef {
  authority: string;
  docNo: string;
  listedAt: string;
  listedBy: string;
  deadline: string | null;
  requirements: string | null;
  /** The case's status now: how far it has come under the listing. */
  status: string;
  progress: { at: string; by: string; progress: string }[];
  liftedAt: string | null;
  liftedDocNo: string | null;
  liftedReason: string | null;
}

const refOf = (c: RegisterCase): CaseRef => ({
  polygonId: c.polygonId,
  polygonCode: c.polygonCode,
  period: c.period,
  jurisdictionCode: c.jurisdictionCode,
});

export function interferenceRows(cases: readonly RegisterCase[]): InterferenceRow[] {
  return cases.flatMap((c) =>
    (c.state?.interferences ?? []).map((f) => ({
      ...refOf(c),
      recordedAt: f.at,
      recordedBy: f.by,
      occurredAt: f.occurredAt,
      interfererName: f.interferer.name,
      interfererPosition: f.interferer.position ?? null,
      interfererOrganisation: f.interferer.organisation ?? null,
      how: f.how,
      description: f.description,
    })),
  );
}

/**
 * Overturned verdicts. The category overturned is the one in force when the check was made:
 * the verdict recorded by the person the finding names (a later redetermination replaces
 * `determination`, so the category is read only while it is still that person's).
 */
export function overturnedRows(cases: readonly RegisterCase[]): OverturnedRow[] {
  return cases.flatMap((c) =>
    (c.state?.spotChecks ?? [])
      .filter((f) => !f.upheld)
      .map((f) => {
        const d = c.state?.determination;
        const same = d && d.by === f.verdictBy && d.at === f.verdictAt;
        const reject = f as typeof f & { finding?: string; correctCategory?: string };
        return {
          ...refOf(c),
          checkedAt: f.at,
          checkedBy: f.by,
          finding: reject.finding ?? '',
          correctCategory: reject.correctCategory ?? '',
          verdictCategory: same ? d.category : null,
          verdictBy: f.verdictBy ?? null,
          verdictAt: f.verdictAt ?? null,
        };
      }),
  );
}

/** Each transfer with the latest receipt and outcome recorded for its document. */
export function transferRows(cases: readonly RegisterCase[]): TransferRow[] {
  return cases.flatMap((c) =>
    (c.state?.transfers ?? []).map((t) => {
      const feedback = (c.state?.transferFeedback ?? []).filter((f) => f.transferDocNo === t.docNo);
      const receipt = feedback.filter((f) => f.receiptNo !== undefined).at(-1);
      const outcome = feedback.filter((f) => f.outcome !== undefined).at(-1);
      return {
        ...refOf(c),
        to: t.to,
        docNo: t.docNo,
        reason: t.reason,
        transferredAt: t.at,
        transferredBy: t.by,
        receiptNo: receipt?.receiptNo ?? null,
        receivedAt: receipt?.receivedAt ?? null,
        outcome: outcome?.outcome ?? null,
        outcomeNote: outcome?.outcomeNote ?? null,
        outcomeAt: outcome?.at ?? null,
      };
    }),
  );
}

/**
 * 挂牌督办: listings recorded by `list_case`, and cases filed under supervised listing
 * (file_case mode `supervised`) that no `list_case` recorded — listed from their filing.
 */
export function listingRows(cases: readonly RegisterCase[]): ListingRow[] {
  const out: ListingRow[] = [];
  for (const c of cases) {
    const s = c.state;
    if (!s) continue;
    if (s.listing) {
      const l = s.listing;
      out.push({
        ...refOf(c),
        authority: l.authority,
        docNo: l.docNo,
        listedAt: l.at,
        listedBy: l.by,
        deadline: l.deadline ?? null,
        requirements: l.requirements ?? null,
        status: s.status,
        progress: l.progress.map((p) => ({ at: p.at, by: p.by, progress: p.progress })),
        liftedAt: l.lifted?.at ?? null,
        liftedDocNo: l.lifted?.docNo ?? null,
        liftedReason: l.lifted?.reason ?? null,
      });
    } else if (s.caseFile?.mode === 'supervised' && s.caseFile.listing) {
      out.push({
        ...refOf(c),
        authority: s.caseFile.listing.authority,
        docNo: s.caseFile.listing.docNo,
        listedAt: s.caseFile.at,
        listedBy: s.caseFile.by,
        deadline: null,
        requirements: null,
        status: s.status,
        progress: [],
        liftedAt: null,
        liftedDocNo: null,
        liftedReason: null,
      });
    }
  }
  return out;
}
