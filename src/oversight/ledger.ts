/**
 * The county's reserve of supplementary-farmland quota (储备补充耕地指标) as a ledger: an
 * opening balance imported once, additions (new supplementary farmland accepted into the
 * reserve) and deductions (year-end sanctions), each entry carrying the balance after it.
 * The balance may go below zero: a sanction is owed even when the reserve is empty, and a
 * negative balance is the debt the county must make good.
 */
import { GengbaoError } from '../errors.ts';
import { mu2 } from './case-facts.ts';

export const LEDGER_KINDS = ['opening', 'addition', 'deduction'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** An entry to book: `mu` is positive; its sign follows from the kind. */
export interface LedgerMove {
  kind: LedgerKind;
  mu: number;
}

/**
 * The entry's signed change and the balance after it, given the entries already booked
 * (their count and last balance). An opening balance must come first; amounts are positive.
 * @example nextBalance({ entries: 1, balanceMu: 120 }, { kind: 'deduction', mu: 3.5 }) // { changeMu: -3.5, balanceMu: 116.5 }
 */
export function nextBalance(
  ledger: { entries: number; balanceMu: number },
  move: LedgerMove,
): { changeMu: number; balanceMu: number } {
  if (!(move.mu > 0) || !Number.isFinite(move.mu))
    throw new GengbaoError(
      'bad_input',
      `指标数量须为正数 / the amount must be positive (${move.mu} 亩)`,
      {
        field: 'mu',
      },
    );
  if (move.kind === 'opening' && ledger.entries > 0)
    throw new GengbaoError(
      'conflict',
      '期初余额只能作为台账第一笔导入 / the opening balance can only be the ledger’s first entry',
      { field: 'kind' },
    );
  const changeMu = mu2(move.kind === 'deduction' ? -move.mu : move.mu);
  return { changeMu, balanceMu: mu2(ledger.balanceMu + changeMu) };
}
