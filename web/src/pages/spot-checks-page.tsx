import { useEffect, useState } from 'react';
import { api, ApiError, qs, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { PAGE_SIZE, Pager } from '../pager.tsx';
import { PlaceName } from '../place-name.tsx';
import { linkTo } from '../router.ts';
import { useDeskText } from './desk-text.ts';

interface SpotCheck {
  id: number;
  jurisdictionCode: string;
  period: string;
  rate: number;
  population: number;
  size: number;
  createdAt: string;
  createdBy: string | null;
}
interface Outcome {
  id: number;
  code: string;
  jurisdictionCode: string;
  status: string;
  verdict: string | null;
  finding: 'upheld' | 'overturned' | null;
  note: string | null;
}

/** Who draws spot checks (the server's POST /api/spot-checks). */
const DRAW_ROLES = ['supervisor', 'city_reviewer', 'province_monitor', 'admin'];

/**
 * 抽查结果: the stratified samples drawn of a period's verdicts, and what became of each drawn
 * 图斑 — verdict upheld, overturned, or still to check (the finding itself is taken on the
 * 图斑's page, 抽查维持 / 抽查纠错).
 */
export function SpotChecksPage({ user }: { user: User }) {
  const t = useDeskText();
  const { t: tt, dateTime, num } = useI18n();
  const [page, setPage] = useState(0);
  const [data, setData] = useState<{ total: number; items: SpotCheck[] } | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const [reload, setReload] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<{ total: number; items: SpotCheck[] }>(
        `/api/spot-checks${qs({ limit: PAGE_SIZE, offset: page * PAGE_SIZE })}`,
      )
      .then(setData, () => setData({ total: 0, items: [] }));
  }, [page, reload]);
  useEffect(() => {
    setOutcomes(null);
    if (open)
      api.get<{ items: Outcome[] }>(`/api/spot-checks/${open}/outcomes`).then(
        (r) => setOutcomes(r.items),
        () => setOutcomes([]),
      );
  }, [open]);

  const drawNew = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    const f = new FormData(e.currentTarget);
    try {
      const r = await api.post<{ id: number }>('/api/spot-checks', {
        period: f.get('period'),
        rate: Number(f.get('rate')) / 100,
        minPerStratum: Number(f.get('min')),
      });
      setReload((n) => n + 1);
      setOpen(r.id);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const count = (f: Outcome['finding']) => outcomes?.filter((o) => o.finding === f).length ?? 0;

  return (
    <div data-testid="spot-checks-page">
      {DRAW_ROLES.includes(user.role) && (
        <form className="filters" onSubmit={drawNew} data-testid="spot-check-form">
          <label>
            {t('period')}
            <input name="period" required pattern="\d{4}-\d{2}" defaultValue="2026-11" size={8} />
          </label>
          <label>
            {t('rate')} (%)
            <input name="rate" type="number" min="1" max="100" defaultValue="5" size={4} />
          </label>
          <label>
            {t('minPerStratum')}
            <input name="min" type="number" min="0" max="20" defaultValue="1" size={3} />
          </label>
          <button type="submit" data-testid="spot-check-draw">
            {t('drawSpotCheck')}
          </button>
          {error && <span className="error">{error}</span>}
        </form>
      )}
      {data && data.total === 0 && <p className="muted">{t('none')}</p>}
      {data && data.total > 0 && (
        <>
          <table className="list">
            <thead>
              <tr>
                <th>{t('drawnAt')}</th>
                <th>{t('period')}</th>
                <th>{t('region')}</th>
                <th className="num">{t('rate')}</th>
                <th className="num">{t('population')}</th>
                <th className="num">{t('sampleSize')}</th>
                <th>{t('drawnBy')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.items.map((s) => (
                <tr key={s.id} className={open === s.id ? 'selected' : ''}>
                  <td>{dateTime(s.createdAt)}</td>
                  <td>{s.period}</td>
                  <td>
                    <PlaceName code={s.jurisdictionCode} />
                  </td>
                  <td className="num">{num(s.rate * 100, 1)}%</td>
                  <td className="num">{num(s.population)}</td>
                  <td className="num">{num(s.size)}</td>
                  <td>{s.createdBy ?? ''}</td>
                  <td>
                    <button
                      className="link"
                      onClick={() => setOpen(s.id)}
                      data-testid={`spot-check-${s.id}`}
                    >
                      {t('outcomes')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={data.total} page={page} onPage={setPage} />
        </>
      )}
      {open && outcomes && (
        <section className="card" data-testid="spot-check-outcomes">
          <h3>
            {t('outcomes')} ·{' '}
            {t('upheldCount', { a: count('upheld'), b: count('overturned'), c: count(null) })}
          </h3>
          <table className="list">
            <thead>
              <tr>
                <th>{t('code')}</th>
                <th>{t('region')}</th>
                <th>{t('status')}</th>
                <th>{t('verdict')}</th>
                <th>{t('finding')}</th>
              </tr>
            </thead>
            <tbody>
              {outcomes.map((o) => (
                <tr key={o.id}>
                  <td>
                    <a {...linkTo(`/polygons/${o.id}`)}>{o.code}</a>
                  </td>
                  <td>
                    <PlaceName code={o.jurisdictionCode} />
                  </td>
                  <td>
                    <span className={`status st-${o.status}`}>{tt(`st_${o.status}`)}</span>
                  </td>
                  <td>{tt(`verdict_${o.verdict ?? 'none'}`)}</td>
                  <td>{t(`f_${o.finding ?? 'pending'}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
