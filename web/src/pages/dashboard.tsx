import { BarChart, LineChart, PieChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { api, qs, type Jurisdiction, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { STATUS_COLORS } from '../queues.ts';
import { linkTo, navigate } from '../router.ts';
import { Operations } from './operations.tsx';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

interface StatsRow {
  countyCode: string;
  period: string;
  status: string;
  source: string;
  verdict: string;
  count: number;
  areaM2: number;
  areaMu: number;
  farmlandMu: number;
}

type Option = echarts.EChartsCoreOption;

/** One county's illegal-occupation ratio as the server computes it (GET /api/oversight/illegal-ratio). */
interface RatioItem {
  unit: string;
  name: string | null;
  illegalMu: number;
  constructionMu: number;
  ratioPercent: number | null;
  thresholdPercent: number;
  warningPercent: number;
  exceeded: boolean;
  warning: boolean;
  illegalCaseIds: number[];
  constructionCaseIds: number[];
}

declare global {
  interface Window {
    /** Dashboard charts by test id, for the browser tests. */
    __gengbaoCharts?: Record<string, echarts.ECharts>;
  }
}

/** One ECharts chart; `onPick(dataIndex, seriesIndex)` fires when a bar or slice is clicked. */
function Chart({
  option,
  onPick,
  testId,
}: {
  option: Option;
  onPick: (index: number, series: number) => void;
  testId: string;
}) {
  const div = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const c = echarts.init(div.current!, undefined, { renderer: 'canvas' });
    chart.current = c;
    // Exposed for the browser tests, which click a bar where ECharts says it is.
    (window.__gengbaoCharts ??= {})[testId] = c;
    c.on('click', (e) => pick.current(e.dataIndex, e.seriesIndex ?? 0));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(div.current!);
    return () => {
      ro.disconnect();
      if (window.__gengbaoCharts?.[testId] === c) delete window.__gengbaoCharts[testId];
      c.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animationDuration: 300, ...option }, true);
  }, [option]);
  return <div ref={div} className="chart" data-testid={testId} />;
}

const sumBy = (rows: StatsRow[], key: (r: StatsRow) => string) => {
  const m = new Map<string, { count: number; mu: number }>();
  for (const r of rows) {
    const k = key(r);
    const v = m.get(k) ?? { count: 0, mu: 0 };
    v.count += r.count;
    v.mu += r.areaMu;
    m.set(k, v);
  }
  return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
};

/** Counts and areas by county and period, the status and source mix; every chart opens its list. */
export function DashboardPage({ user }: { user: User }) {
  const { t, num, mu } = useI18n();
  const [rows, setRows] = useState<StatsRow[] | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [overdue, setOverdue] = useState<number | null>(null);
  useEffect(() => {
    api.get<{ items: StatsRow[] }>('/api/stats/polygons').then((r) => setRows(r.items));
    api.get<{ total?: number }>('/api/queues/overdue?limit=1&total=true').then(
      (r) => setOverdue(r.total ?? null),
      () => setOverdue(null),
    );
    api.getAll<Jurisdiction>(`/api/jurisdictions${qs({ level: 'county', limit: 1000 })}`).then(
      (items) => setNames(Object.fromEntries(items.map((j) => [j.code, j.name]))),
      () => undefined,
    );
  }, [user.jurisdictionCode]);
  if (!rows) return <p className="muted page">{t('loading')}</p>;

  const byCounty = sumBy(rows, (r) => r.countyCode);
  const byPeriod = sumBy(rows, (r) => r.period);
  const byStatus = sumBy(rows, (r) => r.status);
  const bySource = sumBy(rows, (r) => r.source);
  const byVerdict = sumBy(rows, (r) => r.verdict);
  const years = [...new Set(byPeriod.map(([p]) => p.slice(0, 4)))].sort().reverse();
  const total = rows.reduce((s, r) => s + r.count, 0);
  const totalMu = rows.reduce((s, r) => s + r.areaMu, 0);
  const open = rows.filter((r) => r.status !== 'closed').reduce((s, r) => s + r.count, 0);
  const list = (q: Record<string, string>) => navigate(`/queues/all${qs(q)}`);
  const bars = (cats: string[], counts: number[], areas: number[]): Option => ({
    tooltip: { trigger: 'axis' },
    legend: { data: [t('count'), t('areaMu')] },
    grid: { left: 50, right: 50, bottom: 40, top: 40 },
    xAxis: { type: 'category', data: cats },
    yAxis: [
      { type: 'value', name: t('count') },
      { type: 'value', name: t('mu') },
    ],
    series: [
      { name: t('count'), type: 'bar', data: counts, itemStyle: { color: '#c62828' } },
      {
        name: t('areaMu'),
        type: 'bar',
        yAxisIndex: 1,
        data: areas.map((a) => Math.round(a * 100) / 100),
        itemStyle: { color: '#f9a825' },
      },
    ],
  });
  const pie = (
    entries: [string, { count: number }][],
    label: (k: string) => string,
    colors?: Record<string, string>,
  ): Option => ({
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'pie',
        radius: ['35%', '70%'],
        data: entries.map(([k, v]) => ({
          name: label(k),
          value: v.count,
          itemStyle: colors?.[k] ? { color: colors[k] } : undefined,
        })),
      },
    ],
  });

  return (
    <div className="page dashboard">
      <div className="kpis">
        <div className="kpi">
          <span>{t('totalPolygons')}</span>
          <b data-testid="kpi-total">{num(total)}</b>
        </div>
        <div className="kpi">
          <span>{t('totalArea')}</span>
          <b>{mu(totalMu)}</b>
        </div>
        <div className="kpi">
          <span>{t('openItems')}</span>
          <b>{num(open)}</b>
        </div>
        <a className="kpi" {...linkTo('/queues/overdue')} data-testid="kpi-overdue">
          <span>{t('overdue')}</span>
          <b className={overdue ? 'error' : ''}>{overdue === null ? '—' : num(overdue)}</b>
        </a>
        <p className="muted">{t('clickThrough')}</p>
      </div>
      <div className="charts">
        <section className="card">
          <h3>{t('byCounty')}</h3>
          <Chart
            testId="chart-county"
            option={bars(
              byCounty.map(([c]) => names[c] ?? c),
              byCounty.map(([, v]) => v.count),
              byCounty.map(([, v]) => v.mu),
            )}
            onPick={(i) => list({ jurisdiction: byCounty[i][0] })}
          />
        </section>
        <section className="card">
          <h3>{t('byPeriod')}</h3>
          <Chart
            testId="chart-period"
            option={bars(
              byPeriod.map(([p]) => p),
              byPeriod.map(([, v]) => v.count),
              byPeriod.map(([, v]) => v.mu),
            )}
            onPick={(i) => list({ period: byPeriod[i][0] })}
          />
        </section>
        <section className="card">
          <h3>{t('statusMix')}</h3>
          <Chart
            testId="chart-status"
            option={pie(byStatus, (k) => t(`st_${k}`), STATUS_COLORS)}
            onPick={(i) => list({ status: byStatus[i][0] })}
          />
        </section>
        <section className="card">
          <h3>{t('verdictMix')}</h3>
          <Chart
            testId="chart-verdict"
            option={pie(byVerdict, (k) => t(`verdict_${k}`), {
              lawful: '#43a047',
              illegal: '#c62828',
              other: '#fb8c00',
              none: '#bdbdbd',
            })}
            onPick={(i) => list({ verdict: byVerdict[i][0] })}
          />
        </section>
        <IllegalRatioCard years={years} names={names} />
        <section className="card">
          <h3>{t('sourceMix')}</h3>
          <Chart
            testId="chart-source"
            option={pie(bySource, (k) => t(`src_${k}`))}
            onPick={(i) => list({ source: bySource[i][0] })}
          />
        </section>
      </div>
      <Operations
        user={user}
        period={
          byPeriod
            .map(([p]) => p)
            .sort()
            .at(-1) ?? ''
        }
      />
    </div>
  );
}

const RATIO_COLORS = { exceeded: '#c62828', warning: '#f9a825', ok: '#43a047' };

/**
 * 违法占用耕地面积比例 per county for one year, as the server computes it from the record
 * (src/oversight): the line and warning band from the response, numerator and denominator in
 * 亩 in the tooltip and the table, each bar opening the cases behind it.
 */
function IllegalRatioCard({ years, names }: { years: string[]; names: Record<string, string> }) {
  const { t, num, mu } = useI18n();
  const [year, setYear] = useState(years[0] ?? String(new Date().getFullYear()));
  const [items, setItems] = useState<RatioItem[] | null>(null);
  useEffect(() => {
    setItems(null);
    api.get<{ items: RatioItem[] }>(`/api/oversight/illegal-ratio${qs({ year })}`).then(
      (r) => setItems(r.items.sort((a, b) => a.unit.localeCompare(b.unit))),
      () => setItems([]),
    );
  }, [year]);
  const label = (i: RatioItem) => i.name ?? names[i.unit] ?? i.unit;
  const state = (i: RatioItem) => (i.exceeded ? 'exceeded' : i.warning ? 'warning' : 'ok');
  // The cases behind a county: its new illegal occupation, else its new construction.
  const open = (i: RatioItem) => {
    const illegal = i.illegalCaseIds.length > 0;
    const ids = illegal ? i.illegalCaseIds : i.constructionCaseIds;
    navigate(
      `/queues/all${qs({ jurisdiction: i.unit, verdict: illegal ? 'illegal' : undefined, ids: ids.join(',') || '0' })}`,
    );
  };
  const line = items?.[0]?.thresholdPercent;
  const warn = items?.[0]?.warningPercent;
  const option: Option = {
    tooltip: {
      trigger: 'axis',
      formatter: (ps: { dataIndex: number }[]) => {
        const i = items?.[ps[0]?.dataIndex ?? -1];
        if (!i) return '';
        const ratio = i.ratioPercent === null ? t('ratioNone') : `${num(i.ratioPercent, 2)} %`;
        return [
          `<b>${label(i)}</b> ${ratio}`,
          `${t('ratioIllegalMu')}: ${mu(i.illegalMu)}`,
          `${t('ratioConstructionMu')}: ${mu(i.constructionMu)}`,
          `${t('ratioLine')}: ${num(i.thresholdPercent, 0)} %`,
        ].join('<br/>');
      },
    },
    grid: { left: 50, right: 30, bottom: 40, top: 30 },
    xAxis: { type: 'category', data: (items ?? []).map(label) },
    yAxis: {
      type: 'value',
      // Round tens up to 100 %, never below a little above the line.
      max: (v: { max: number }) =>
        Math.min(100, Math.max((line ?? 15) + 5, Math.ceil(v.max / 10) * 10)),
      axisLabel: { formatter: '{value} %' },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 80,
        data: (items ?? []).map((i) => ({
          value: i.ratioPercent ?? 0,
          itemStyle: { color: RATIO_COLORS[state(i)] },
        })),
        markLine:
          line === undefined
            ? undefined
            : {
                symbol: 'none',
                data: [
                  {
                    yAxis: line,
                    lineStyle: { color: RATIO_COLORS.exceeded, type: 'dashed' },
                    label: { formatter: `${num(line, 0)} %`, position: 'insideEndTop' },
                  },
                  {
                    yAxis: warn,
                    lineStyle: { color: RATIO_COLORS.warning, type: 'dotted' },
                    label: { formatter: `${num(warn ?? 0, 1)} %`, position: 'insideEndBottom' },
                  },
                ],
              },
      },
    ],
  };
  return (
    <section className="card" data-testid="ratio-card">
      <h3>
        {t('illegalRatio')}{' '}
        <select
          value={year}
          onChange={(e) => setYear(e.target.value)}
          data-testid="ratio-year"
          aria-label={t('ratioYear')}
        >
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
        {line !== undefined && (
          <span className="muted" data-testid="ratio-line">
            {' '}
            {t('ratioLine')} {num(line, 0)} % · {t('ratioWarningLine')} {num(warn ?? 0, 1)} %
          </span>
        )}
      </h3>
      <Chart testId="chart-ratio" option={option} onPick={(i) => items?.[i] && open(items[i])} />
      <table className="list" data-testid="ratio-table">
        <thead>
          <tr>
            <th />
            <th className="num">{t('ratioIllegalMu')}</th>
            <th className="num">{t('ratioConstructionMu')}</th>
            <th className="num">%</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(items ?? []).map((i) => (
            <tr
              key={i.unit}
              data-unit={i.unit}
              onClick={() => open(i)}
              style={{ cursor: 'pointer' }}
            >
              <td style={{ whiteSpace: 'nowrap' }}>{label(i)}</td>
              <td className="num" data-field="illegalMu">
                {mu(i.illegalMu)}
              </td>
              <td className="num" data-field="constructionMu">
                {mu(i.constructionMu)}
              </td>
              <td className="num" data-field="ratio">
                {i.ratioPercent === null ? '—' : num(i.ratioPercent, 2)}
              </td>
              <td style={{ color: RATIO_COLORS[state(i)] }}>
                {i.ratioPercent === null
                  ? t('ratioNone')
                  : t(i.exceeded ? 'ratioExceeded' : i.warning ? 'ratioWarning' : 'ratioOk')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('ratioRule')}</p>
    </section>
  );
}
