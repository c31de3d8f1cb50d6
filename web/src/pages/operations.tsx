import { useState } from 'react';
import { api, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { linkTo } from '../router.ts';

interface Job {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  message: string | null;
  result: Record<string, unknown> | null;
  error: { message: string } | null;
}

const OPERATORS = ['province_monitor', 'city_reviewer', 'supervisor', 'admin'];

/**
 * Office operations that are not a step of one 图斑: 套合 of a whole period (a job, its
 * progress polled) and a reproducible spot check of a period's verdicts.
 */
export function Operations({ user, period }: { user: User; period: string }) {
  const { t, num } = useI18n();
  const [p, setP] = useState(period);
  const [job, setJob] = useState<Job | null>(null);
  const [rate, setRate] = useState('0.1');
  const [sample, setSample] = useState<{ seed: string; ids: string[] } | null>(null);
  const [error, setError] = useState('');
  if (!OPERATORS.includes(user.role)) return null;

  const runOverlay = async () => {
    setError('');
    try {
      let j = await api.post<Job>('/api/jobs', { type: 'analysis.period', payload: { period: p } });
      setJob(j);
      while (j.status === 'queued' || j.status === 'running') {
        await new Promise((r) => setTimeout(r, 1000));
        j = await api.get<Job>(`/api/jobs/${j.id}`);
        setJob(j);
      }
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const drawSample = async () => {
    setError('');
    try {
      const r = await api.post<{ sample: { seed: string; ids: string[] } }>('/api/spot-checks', {
        period: p,
        rate: Number(rate),
        minPerStratum: 1,
      });
      setSample(r.sample);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="card" data-testid="operations">
      <h3>{t('operations')}</h3>
      <label>
        {t('period')}{' '}
        <input name="op-period" value={p} onChange={(e) => setP(e.target.value)} size={8} />
      </label>
      <p>
        <button
          data-testid="run-overlay"
          onClick={runOverlay}
          disabled={job?.status === 'queued' || job?.status === 'running'}
        >
          {t('runOverlay')}
        </button>{' '}
        {job && (
          <span data-testid="overlay-job" data-status={job.status}>
            {t(`job_${job.status}`)} {num(job.progress * 100)}%
            {job.result &&
              ` · ${t('analysed')} ${num(Number(job.result.analysed ?? 0))} / ${num(Number(job.result.polygons ?? 0))}`}
            {job.error && ` · ${job.error.message}`}
          </span>
        )}
      </p>
      <p>
        <label>
          {t('sampleRate')}{' '}
          <input name="op-rate" value={rate} onChange={(e) => setRate(e.target.value)} size={4} />
        </label>{' '}
        <button data-testid="draw-sample" onClick={drawSample}>
          {t('drawSpotCheck')}
        </button>
      </p>
      {sample && (
        <div data-testid="spot-check">
          <p className="muted">
            {t('seed')}: <code>{sample.seed}</code> · {num(sample.ids.length)} {t('items')}
          </p>
          <ul>
            {sample.ids.map((id) => (
              <li key={id}>
                <a {...linkTo(`/polygons/${id}`)}>#{id}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
