import { useEffect, useState } from 'react';
import { api, ApiError, qs } from '../api.ts';
import { useSanctionsText, type SanctionsKey } from './sanctions-text.ts';
import { useMe } from './use-me.ts';

type Config = Record<string, Record<string, unknown>>;
type View = {
  province: string;
  year: number;
  defaults: Config;
  provinceLayer: Config | null;
  yearLayer: Config | null;
  effective: Config;
  history: {
    at: string;
    byName: string | null;
    year: number | null;
    old: unknown;
    new: unknown;
  }[];
};

/** The rules, group by group, field by field (scorecard weights are one level deeper). */
const FIELDS: [string, string[]][] = [
  ['illegalRatio', ['thresholdPercent', 'areaFloorMu', 'warningShare']],
  ['sanctions', ['subtypes', 'redesignationMonths', 'utcOffsetMinutes']],
  ['replacement', ['minFarmlandShare', 'maxPbfOverlapM2']],
  ['weakEnforcement', ['overdueShare', 'overturnedShare', 'notRestoredShare']],
  [
    'scorecard',
    ['patrol', 'verifyOnTime', 'notOverturned', 'earlyStop', 'notResumed', 'patrolWeeks'],
  ],
];
const WEIGHTS = ['patrol', 'verifyOnTime', 'notOverturned', 'earlyStop', 'notResumed'];
const RULE_KEEPERS = ['province_monitor', 'admin'];

const read = (c: Config, group: string, field: string): unknown =>
  group === 'scorecard' && WEIGHTS.includes(field)
    ? (c.scorecard?.weights as Record<string, unknown> | undefined)?.[field]
    : c[group]?.[field];
/** China time of an instant, to the minute. */
const chinaTime = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const show = (v: unknown) => (Array.isArray(v) ? v.join(',') : v === undefined ? '' : String(v));

/**
 * 规则配置: the oversight rules of the province for a year — national default, what is in
 * force, and the value set for the year (or for the province, every year) — edited by province
 * monitors and administrators; the server validates and records every change (who, when, old,
 * new), listed below.
 */
export function RulesConfig() {
  const t = useSanctionsText();
  const me = useMe();
  const province = me?.jurisdictionCode.slice(0, 2) ?? '';
  const [year, setYear] = useState(new Date().getFullYear());
  const [layer, setLayer] = useState<'year' | 'province'>('year');
  const [view, setView] = useState<View | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (!province) return;
    api
      .get<View>(`/api/oversight/config${qs({ province, year })}`)
      .then(setView, () => setView(null));
  }, [province, year]);
  const own = view ? (layer === 'year' ? view.yearLayer : view.provinceLayer) : null;
  useEffect(() => {
    const v: Record<string, string> = {};
    for (const [g, fs] of FIELDS)
      for (const f of fs) v[`${g}.${f}`] = show(own ? read(own, g, f) : undefined);
    setValues(v);
    // `own` follows view and layer: the fields refill when either changes.
  }, [view, layer]);
  const canEdit = !!me && RULE_KEEPERS.includes(me.role);

  /** The layer from the filled-in fields: empty fields are not set (the layer below applies). */
  const layerOf = (): Config => {
    const out: Config = {};
    for (const [g, fs] of FIELDS)
      for (const f of fs) {
        const raw = values[`${g}.${f}`]?.trim();
        if (!raw) continue;
        const v =
          f === 'subtypes'
            ? raw.split(/[,，\s]+/).filter(Boolean)
            : /^-?\d+(\.\d+)?$/.test(raw)
              ? Number(raw)
              : raw;
        if (g === 'scorecard' && WEIGHTS.includes(f)) {
          const scorecard = (out.scorecard ??= {});
          ((scorecard.weights ??= {}) as Record<string, unknown>)[f] = v;
        } else (out[g] ??= {})[f] = v;
      }
    return out;
  };
  const save = async (config: Config) => {
    setMsg(null);
    try {
      const r = await api.put<View>('/api/oversight/config', {
        province,
        year: layer === 'year' ? year : null,
        config,
      });
      setView({ ...r, year });
      setMsg({ ok: true, text: t('saved') });
    } catch (err) {
      setMsg({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    }
  };
  if (!view) return null;
  return (
    <section className="rules-config">
      <div className="filters">
        <label>
          {t('province')}
          <input value={province} readOnly size={3} />
        </label>
        <label>
          {t('year')}
          <input type="number" value={year} onChange={(e) => setYear(Number(e.target.value))} />
        </label>
        <label>
          {t('configFor')}
          <select
            value={layer}
            onChange={(e) => setLayer(e.target.value as 'year' | 'province')}
            data-testid="config-layer"
          >
            <option value="year">{t('layerYear', { year })}</option>
            <option value="province">{t('layerProvince')}</option>
          </select>
        </label>
      </div>
      {!canEdit && <p className="muted">{t('readOnly')}</p>}
      <table className="table" data-testid="rules">
        <thead>
          <tr>
            <th />
            <th>{t('national')}</th>
            <th>{t('inForce')}</th>
            <th>{layer === 'year' ? t('layerYear', { year }) : t('layerProvince')}</th>
          </tr>
        </thead>
        <tbody>
          {FIELDS.map(([g, fs]) => [
            <tr key={g} className="group">
              <th colSpan={4}>{t(`g_${g}` as SanctionsKey)}</th>
            </tr>,
            ...fs.map((f) => (
              <tr key={`${g}.${f}`}>
                <td>{t(`f_${f}` as SanctionsKey)}</td>
                <td>{show(read(view.defaults, g, f))}</td>
                <td>{show(read(view.effective, g, f))}</td>
                <td>
                  <input
                    name={`${g}.${f}`}
                    aria-label={t(`f_${f}` as SanctionsKey)}
                    disabled={!canEdit}
                    value={values[`${g}.${f}`] ?? ''}
                    onChange={(e) => setValues({ ...values, [`${g}.${f}`]: e.target.value })}
                  />
                </td>
              </tr>
            )),
          ])}
        </tbody>
      </table>
      {canEdit && (
        <div className="filters">
          <button type="button" onClick={() => save(layerOf())} data-testid="config-save">
            {t('save')}
          </button>
          <button type="button" onClick={() => save({})}>
            {t('resetLayer')}
          </button>
        </div>
      )}
      {msg && (
        <p
          className={msg.ok ? '' : 'error'}
          role={msg.ok ? 'status' : 'alert'}
          data-testid="config-msg"
        >
          {msg.text}
        </p>
      )}
      <h3>{t('history')}</h3>
      <table className="table" data-testid="config-history">
        <thead>
          <tr>
            <th>{t('at')}</th>
            <th>{t('by')}</th>
            <th>{t('layer')}</th>
            <th>{t('oldValue')}</th>
            <th>{t('newValue')}</th>
          </tr>
        </thead>
        <tbody>
          {view.history.map((h, i) => (
            <tr key={i}>
              <td>{chinaTime(h.at)}</td>
              <td>{h.byName ?? ''}</td>
              <td>{h.year === null ? t('layerProvince') : t('layerYear', { year: h.year })}</td>
              <td>
                <code>{h.old === null ? '—' : JSON.stringify(h.old)}</code>
              </td>
              <td>
                <code>{h.new === null ? '—' : JSON.stringify(h.new)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
