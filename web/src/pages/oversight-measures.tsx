import { useEffect, useRef, useState } from 'react';
import { api, ApiError, qs } from '../api.ts';
import { useSanctionsText, type SanctionsKey } from './sanctions-text.ts';
import { useMe } from './use-me.ts';

const KINDS = ['summons', 'criticism', 'referral', 'reward', 'penalty'] as const;
const BASES = ['illegal_ratio', 'weak_enforcement', 'scorecard', 'case', 'other'] as const;
/** Who records measures (the server's MEASURE_MAKERS). */
const MAKERS = ['supervisor', 'province_monitor', 'city_reviewer', 'county_officer'];

type Suggestion = {
  unitCode: string;
  unitName: string | null;
  year: number;
  kind: (typeof KINDS)[number];
  basis: (typeof BASES)[number];
  reason: string;
  recorded: boolean;
};
type Draft = Partial<Pick<Suggestion, 'unitCode' | 'year' | 'kind' | 'basis' | 'reason'>>;

/**
 * 问责措施: the measures the year's figures suggest (computed by the server, recorded only by a
 * person: "record it" fills the form), and the form for 约谈, 通报批评, 移交纪检监察机关,
 * rewards and penalties with their document. The registers list what was recorded.
 */
export function Measures() {
  const t = useSanctionsText();
  const me = useMe();
  const [year, setYear] = useState(new Date().getFullYear() - 1);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [draft, setDraft] = useState<Draft>({});
  const [reload, setReload] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    api.get<{ items: Suggestion[] }>(`/api/oversight/suggestions${qs({ year })}`).then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
  }, [year, reload]);
  const pick = (s: Suggestion) => {
    setDraft({
      unitCode: s.unitCode,
      year: s.year,
      kind: s.kind,
      basis: s.basis,
      reason: s.reason,
    });
    form.current?.scrollIntoView({ block: 'start' });
  };
  return (
    <section>
      <div className="filters">
        <label>
          {t('year')}
          <input type="number" value={year} onChange={(e) => setYear(Number(e.target.value))} />
        </label>
      </div>
      <h3>{t('suggestions', { year })}</h3>
      {items.length === 0 && <p className="muted">{t('noSuggestions')}</p>}
      <table className="table" data-testid="suggestions">
        <thead>
          <tr>
            <th>{t('county')}</th>
            <th>{t('measureKind')}</th>
            <th>{t('basis')}</th>
            <th>{t('reason')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={`${s.unitCode}-${s.kind}-${s.basis}`}>
              <td>{s.unitName ?? s.unitCode}</td>
              <td>{t(`m_${s.kind}`)}</td>
              <td>{t(`b_${s.basis}`)}</td>
              <td>{s.reason}</td>
              <td>
                {s.recorded ? (
                  t('recorded')
                ) : me && MAKERS.includes(me.role) ? (
                  <button type="button" onClick={() => pick(s)} data-testid="record-suggestion">
                    {t('recordThis')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {me && MAKERS.includes(me.role) && (
        <MeasureForm
          formRef={form}
          draft={draft}
          year={year}
          key={JSON.stringify(draft)}
          onRecorded={() => setReload((n) => n + 1)}
        />
      )}
    </section>
  );
}

function MeasureForm(props: {
  formRef: React.RefObject<HTMLFormElement | null>;
  draft: Draft;
  year: number;
  onRecorded: () => void;
}) {
  const t = useSanctionsText();
  const d = props.draft;
  const [msg, setMsg] = useState<{ ok: boolean; text: string; field?: string } | null>(null);
  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    setMsg(null);
    try {
      const r = await api.post<{ id: number; kind: string }>('/api/oversight/measures', {
        kind: text('kind'),
        unitCode: text('unitCode'),
        ...(text('personName') ? { personName: text('personName') } : {}),
        ...(text('personPosition') ? { personPosition: text('personPosition') } : {}),
        year: Number(text('year')),
        basis: text('basis'),
        docNo: text('docNo'),
        issuedOn: text('issuedOn'),
        issuingBody: text('issuingBody'),
        reason: text('reason'),
        note: text('note'),
      });
      setMsg({
        ok: true,
        text: t('measureDone', { kind: t(`m_${r.kind}` as SanctionsKey), id: r.id }),
      });
      props.onRecorded();
    } catch (err) {
      setMsg(
        err instanceof ApiError
          ? { ok: false, text: err.message, field: err.field }
          : { ok: false, text: String(err) },
      );
    }
  };
  return (
    <form
      ref={props.formRef}
      className="lead-form measure-form"
      onSubmit={submit}
      data-testid="measure-form"
    >
      <h3>{t('measureForm')}</h3>
      <label>
        {t('measureKind')}
        <select name="kind" defaultValue={d.kind ?? 'summons'}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`m_${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('unitCode')}
        <input name="unitCode" required pattern="\d{6,12}" defaultValue={d.unitCode ?? ''} />
      </label>
      <label>
        {t('personName')}
        <input name="personName" maxLength={100} />
      </label>
      <label>
        {t('personPosition')}
        <input name="personPosition" maxLength={100} />
      </label>
      <label>
        {t('year')}
        <input name="year" type="number" required defaultValue={d.year ?? props.year} />
      </label>
      <label>
        {t('basis')}
        <select name="basis" defaultValue={d.basis ?? 'illegal_ratio'}>
          {BASES.map((b) => (
            <option key={b} value={b}>
              {t(`b_${b}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('docNo')}
        <input name="docNo" required maxLength={2000} />
      </label>
      <label>
        {t('issuedOn')}
        <input name="issuedOn" type="date" required />
      </label>
      <label>
        {t('issuingBody')}
        <input name="issuingBody" required maxLength={2000} />
      </label>
      <label>
        {t('reason')}
        <textarea name="reason" rows={2} required maxLength={2000} defaultValue={d.reason ?? ''} />
      </label>
      <label>
        {t('note')}
        <textarea name="note" rows={2} maxLength={4000} />
      </label>
      <button type="submit" data-testid="measure-submit">
        {t('submitMeasure')}
      </button>
      {msg && (
        <p
          className={msg.ok ? '' : 'error'}
          role={msg.ok ? 'status' : 'alert'}
          data-testid="measure-msg"
        >
          {msg.text}
        </p>
      )}
    </form>
  );
}
