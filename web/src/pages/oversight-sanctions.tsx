import { useEffect, useState } from 'react';
import { api, ApiError, qs } from '../api.ts';
import { linkTo } from '../router.ts';
import { ReplacementPanel, type Duty } from './oversight-replacement.tsx';
import { useSanctionsText, type SanctionsKey } from './sanctions-text.ts';
import { useCountyNames, useMe } from './use-me.ts';

/** Who books a county's quota and runs the sweep (the server's LEDGER_KEEPERS). */
const LEDGER_KEEPERS = ['province_monitor', 'supervisor', 'admin'];

type Entry = {
  id: number;
  countyCode: string;
  seq: number;
  kind: 'opening' | 'addition' | 'deduction';
  changeMu: number;
  balanceMu: number;
  grade: string | null;
  note: string;
  createdAt: string;
};

/** China date of an instant (the record keeps UTC). */
export const chinaDay = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const todayChina = () => chinaDay(new Date().toISOString());

/**
 * 储备补充耕地指标台账: each county's balance; a county opens its ledger — opening balance,
 * additions, the sweep's deductions, the balance after each — and the keepers book an opening
 * balance (imported once) or an addition.
 */
export function Ledgers() {
  const t = useSanctionsText();
  const me = useMe();
  const names = useCountyNames();
  const [balances, setBalances] = useState<Entry[]>([]);
  const [county, setCounty] = useState<string | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api.get<{ items: Entry[] }>('/api/oversight/ledgers').then(
      (r) => setBalances(r.items),
      () => setBalances([]),
    );
  }, [reload]);
  useEffect(() => {
    if (!county) return;
    api.get<{ items: Entry[] }>(`/api/oversight/ledgers/${county}`).then(
      (r) => setEntries(r.items),
      () => setEntries([]),
    );
  }, [county, reload]);
  const name = (c: string) => names[c] ?? c;
  return (
    <section>
      {balances.length === 0 && <p className="muted">{t('noLedger')}</p>}
      <table className="table" data-testid="ledger-balances">
        <thead>
          <tr>
            <th>{t('county')}</th>
            <th>{t('balance')}</th>
            <th>{t('lastEntry')}</th>
          </tr>
        </thead>
        <tbody>
          {balances.map((b) => (
            <tr key={b.countyCode} className={b.balanceMu < 0 ? 'overdue' : ''}>
              <td>
                <a
                  href={`#ledger-${b.countyCode}`}
                  data-county={b.countyCode}
                  onClick={(e) => {
                    e.preventDefault();
                    setCounty(b.countyCode);
                  }}
                >
                  {name(b.countyCode)}
                </a>
              </td>
              <td>{b.balanceMu.toFixed(2)}</td>
              <td>{chinaDay(b.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {county && (
        <>
          <h3>{t('entries', { name: name(county) })}</h3>
          <table className="table" data-testid="ledger-entries">
            <thead>
              <tr>
                <th>{t('seq')}</th>
                <th>{t('at')}</th>
                <th>{t('entryKind')}</th>
                <th>{t('changeMu')}</th>
                <th>{t('balance')}</th>
                <th>{t('grade')}</th>
                <th>{t('note')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{e.seq}</td>
                  <td>{chinaDay(e.createdAt)}</td>
                  <td>{t(`k_${e.kind}`)}</td>
                  <td>{e.changeMu > 0 ? `+${e.changeMu.toFixed(2)}` : e.changeMu.toFixed(2)}</td>
                  <td>{e.balanceMu.toFixed(2)}</td>
                  <td>{e.grade ?? ''}</td>
                  <td>{e.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {me && LEDGER_KEEPERS.includes(me.role) && (
        <BookForm names={names} county={county} onBooked={() => setReload((n) => n + 1)} />
      )}
    </section>
  );
}

function BookForm(props: {
  names: Record<string, string>;
  county: string | null;
  onBooked: () => void;
}) {
  const t = useSanctionsText();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setMsg(null);
    try {
      await api.post(`/api/oversight/ledgers/${f.get('county')}/entries`, {
        kind: f.get('kind'),
        mu: Number(f.get('mu')),
        ...(f.get('grade') ? { grade: f.get('grade') } : {}),
        note: f.get('note') ?? '',
      });
      setMsg({ ok: true, text: t('booked') });
      props.onBooked();
    } catch (err) {
      setMsg({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    }
  };
  return (
    <form className="filters" onSubmit={submit} data-testid="ledger-book">
      <label>
        {t('county')}
        <select name="county" defaultValue={props.county ?? undefined} key={props.county}>
          {Object.entries(props.names).map(([c, n]) => (
            <option key={c} value={c}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('entryKind')}
        <select name="kind">
          <option value="opening">{t('k_opening')}</option>
          <option value="addition">{t('k_addition')}</option>
        </select>
      </label>
      <label>
        {t('mu')}
        <input name="mu" type="number" step="0.01" min="0.01" required />
      </label>
      <label>
        {t('grade')}
        <input name="grade" maxLength={40} />
      </label>
      <label>
        {t('note')}
        <input name="note" maxLength={2000} />
      </label>
      <button type="submit">{t('book')}</button>
      {msg && <span className={msg.ok ? '' : 'error'}>{msg.text}</span>}
    </form>
  );
}

/**
 * The sweep's duties: quota deductions and 补划 with their deadline and status, overdue ones
 * highlighted; an open 补划 opens the registration of replacement parcels.
 */
export function Duties() {
  const t = useSanctionsText();
  const names = useCountyNames();
  const [filter, setFilter] = useState({ year: '', kind: '', status: '' });
  const [items, setItems] = useState<Duty[]>([]);
  const [open, setOpen] = useState<Duty | null>(null);
  const [reload, setReload] = useState(0);
  const query = qs(filter);
  useEffect(() => {
    api.getAll<Duty>(`/api/oversight/duties${query}`).then(
      (all) => setItems(all),
      () => setItems([]),
    );
  }, [query, reload]);
  const today = todayChina();
  const overdue = (d: Duty) => d.status === 'open' && !!d.dueDate && d.dueDate.slice(0, 10) < today;
  return (
    <section>
      <div className="filters">
        <label>
          {t('year')}
          <input
            type="number"
            value={filter.year}
            onChange={(e) => setFilter({ ...filter, year: e.target.value })}
          />
        </label>
        <label>
          {t('dutyKind')}
          <select
            value={filter.kind}
            onChange={(e) => setFilter({ ...filter, kind: e.target.value })}
          >
            <option value="">{t('all')}</option>
            <option value="quota_deduction">{t('d_quota_deduction')}</option>
            <option value="pbf_redesignation">{t('d_pbf_redesignation')}</option>
          </select>
        </label>
        <label>
          {t('status')}
          <select
            value={filter.status}
            onChange={(e) => setFilter({ ...filter, status: e.target.value })}
          >
            <option value="">{t('all')}</option>
            <option value="open">{t('s_open')}</option>
            <option value="done">{t('s_done')}</option>
          </select>
        </label>
      </div>
      <table className="table" data-testid="duties">
        <thead>
          <tr>
            <th>{t('year')}</th>
            <th>{t('dutyKind')}</th>
            <th>{t('code')}</th>
            <th>{t('county')}</th>
            <th>{t('mu')}</th>
            <th>{t('dueDate')}</th>
            <th>{t('status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id} className={overdue(d) ? 'overdue' : ''} data-duty={d.id}>
              <td>{d.year}</td>
              <td>{t(`d_${d.kind}`)}</td>
              <td>
                <a {...linkTo(`/polygons/${d.polygonId}`)}>{d.polygonCode}</a>
              </td>
              <td>{names[d.countyCode] ?? d.countyCode}</td>
              <td>{d.mu.toFixed(2)}</td>
              <td>{d.dueDate ? d.dueDate.slice(0, 10) : '—'}</td>
              <td>{t(overdue(d) ? 's_overdue' : (`s_${d.status}` as SanctionsKey))}</td>
              <td>
                {d.kind === 'pbf_redesignation' && (
                  <button type="button" onClick={() => setOpen(d)} data-testid="open-duty">
                    {d.status === 'open' ? t('register') : t('registered')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && (
        <ReplacementPanel
          key={open.id}
          duty={open}
          onDone={() => setReload((n) => n + 1)}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}

type Sweep = {
  id: number;
  scopePrefix: string;
  year: number;
  jobId: string | null;
  runAt: string;
  casesSwept: number;
  dutiesRaised: number;
};

/** 年终清查: the runs in my scope; the keepers run it for a year (the server refuses a year not ended). */
export function Sweeps() {
  const t = useSanctionsText();
  const me = useMe();
  const [items, setItems] = useState<Sweep[]>([]);
  const [year, setYear] = useState(new Date().getFullYear() - 1);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api.get<{ items: Sweep[] }>('/api/oversight/sweeps').then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
  }, [reload]);
  const run = async () => {
    setMsg(null);
    try {
      const job = await api.post<{ id: string }>('/api/oversight/year-end', { year });
      setMsg({ ok: true, text: t('sweepSubmitted', { id: job.id }) });
      // The sweep runs as a job: follow it to its end, then say what it did or why it was
      // refused (a year not yet ended is refused inside the job).
      for (let i = 0; i < 120; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        const j = await api.get<{
          status: string;
          result: { dutiesRaised?: number; casesSwept?: number } | null;
          error: { message: string } | null;
        }>(`/api/jobs/${job.id}`);
        if (j.status === 'succeeded') {
          setMsg({
            ok: true,
            text: t('sweepDone', {
              cases: j.result?.casesSwept ?? 0,
              duties: j.result?.dutiesRaised ?? 0,
            }),
          });
          break;
        }
        if (j.status === 'failed') {
          setMsg({ ok: false, text: j.error?.message ?? j.status });
          break;
        }
      }
      setReload((n) => n + 1);
    } catch (err) {
      setMsg({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    }
  };
  return (
    <section>
      <p className="muted">{t('sweepHint')}</p>
      {me && LEDGER_KEEPERS.includes(me.role) && (
        <div className="filters">
          <label>
            {t('year')}
            <input type="number" value={year} onChange={(e) => setYear(Number(e.target.value))} />
          </label>
          <button type="button" onClick={run} data-testid="run-sweep">
            {t('runSweep')}
          </button>
          {msg && (
            <span className={msg.ok ? '' : 'error'} role={msg.ok ? undefined : 'alert'}>
              {msg.text}
            </span>
          )}
        </div>
      )}
      <table className="table" data-testid="sweeps">
        <thead>
          <tr>
            <th>{t('year')}</th>
            <th>{t('runAt')}</th>
            <th>{t('scope')}</th>
            <th>{t('casesSwept')}</th>
            <th>{t('dutiesRaised')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id}>
              <td>{s.year}</td>
              <td>{chinaDay(s.runAt)}</td>
              <td>{s.scopePrefix || '—'}</td>
              <td>{s.casesSwept}</td>
              <td>{s.dutiesRaised}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
