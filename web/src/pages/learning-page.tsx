import { useEffect, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { useI18n } from '../i18n.ts';

interface Score {
  f1: number;
  precision: number;
  recall: number;
  pixels: number;
}
interface Version {
  id: number;
  sensor: string;
  verdicts: number;
  verdictsChange: number;
  verdictsNoChange: number;
  heldOut: number;
  scenes: { before: number; after: number; names: string[]; verdicts: number }[];
  scoreBefore: Score;
  scoreAfter: Score;
  adopted: boolean;
  createdAt: string;
  createdByName: string | null;
  rolledBackAt: string | null;
  rolledBackByName: string | null;
  active?: boolean;
  current?: boolean;
}
interface History {
  enabled: boolean;
  versions: Version[];
}
interface Job {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  message: string | null;
  error: { code: string; message: string } | null;
}

/** Who manages the detection model (the server's LEARNING_ROLES). */
export const LEARNING_ROLES = ['province_monitor', 'admin'];

/**
 * 模型学习: run a learning from the verdicts on detected 图斑 (the `detection.learn` job), see
 * every version with when, by whom, how many verdicts, its held-out score before and after,
 * which is in force; roll one back; switch the use of learned models in detection on or off.
 */
export function LearningPage() {
  const { t, dateTime, num } = useI18n();
  const [history, setHistory] = useState<History | null>(null);
  const [sensor, setSensor] = useState<'s2' | 'rgb'>('s2');
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    api
      .get<History>('/api/detection-models')
      .then(setHistory, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [tick]);
  // Poll the learning job until it ends, then read the history again.
  useEffect(() => {
    if (!job || job.status === 'succeeded' || job.status === 'failed') return;
    const h = setTimeout(async () => {
      const j = await api.get<Job>(`/api/jobs/${job.id}`).catch(() => job);
      setJob(j);
      if (j.status === 'succeeded' || j.status === 'failed') setTick((n) => n + 1);
    }, 1500);
    return () => clearTimeout(h);
  }, [job]);
  const run = async () => {
    setError(null);
    try {
      const j = await api.post<Job>('/api/jobs', { type: 'detection.learn', payload: { sensor } });
      setJob({ ...j, status: j.status ?? 'queued' });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const rollBack = async (id: number) => {
    if (!window.confirm(t('learnConfirmRollBack'))) return;
    setError(null);
    try {
      await api.post(`/api/detection-models/${id}/roll-back`);
      setTick((n) => n + 1);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const toggle = async (enabled: boolean) => {
    setError(null);
    try {
      await api.put('/api/detection-models/use', { enabled });
      setTick((n) => n + 1);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const busy = job !== null && (job.status === 'queued' || job.status === 'running');
  const pct = (s: Score) => `${num(s.f1 * 100, 1)}%`;
  const stateOf = (v: Version) =>
    v.rolledBackAt
      ? t('learnRolledBack')
      : !v.adopted
        ? t('learnRejected')
        : v.current === false
          ? t('learnOutdated')
          : v.active
            ? t('learnActive')
            : t('learnAdopted');
  return (
    <div className="page" data-testid="learning-page">
      <h2>{t('learnTitle')}</h2>
      <p>{t('learnIntro')}</p>
      <div className="toolbar">
        <label>
          {t('learnSensor')}{' '}
          <select value={sensor} onChange={(e) => setSensor(e.target.value as 's2' | 'rgb')}>
            <option value="s2">{t('sensor_s2')}</option>
            <option value="rgb">{t('sensor_rgb')}</option>
          </select>
        </label>{' '}
        <button onClick={run} disabled={busy} data-testid="learn-run">
          {busy ? t('learnRunning') : t('learnRun')}
        </button>{' '}
        {history && (
          <label>
            <input
              type="checkbox"
              checked={history.enabled}
              onChange={(e) => void toggle(e.target.checked)}
              data-testid="learn-use"
            />{' '}
            {t('learnUse')}
          </label>
        )}
      </div>
      {job?.status === 'succeeded' && <p data-testid="learn-done">{t('learnDone')}</p>}
      {job?.status === 'failed' && (
        <p className="error" role="alert">
          {job.error?.message ?? job.message}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <h3>{t('learnHistory')}</h3>
      {history && history.versions.length === 0 && <p>{t('learnNone')}</p>}
      {history && history.versions.length > 0 && (
        <table className="table" data-testid="learn-history">
          <thead>
            <tr>
              <th>{t('learnVersion')}</th>
              <th>{t('learnSensor')}</th>
              <th>{t('learnWhen')}</th>
              <th>{t('learnBy')}</th>
              <th>{t('learnVerdicts')}</th>
              <th>{t('learnHeldOut')}</th>
              <th>{t('learnScore')}</th>
              <th>{t('learnScenes')}</th>
              <th>{t('learnState')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {history.versions.map((v) => (
              <tr key={v.id} data-version={v.id}>
                <td>v{v.id}</td>
                <td>{t(`sensor_${v.sensor}`)}</td>
                <td>{dateTime(v.createdAt)}</td>
                <td>{v.createdByName ?? '—'}</td>
                <td>
                  {num(v.verdicts)} ({num(v.verdictsChange)} / {num(v.verdictsNoChange)})
                </td>
                <td>{num(v.heldOut)}</td>
                <td>
                  {pct(v.scoreBefore)} → {pct(v.scoreAfter)}
                </td>
                <td>{v.scenes.map((s) => s.names.join(' → ')).join('；')}</td>
                <td>{stateOf(v)}</td>
                <td>
                  {!v.rolledBackAt && v.adopted && (
                    <button onClick={() => void rollBack(v.id)}>{t('learnRollBack')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
