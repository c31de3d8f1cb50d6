/**
 * 不得以罚代拆、以罚代没: once a decision orders demolition (限期拆除) or confiscation (没收),
 * no later amendment may replace it with a fine or an after-the-fact permit (补办手续), and
 * an enforcement record must show every ordered measure done — a paid fine does not close a
 * demolition order. (土地管理法 第七十七条; docs/DOMAIN.md "The lifecycle".)
 */
import { GengbaoError } from '../errors.ts';
import type { Measure, MeasureKind } from './inputs.ts';

/** Measures that take the building or its gains away; nothing may later stand in for them. */
export const IRREVERSIBLE_MEASURES: readonly MeasureKind[] = ['demolish', 'confiscate'];

/** True when the measures leave work on the ground (demolish, restore), hence 整改 and 复核. */
export function ordersRectification(measures: readonly Measure[]): boolean {
  return measures.some((m) => m.kind === 'demolish' || m.kind === 'restore_land');
}

const kindsOf = (ms: readonly Measure[]): Set<MeasureKind> => new Set(ms.map((m) => m.kind));

/**
 * A decision's measures must be coherent: no kind twice, and no after-the-fact permit beside
 * demolition or confiscation (the two contradict). On permanent basic farmland no permit can
 * legalise the building at all, so after_permit is refused there.
 */
export function checkDecisionMeasures(
  measures: readonly Measure[],
  onPermanentBasicFarmland: boolean,
): void {
  const kinds = kindsOf(measures);
  if (kinds.size !== measures.length)
    throw new GengbaoError('bad_input', '同一措施重复填写 / a measure kind appears twice', {
      field: 'measures',
    });
  if (kinds.has('after_permit') && IRREVERSIBLE_MEASURES.some((k) => kinds.has(k))) {
    throw new GengbaoError(
      'bad_input',
      '补办手续与拆除、没收相矛盾 / an after-the-fact permit contradicts demolition or confiscation',
      { field: 'measures' },
    );
  }
  if (kinds.has('after_permit') && onPermanentBasicFarmland) {
    throw new GengbaoError(
      'bad_input',
      '占用永久基本农田不得补办手续 / building on permanent basic farmland cannot be legalised by an after-the-fact permit',
      {
        field: 'measures',
      },
    );
  }
}

/**
 * An amendment may add measures or change amounts, but every demolition or confiscation of the
 * decision in force must survive it (conflict otherwise: the request contradicts the record).
 */
export function checkAmendment(current: readonly Measure[], next: readonly Measure[]): void {
  const before = kindsOf(current);
  const after = kindsOf(next);
  const dropped = IRREVERSIBLE_MEASURES.filter((k) => before.has(k) && !after.has(k));
  if (dropped.length > 0) {
    const substitutes = [...after].filter((k) => k === 'fine' || k === 'after_permit');
    throw new GengbaoError(
      'conflict',
      `不得以罚代拆、以罚代没 / the decision orders ${dropped.join(' and ')}; it may not be replaced${substitutes.length ? ` by ${substitutes.join(' or ')}` : ''} (不得以罚代拆、以罚代没)`,
      { field: 'measures', details: { dropped, substitutes } },
    );
  }
}

/** Enforcement is complete only when every ordered measure is done. */
export function checkEnforcementCovers(
  decision: readonly Measure[],
  done: readonly MeasureKind[],
): void {
  const doneSet = new Set(done);
  const missing = decision.map((m) => m.kind).filter((k) => !doneSet.has(k));
  if (missing.length > 0) {
    throw new GengbaoError(
      'bad_input',
      `须执行决定中的全部措施 / enforcement must show every ordered measure done; missing: ${missing.join(', ')}`,
      {
        field: 'measuresDone',
        details: { missing },
      },
    );
  }
  const extra = done.filter((k) => !decision.some((m) => m.kind === k));
  if (extra.length > 0) {
    throw new GengbaoError(
      'bad_input',
      `所选措施不在处罚决定中 / measures not in the decision: ${extra.join(', ')}`,
      {
        field: 'measuresDone',
      },
    );
  }
}
