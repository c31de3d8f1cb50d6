import { useEffect, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { PAGE_SIZE, Pager } from '../pager.tsx';
import { useDeskText } from './desk-text.ts';

interface Job {
  id: string;
  type: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  message: string | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  finishedAt: string | null;
}

const KNOWN = [
  'detection.run',
  'analysis.period',
  'oversight.year-end',
  'polygons.recompute-areas',
  'system.probe',
];

/**
 * 作业记录: the jobs of my scope with their progress, refreshed while any runs; a failed one
 * can be run again. The worker's own message is shown only for failures, where it is the only
 * account of what went wrong.
 */
export function JobsPage() {
  const t = useDeskText();
  const { dateTime, num } = useI18n();
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [page, setPage] = useState(0);
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<{ items: Job[] }>('/api/jobs').then(
      (r) => setJobs(r.items),
      () => setJobs([]),
    );
  }, [tick]);
  useEffect(() => {
    if (!jobs?.some((j) => j.status === 'running' || j.status === 'queued')) return;
    const h = setTimeout(() => setTick((n) => n + 1), 3000);
    return () => clearTimeout(h);
  }, [jobs]);
  const retry = async (id: string) => {
    setError(null);
    try {
      await api.post(`/api/jobs/${id}/retry`);
      setTick((n) => n + 1);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const shown = jobs?.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE) ?? [];
  return (
    <div data-testid="jobs-page">
      <div className="filters">
        <button onClick={() => setTick((n) => n + 1)}>{t('refresh')}</button>
        {error && <span className="error">{error}</span>}
      </div>
      {jobs && jobs.length === 0 && <p className="muted">{t('none')}</p>}
      {jobs && jobs.length > 0 && (
        <>
          <table className="list">
            <thead>
              <tr>
                <th>{t('createdAt')}</th>
                <th>{t('jobType')}</th>
                <th>{t('jobStatus')}</th>
                <th>{t('progress')}</th>
                <th>{t('finishedAt')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {shown.map((j) => (
                <tr key={j.id} data-job={j.status}>
                  <td>{dateTime(j.createdAt)}</td>
                  <td>{t(KNOWN.includes(j.type) ? `job_${j.type}` : 'job_other')}</td>
                  <td>
                    <span className={`status js-${j.status}`}>{t(`js_${j.status}`)}</span>
                  </td>
                  <td>
                    <progress max={1} value={j.status === 'succeeded' ? 1 : j.progress} />{' '}
                    {num(Math.round((j.status === 'succeeded' ? 1 : j.progress) * 100))}%
                  </td>
                  <td>{j.finishedAt ? dateTime(j.finishedAt) : ''}</td>
                  <td>
                    {j.status === 'failed' && (
                      <>
                        <span className="error" title={j.error?.message ?? ''}>
                          {t('js_failed')}
                        </span>{' '}
                        <button className="link" onClick={() => retry(j.id)}>
                          {t('retry')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={jobs.length} page={page} onPage={setPage} />
        </>
      )}
    </div>
  );
}
