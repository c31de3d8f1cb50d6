import { useEffect, useState } from 'react';
import { api, qs } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { linkTo } from '../router.ts';
import { RulesConfig } from './oversight-config.tsx';
import { Measures } from './oversight-measures.tsx';
import { Duties, Ledgers, Sweeps } from './oversight-sanctions.tsx';
import { useOversightText, type OversightKey } from './oversight-text.ts';
import { useSanctionsText } from './sanctions-text.ts';

const REGISTERS = [
  'interference',
  'overturned',
  'transfers',
  'listings',
  'summons',
  'criticism',
  'referrals',
  'rewards',
  'penalties',
] as const;
type Kind = (typeof REGISTERS)[number];
type Row = Record<string, unknown>;
type Person = { name: string; unitName: string | null; unitCode: string };

/** Each register's columns: header (zh, en) and the cell, people's ids shown as name (unit). */
const COLUMNS: Record<Kind, [string, string, (r: Row, who: (id: unknown) => string) => string][]> =
  {
    interference: [
      [
        '干预人',
        'Interferer',
        (r) => `${r.interfererName}${r.interfererPosition ? `（${r.interfererPosition}）` : ''}`,
      ],
      ['单位', 'Organisation', (r) => String(r.interfererOrganisation ?? '')],
      ['情况', 'What happened', (r) => String(r.description)],
      ['记录人', 'Recorded by', (r, w) => w(r.recordedBy)],
    ],
    overturned: [
      ['判定人（单位）', 'Verdict by (unit)', (r, w) => w(r.verdictBy)],
      ['抽查发现', 'Finding', (r) => String(r.finding)],
      ['抽查人', 'Checked by', (r, w) => w(r.checkedBy)],
    ],
    transfers: [
      ['移送文号', 'Document', (r) => String(r.docNo)],
      ['回执文号', 'Receipt', (r) => String(r.receiptNo ?? '')],
      ['办理结果', 'Outcome', (r) => String(r.outcome ?? '')],
    ],
    listings: [
      ['督办机关', 'Authority', (r) => String(r.authority)],
      ['督办文号', 'Document', (r) => String(r.docNo)],
      [
        '进展',
        'Progress',
        (r) => (r.progress as { progress: string }[]).map((p) => p.progress).join('；'),
      ],
      ['摘牌时间', 'Lifted', (r) => String(r.liftedAt ?? '').slice(0, 10)],
    ],
    summons: [],
    criticism: [],
    referrals: [],
    rewards: [],
    penalties: [],
  };
const MEASURE_COLUMNS: (typeof COLUMNS)['summons'] = [
  ['单位', 'Unit', (r) => String(r.jurisdictionCode)],
  [
    '姓名',
    'Name',
    (r) => `${r.personName ?? ''}${r.personPosition ? `（${r.personPosition}）` : ''}`,
  ],
  ['文号', 'Document', (r) => String(r.docNo)],
  ['日期', 'Date', (r) => String(r.issuedOn)],
  ['事由', 'Reason', (r) => String(r.reason)],
];

const TABS = [
  'registers',
  'ledgers',
  'duties',
  'sweeps',
  'measures',
  'scorecards',
  'leads',
  'config',
] as const;
type Tab = (typeof TABS)[number];

/**
 * 督察台账: registers across cases, the counties' quota ledgers, the sweep's duties and 补划,
 * the year-end sweep, accountability measures with the suggested ones, the scorecards of
 * townships and villages, the handed-over leads report, and the oversight rules.
 */
export function OversightPage({ tab }: { tab?: string }) {
  const t = useOversightText();
  const st = useSanctionsText();
  const current: Tab = TABS.includes(tab as Tab) ? (tab as Tab) : 'registers';
  const label = (k: Tab) =>
    k === 'registers' || k === 'scorecards'
      ? t(k)
      : k === 'leads'
        ? t('leadsReport')
        : st(`tab_${k}`);
  return (
    <div className="page oversight-page">
      <nav className="tabs">
        {TABS.map((k) => (
          <a
            key={k}
            className={current === k ? 'active' : ''}
            {...linkTo(`/oversight/${k}`)}
            data-tab={k}
          >
            {label(k)}
          </a>
        ))}
      </nav>
      {current === 'registers' && <Registers />}
      {current === 'ledgers' && <Ledgers />}
      {current === 'duties' && <Duties />}
      {current === 'sweeps' && <Sweeps />}
      {current === 'measures' && <Measures />}
      {current === 'scorecards' && <Scorecards />}
      {current === 'leads' && <LeadsReport />}
      {current === 'config' && <RulesConfig />}
    </div>
  );
}

function Registers() {
  const t = useOversightText();
  const { lang } = useI18n();
  const [kind, setKind] = useState<Kind>('interference');
  const [filter, setFilter] = useState({ region: '', period: '', unit: '', person: '' });
  const [data, setData] = useState<{
    count: number;
    items: Row[];
    people: Record<string, Person>;
  } | null>(null);
  const query = qs(filter);
  useEffect(() => {
    setData(null);
    api
      .get<typeof data>(`/api/oversight/registers/${kind}${query}`)
      .then(setData, () => setData({ count: 0, items: [], people: {} }));
  }, [kind, query]);
  const who = (id: unknown) => {
    const p = typeof id === 'string' ? data?.people[id] : undefined;
    return p ? `${p.name}（${p.unitName ?? p.unitCode}）` : '';
  };
  const measure = ['summons', 'criticism', 'referrals', 'rewards', 'penalties'].includes(kind);
  const cols = measure ? MEASURE_COLUMNS : COLUMNS[kind];
  return (
    <section>
      <div className="filters">
        <select
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          data-testid="register-kind"
        >
          {REGISTERS.map((k) => (
            <option key={k} value={k}>
              {t(`reg_${k}` as OversightKey)}
            </option>
          ))}
        </select>
        {(['region', 'period', 'unit', 'person'] as const).map((f) => (
          <label key={f}>
            {t(f)}
            <input
              value={filter[f]}
              onChange={(e) => setFilter({ ...filter, [f]: e.target.value.trim() })}
            />
          </label>
        ))}
        <a
          href={`/api/oversight/registers/${kind}/xlsx${query}`}
          download
          data-testid="register-xlsx"
        >
          {t('download')}
        </a>
      </div>
      {data && (
        <p data-testid="register-count">
          {t('count', { n: data.count })}
          {data.items.length < data.count && ` · ${t('shownFirst', { n: data.items.length })}`}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            {!measure && <th>{t('code')}</th>}
            {cols.map(([zh, en]) => (
              <th key={zh}>{lang === 'zh' ? zh : en}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data?.items.map((r, i) => (
            <tr key={i}>
              {!measure && (
                <td>
                  <a {...linkTo(`/polygons/${r.polygonId}`)}>{String(r.polygonCode)}</a>
                </td>
              )}
              {cols.map(([zh, , cell]) => (
                <td key={zh}>{cell(r, who)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const COMPONENTS = ['patrol', 'verifyOnTime', 'notOverturned', 'earlyStop', 'notResumed'] as const;
type Card = {
  unit: string;
  name: string;
  score: number | null;
  rank: number | null;
  components: Record<string, { value: number | null }>;
};

function Scorecards() {
  const t = useOversightText();
  const [year, setYear] = useState(new Date().getFullYear());
  const [level, setLevel] = useState<'township' | 'village'>('township');
  const [items, setItems] = useState<Card[]>([]);
  useEffect(() => {
    api.get<{ items: Card[] }>(`/api/oversight/scorecards${qs({ year, level })}`).then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
  }, [year, level]);
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
  return (
    <section>
      <div className="filters">
        <label>
          {t('year')}
          <input type="number" value={year} onChange={(e) => setYear(Number(e.target.value))} />
        </label>
        <label>
          {t('level')}
          <select
            value={level}
            onChange={(e) => setLevel(e.target.value as 'township' | 'village')}
          >
            <option value="township">{t('township')}</option>
            <option value="village">{t('village')}</option>
          </select>
        </label>
        <a href={`/api/oversight/scorecards/xlsx${qs({ year, level })}`} download>
          {t('download')}
        </a>
      </div>
      <table className="table" data-testid="scorecards">
        <thead>
          <tr>
            <th>{t('rank')}</th>
            <th>{t('unitName')}</th>
            <th>{t('score')}</th>
            {COMPONENTS.map((c) => (
              <th key={c}>{t(`c_${c}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.unit}>
              <td>{c.rank ?? '—'}</td>
              <td>{c.name}</td>
              <td>{c.score ?? '—'}</td>
              {COMPONENTS.map((k) => (
                <td key={k}>{pct(c.components[k].value)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const OUTCOMES = [
  'pending',
  'verified',
  'dismissed',
  'lawful',
  'other',
  'illegal',
  'filed',
  'closed',
] as const;
type Lead = {
  polygonId: number;
  polygonCode: string;
  source: string;
  docNo: string;
  docDate: string;
  issuingBody: string;
  outcome: string;
};

function LeadsReport() {
  const t = useOversightText();
  const [range, setRange] = useState({ from: '', to: '' });
  const [data, setData] = useState<{
    items: Lead[];
    counts: { source: string; total: number; outcomes: Record<string, number> }[];
  } | null>(null);
  const query = qs(range);
  useEffect(() => {
    api.get<typeof data>(`/api/leads/report${query}`).then(setData, () => setData(null));
  }, [query]);
  const src = (s: string) => (s === 'all' ? t('total') : t(`src_${s}` as OversightKey));
  return (
    <section>
      <div className="filters">
        {(['from', 'to'] as const).map((k) => (
          <label key={k}>
            {t(k)}
            <input
              type="date"
              value={range[k]}
              onChange={(e) => setRange({ ...range, [k]: e.target.value })}
            />
          </label>
        ))}
        <a href={`/api/leads/report/xlsx${query}`} download>
          {t('download')}
        </a>
      </div>
      <table className="table">
        <thead>
          <tr>
            <th>{t('leadSource')}</th>
            <th>{t('total')}</th>
            {OUTCOMES.map((o) => (
              <th key={o}>{t(`o_${o}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data?.counts.map((c) => (
            <tr key={c.source}>
              <td>{src(c.source)}</td>
              <td>{c.total}</td>
              {OUTCOMES.map((o) => (
                <td key={o}>{c.outcomes[o]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <table className="table" data-testid="leads">
        <thead>
          <tr>
            <th>{t('code')}</th>
            <th>{t('leadSource')}</th>
            <th>{t('docNo')}</th>
            <th>{t('docDate')}</th>
            <th>{t('issuingBody')}</th>
            <th>{t('outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((l) => (
            <tr key={l.polygonId}>
              <td>
                <a {...linkTo(`/polygons/${l.polygonId}`)}>{l.polygonCode}</a>
              </td>
              <td>{src(l.source)}</td>
              <td>{l.docNo}</td>
              <td>{l.docDate}</td>
              <td>{l.issuingBody}</td>
              <td>{t(`o_${l.outcome}` as OversightKey)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
