import { useEffect, useState } from 'react';
import { api, qs, type Jurisdiction, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';

/** This page's words (kept here, not in the shared dictionary): Chinese first. */
const TEXT = {
  title: { zh: '统计报表', en: 'Statistical reports' },
  intro: {
    zh: '选择统计期间和单位，下载按下一级单位分行、带合计行的统计报表（xlsx 或 PDF）。',
    en: 'Choose a period and a unit to download the report, a row per unit one level down plus a total (xlsx or PDF).',
  },
  kind: { zh: '期间类型', en: 'Period' },
  month: { zh: '月度', en: 'Month' },
  quarter: { zh: '季度', en: 'Quarter' },
  year: { zh: '年度', en: 'Year' },
  unit: { zh: '单位', en: 'Unit' },
  xlsx: { zh: '下载 Excel', en: 'Download xlsx' },
  pdf: { zh: '下载 PDF', en: 'Download PDF' },
  preview: { zh: '预览（表一合计）', en: 'Preview (table 1 totals)' },
  found: { zh: '发现图斑', en: '图斑 found' },
} as const;

interface TableReply {
  title: string;
  tables: {
    rows: { name: string; values: Record<string, number | null> }[];
    total: { values: Record<string, number | null> };
  }[];
}

const LEVELS = ['province', 'city', 'county', 'township'] as const;

/**
 * 统计报表: period (month, quarter, year) and unit (the user's own and the units below it,
 * down to townships), then the xlsx or PDF from GET /api/reports/statistics, with a small
 * preview from the same figures as JSON.
 */
export function ReportsPage({ user }: { user: User }) {
  const { lang } = useI18n();
  const tx = (k: keyof typeof TEXT) => TEXT[k][lang];
  const thisYear = new Date().getFullYear();
  const [kind, setKind] = useState<'month' | 'quarter' | 'year'>('month');
  const [year, setYear] = useState(thisYear);
  const [month, setMonth] = useState(new Date().getMonth() + 1);
  const [quarter, setQuarter] = useState(Math.floor(new Date().getMonth() / 3) + 1);
  const [units, setUnits] = useState<Jurisdiction[]>([]);
  const [unit, setUnit] = useState(user.jurisdictionCode);
  const [preview, setPreview] = useState<TableReply | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all(
      LEVELS.map((level) =>
        api
          .getAll<Jurisdiction>(`/api/jurisdictions${qs({ level, limit: 1000 })}`)
          .catch(() => [] as Jurisdiction[]),
      ),
    )
      .then((lists) => setUnits(lists.flat()))
      .catch(() => undefined);
  }, []);

  const period =
    kind === 'month'
      ? `${year}-${String(month).padStart(2, '0')}`
      : kind === 'quarter'
        ? `${year}-Q${quarter}`
        : String(year);
  const query = (format?: string) => qs({ period, unit, format });

  useEffect(() => {
    setError(null);
    api
      .get<TableReply>(`/api/reports/statistics/table${qs({ period, unit })}`)
      .then(setPreview)
      .catch((e: Error) => {
        setPreview(null);
        setError(e.message);
      });
  }, [period, unit]);

  return (
    <div className="page reports-page" data-testid="reports-page">
      <h2>{tx('title')}</h2>
      <p>{tx('intro')}</p>
      <div className="filters">
        <label>
          {tx('kind')}{' '}
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as typeof kind)}
            data-testid="report-kind"
          >
            <option value="month">{tx('month')}</option>
            <option value="quarter">{tx('quarter')}</option>
            <option value="year">{tx('year')}</option>
          </select>
        </label>
        <select
          value={year}
          onChange={(e) => setYear(Number(e.target.value))}
          data-testid="report-year"
        >
          {[thisYear - 2, thisYear - 1, thisYear, thisYear + 1].map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
        {kind === 'month' && (
          <select
            value={month}
            onChange={(e) => setMonth(Number(e.target.value))}
            data-testid="report-month"
          >
            {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        )}
        {kind === 'quarter' && (
          <select
            value={quarter}
            onChange={(e) => setQuarter(Number(e.target.value))}
            data-testid="report-quarter"
          >
            {[1, 2, 3, 4].map((q) => (
              <option key={q} value={q}>
                Q{q}
              </option>
            ))}
          </select>
        )}
        <label>
          {tx('unit')}{' '}
          <select value={unit} onChange={(e) => setUnit(e.target.value)} data-testid="report-unit">
            {!units.some((u) => u.code === user.jurisdictionCode) && (
              <option value={user.jurisdictionCode}>{user.jurisdictionName}</option>
            )}
            {units.map((u) => (
              <option key={u.code} value={u.code}>
                {u.name}（{u.code}）
              </option>
            ))}
          </select>
        </label>
        <a
          className="button"
          href={`/api/reports/statistics${query('xlsx')}`}
          download
          data-testid="report-xlsx"
        >
          {tx('xlsx')}
        </a>
        <a
          className="button"
          href={`/api/reports/statistics${query('pdf')}`}
          download
          data-testid="report-pdf"
        >
          {tx('pdf')}
        </a>
      </div>
      {error && <p className="error">{error}</p>}
      {preview && (
        <table className="data" data-testid="report-preview">
          <caption>
            {preview.title} · {tx('preview')}
          </caption>
          <tbody>
            {[
              ...preview.tables[0].rows,
              { name: lang === 'zh' ? '合计' : 'Total', values: preview.tables[0].total.values },
            ].map((r) => (
              <tr key={r.name}>
                <td>{r.name}</td>
                <td>
                  {tx('found')} {r.values.found ?? 0}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
