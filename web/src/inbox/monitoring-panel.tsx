import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useInboxText } from './inbox-text.ts';

interface Run {
  id: number;
  jurisdictionCode: string;
  sensor: string;
  period: string;
  stage: string;
  jobId: string | null;
  attempts: number;
  error: string | null;
  stages: Record<string, { stored?: number; pushed?: number }>;
}
interface IntakeFile {
  id: number;
  name: string;
  status: string;
  reason: string | null;
  acquiredOn: string | null;
  sensor: string | null;
}
interface Job {
  id: string;
  progress: number;
  message: string | null;
  status: string;
}

/** The monitoring loop as it ran: scheduled runs with their stage and job progress, and the intake log. */
export function MonitoringPanel() {
  const t = useInboxText();
  const [runs, setRuns] = useState<Run[]>([]);
  const [jobs, setJobs] = useState<Record<string, Job>>({});
  const [files, setFiles] = useState<IntakeFile[]>([]);
  useEffect(() => {
    let alive = true;
    const load = async () => {
      const [r, f, j] = await Promise.all([
        api.get<{ items: Run[] }>('/api/monitoring/runs?limit=20').catch(() => ({ items: [] })),
        api
          .get<{ items: IntakeFile[] }>('/api/monitoring/intake?limit=20')
          .catch(() => ({ items: [] })),
        api.get<{ items: Job[] }>('/api/jobs').catch(() => ({ items: [] })),
      ]);
      if (!alive) return;
      setRuns(r.items);
      setFiles(f.items);
      setJobs(Object.fromEntries(j.items.map((x) => [x.id, x])));
    };
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);
  return (
    <section className="monitoring-panel" data-testid="monitoring-panel">
      <h3>{t('monitoring')}</h3>
      <h4>{t('runs')}</h4>
      <table className="table">
        <thead>
          <tr>
            <th>{t('period')}</th>
            <th>{t('sensor')}</th>
            <th>{t('unit')}</th>
            <th>{t('stage')}</th>
            <th>{t('progress')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const job = r.jobId ? jobs[r.jobId] : undefined;
            return (
              <tr key={r.id} data-testid="monitoring-run">
                <td>{r.period}</td>
                <td>{r.sensor}</td>
                <td>{r.jurisdictionCode}</td>
                <td title={r.error ?? ''}>
                  {t(`stage_${r.stage}`)}
                  {r.stages.detect?.stored !== undefined ? ` · ${r.stages.detect.stored}` : ''}
                </td>
                <td>{job ? `${Math.round(job.progress * 100)}% ${job.message ?? ''}` : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h4>{t('intake')}</h4>
      <table className="table">
        <thead>
          <tr>
            <th>{t('file')}</th>
            <th>{t('date')}</th>
            <th>{t('sensor')}</th>
            <th>{t('status')}</th>
            <th>{t('reason')}</th>
          </tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={f.id}>
              <td>{f.name}</td>
              <td>{f.acquiredOn ?? ''}</td>
              <td>{f.sensor ?? ''}</td>
              <td>{t(`status_${f.status}`)}</td>
              <td>{f.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
