/**
 * The period a statistical report covers: a month (`2026-11`), a quarter (`2026-Q4`) or a year
 * (`2026`), as the monitoring periods of its 图斑 (`YYYY-MM`) it takes in.
 */
import { GengbaoError } from '../errors.ts';

export interface ReportPeriod {
  kind: 'month' | 'quarter' | 'year';
  /** As given: `2026-11`, `2026-Q4`, `2026`. */
  code: string;
  /** As a report heading writes it: 2026年11月, 2026年第四季度, 2026年. */
  label: string;
  year: number;
  /** The monitoring periods (`YYYY-MM`) inside it, in order. */
  months: string[];
}

const QUARTER_NAMES = ['第一季度', '第二季度', '第三季度', '第四季度'];
const mm = (m: number) => String(m).padStart(2, '0');

/**
 * Reads a report period; anything else is a `bad_input` naming the forms accepted.
 * @example parseReportPeriod('2026-Q4').months // ['2026-10', '2026-11', '2026-12']
 */
export function parseReportPeriod(text: string): ReportPeriod {
  const s = text.trim();
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(s);
  if (m) {
    const year = Number(m[1]);
    return { kind: 'month', code: s, label: `${year}年${Number(m[2])}月`, year, months: [s] };
  }
  m = /^(\d{4})-[Qq]([1-4])$/.exec(s);
  if (m) {
    const year = Number(m[1]);
    const q = Number(m[2]);
    const months = [1, 2, 3].map((i) => `${year}-${mm((q - 1) * 3 + i)}`);
    return {
      kind: 'quarter',
      code: `${year}-Q${q}`,
      label: `${year}年${QUARTER_NAMES[q - 1]}`,
      year,
      months,
    };
  }
  m = /^(\d{4})$/.exec(s);
  if (m) {
    const year = Number(m[1]);
    const months = Array.from({ length: 12 }, (_, i) => `${year}-${mm(i + 1)}`);
    return { kind: 'year', code: s, label: `${year}年`, year, months };
  }
  throw new GengbaoError(
    'bad_input',
    `a report period is a month (2026-11), a quarter (2026-Q4) or a year (2026), got "${text}"`,
    {
      field: 'period',
    },
  );
}
