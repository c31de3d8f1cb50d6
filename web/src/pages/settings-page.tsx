import { useEffect, useState } from 'react';
import { api, ApiError, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { inLang } from '../server-words.ts';
import { useDeskText } from './desk-text.ts';

type Rule =
  | { kind: 'within_days'; days: number; calendar: 'natural' | 'working' }
  | { kind: 'within_hours'; hours: number }
  | { kind: 'day_of_next_month'; day: number };
interface Choice {
  code: string;
  label: string;
  labelEn?: string;
}
interface Config {
  deadlines: {
    holidays: string[];
    makeupWorkdays: string[];
    rules: Record<string, Rule>;
    remindDaysBefore: number[];
    escalateDaysAfter: number[];
  };
  majorCase: { permanentBasicFarmlandMu: number; farmlandMu: number; otherAgriculturalMu: number };
  verification: { minPhotos: number };
  determination: {
    illegalSubtypes: Choice[];
    otherReasons: Choice[];
    ruralHousingReasons: Choice[];
  };
  dismissalReasons: Choice[];
}
interface Settings {
  province: string;
  year: number;
  config: Config;
  overridden: string[];
}

const RULE_KINDS = [
  'verify',
  'county_result',
  'review',
  'correction',
  'dispute_ruling',
  'stop',
  'decide',
  'recheck',
  'major_report',
];
const REASON_LISTS = [
  ['determination', 'illegalSubtypes'],
  ['determination', 'otherReasons'],
  ['determination', 'ruralHousingReasons'],
  [null, 'dismissalReasons'],
] as const;

/**
 * 省级设置: the rules a province adjusts — holidays and 调休 days (deadlines in working days
 * skip them), each deadline, reminders and escalation, major-case thresholds, the minimum
 * photos and the reason lists. Everyone may read them; the province administrator changes them,
 * and each save is one step in the hash-chained record.
 */
export function SettingsPage({ user }: { user: User }) {
  const t = useDeskText();
  const { lang } = useI18n();
  const [saved, setSaved] = useState<Settings | null>(null);
  const [cfg, setCfg] = useState<Config | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const editable = user.role === 'admin' && user.jurisdictionLevel === 'province';
  useEffect(() => {
    api.get<Settings>('/api/settings').then((s) => {
      setSaved(s);
      setCfg(structuredClone(s.config));
    });
  }, []);
  if (!cfg || !saved) return <p className="muted">…</p>;
  const set = (f: (c: Config) => void) =>
    setCfg((c) => {
      const n = structuredClone(c!);
      f(n);
      return n;
    });

  const save = async () => {
    setMsg(null);
    // Only the parts that changed: the rest keeps following the national defaults.
    const patch: Record<string, unknown> = {};
    const o = saved.config;
    const d: Record<string, unknown> = {};
    for (const k of [
      'holidays',
      'makeupWorkdays',
      'rules',
      'remindDaysBefore',
      'escalateDaysAfter',
    ] as const)
      if (JSON.stringify(cfg.deadlines[k]) !== JSON.stringify(o.deadlines[k]))
        d[k] = cfg.deadlines[k];
    if (Object.keys(d).length) patch.deadlines = d;
    if (JSON.stringify(cfg.majorCase) !== JSON.stringify(o.majorCase))
      patch.majorCase = cfg.majorCase;
    if (cfg.verification.minPhotos !== o.verification.minPhotos)
      patch.verification = cfg.verification;
    const det: Record<string, unknown> = {};
    for (const k of ['illegalSubtypes', 'otherReasons', 'ruralHousingReasons'] as const)
      if (JSON.stringify(cfg.determination[k]) !== JSON.stringify(o.determination[k]))
        det[k] = cfg.determination[k];
    if (Object.keys(det).length) patch.determination = det;
    if (JSON.stringify(cfg.dismissalReasons) !== JSON.stringify(o.dismissalReasons))
      patch.dismissalReasons = cfg.dismissalReasons;
    if (!Object.keys(patch).length) return;
    try {
      const s = await api.post<Settings>('/api/settings', patch);
      setSaved(s);
      setCfg(structuredClone(s.config));
      setMsg({ ok: true, text: t('saved') });
    } catch (e) {
      setMsg({ ok: false, text: e instanceof ApiError ? inLang(e.message, lang) : String(e) });
    }
  };

  const mark = (part: string) => (
    <small className="muted">
      {saved.overridden.includes(part) ? t('provinceSet') : t('nationalDefault')}
    </small>
  );
  const listOf = (xs: number[]) => xs.join(lang === 'zh' ? '、' : ', ');
  const parseList = (s: string) =>
    s
      .split(/[,，、\s]+/)
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isFinite(n) && n >= 0);

  return (
    <div className="settings-page" data-testid="settings-page">
      {!editable && <p className="muted">{t('readOnly')}</p>}
      <fieldset disabled={!editable}>
        <section className="card">
          <h3>
            {t('holidays')} {mark('deadlines')}
          </h3>
          <p className="muted">{t('holidaysHelp')}</p>
          <DateList
            id="holidays"
            dates={cfg.deadlines.holidays}
            onChange={(xs) => set((c) => (c.deadlines.holidays = xs))}
          />
          <h4>{t('makeupWorkdays')}</h4>
          <DateList
            id="makeup"
            dates={cfg.deadlines.makeupWorkdays}
            onChange={(xs) => set((c) => (c.deadlines.makeupWorkdays = xs))}
          />
        </section>
        <section className="card">
          <h3>{t('deadlines')}</h3>
          <table className="list">
            <tbody>
              {RULE_KINDS.filter((k) => cfg.deadlines.rules[k]).map((k) => {
                const r = cfg.deadlines.rules[k];
                const upd = (nr: Rule) => set((c) => (c.deadlines.rules[k] = nr));
                return (
                  <tr key={k} data-rule={k}>
                    <td>{t(`dl_${k}`)}</td>
                    <td>
                      {r.kind === 'within_days' && (
                        <>
                          <input
                            type="number"
                            min={0}
                            max={365}
                            value={r.days}
                            onChange={(e) => upd({ ...r, days: Number(e.target.value) })}
                            size={4}
                          />{' '}
                          <select
                            value={r.calendar}
                            onChange={(e) =>
                              upd({ ...r, calendar: e.target.value as 'natural' | 'working' })
                            }
                          >
                            <option value="natural">{t('calendar_natural')}</option>
                            <option value="working">{t('calendar_working')}</option>
                          </select>
                        </>
                      )}
                      {r.kind === 'within_hours' && (
                        <label>
                          <input
                            type="number"
                            min={1}
                            max={720}
                            value={r.hours}
                            onChange={(e) => upd({ ...r, hours: Number(e.target.value) })}
                            size={4}
                          />{' '}
                          {t('hours', { n: '' }).trim()}
                        </label>
                      )}
                      {r.kind === 'day_of_next_month' && (
                        <label>
                          {t('nextMonthDay')}{' '}
                          <input
                            type="number"
                            min={1}
                            max={31}
                            value={r.day}
                            onChange={(e) => upd({ ...r, day: Number(e.target.value) })}
                            size={3}
                          />
                        </label>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <label className="row-label">
            {t('remindDaysBefore')}
            <input
              defaultValue={listOf(cfg.deadlines.remindDaysBefore)}
              onBlur={(e) => set((c) => (c.deadlines.remindDaysBefore = parseList(e.target.value)))}
            />
          </label>
          <label className="row-label">
            {t('escalateDaysAfter')}
            <input
              defaultValue={listOf(cfg.deadlines.escalateDaysAfter)}
              onBlur={(e) =>
                set((c) => (c.deadlines.escalateDaysAfter = parseList(e.target.value)))
              }
            />
          </label>
        </section>
        <section className="card">
          <h3>
            {t('thresholds')} {mark('majorCase')}
          </h3>
          {(
            [
              ['permanentBasicFarmlandMu', 'th_pbf'],
              ['farmlandMu', 'th_farmland'],
              ['otherAgriculturalMu', 'th_other'],
            ] as const
          ).map(([k, label]) => (
            <label key={k} className="row-label">
              {t(label)}
              <input
                type="number"
                min={0.01}
                step={0.01}
                value={cfg.majorCase[k]}
                onChange={(e) => set((c) => (c.majorCase[k] = Number(e.target.value)))}
              />
            </label>
          ))}
          <label className="row-label">
            {t('minPhotos')}
            <input
              type="number"
              min={1}
              max={20}
              value={cfg.verification.minPhotos}
              onChange={(e) => set((c) => (c.verification.minPhotos = Number(e.target.value)))}
            />
          </label>
        </section>
        <section className="card">
          <h3>{t('reasons')}</h3>
          {REASON_LISTS.map(([group, key]) => {
            const list: Choice[] = group
              ? cfg.determination[key as 'illegalSubtypes']
              : cfg.dismissalReasons;
            const put = (xs: Choice[]) =>
              set((c) => {
                if (group) c.determination[key as 'illegalSubtypes'] = xs;
                else c.dismissalReasons = xs;
              });
            return (
              <div key={key} className="reason-list" data-reasons={key}>
                <h4>{t(`r_${key}`)}</h4>
                {list.map((r, i) => (
                  <div key={r.code} className="row">
                    <input
                      value={r.label}
                      aria-label={t('reasonLabel')}
                      onChange={(e) =>
                        put(list.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))
                      }
                      size={28}
                    />
                    <input
                      value={r.labelEn ?? ''}
                      aria-label={t('reasonLabelEn')}
                      placeholder={t('reasonLabelEn')}
                      onChange={(e) =>
                        put(
                          list.map((x, j) =>
                            j === i ? { ...x, labelEn: e.target.value || undefined } : x,
                          ),
                        )
                      }
                      size={28}
                    />
                    <button
                      type="button"
                      className="link"
                      onClick={() => put(list.filter((_, j) => j !== i))}
                    >
                      {t('remove')}
                    </button>
                  </div>
                ))}
                <button
                  type="button"
                  className="link"
                  onClick={() => put([...list, { code: nextCode(list), label: '' }])}
                >
                  {t('addReason')}
                </button>
              </div>
            );
          })}
        </section>
        <div className="row">
          <button type="button" onClick={save} data-testid="settings-save">
            {t('save')}
          </button>
          {msg && (
            <span className={msg.ok ? '' : 'error'} data-testid="settings-message">
              {msg.text}
            </span>
          )}
        </div>
      </fieldset>
    </div>
  );
}

/** A stored code for a reason added here: nobody sees it, it only has to be new and lower_snake. */
function nextCode(list: Choice[]): string {
  let n = list.length + 1;
  while (list.some((c) => c.code === `province_${n}`)) n++;
  return `province_${n}`;
}

/** Dates as removable chips and a date picker to add one, kept sorted. */
function DateList({
  id,
  dates,
  onChange,
}: {
  id: string;
  dates: string[];
  onChange: (xs: string[]) => void;
}) {
  const t = useDeskText();
  const { date } = useI18n();
  const [next, setNext] = useState('');
  return (
    <div className="date-list" data-testid={`dates-${id}`}>
      {dates.map((d) => (
        <span key={d} className="chip">
          {date(d)}{' '}
          <button
            type="button"
            className="link"
            aria-label={t('remove')}
            onClick={() => onChange(dates.filter((x) => x !== d))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        type="date"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        data-testid={`date-input-${id}`}
      />
      <button
        type="button"
        disabled={!next}
        onClick={() => {
          if (next && !dates.includes(next)) onChange([...dates, next].sort());
          setNext('');
        }}
        data-testid={`date-add-${id}`}
      >
        {t('addDate')}
      </button>
    </div>
  );
}
