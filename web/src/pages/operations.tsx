import { useEffect, useState } from 'react';
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

/** A stored scene as /api/imagery lists it. */
interface Scene {
  id: number;
  name: string;
  acquiredOn: string | null;
  role: string | null;
}

/** Sensor profiles of `gengbao detect` (src/detect/profiles.ts). */
const SENSORS = ['s2', 'landsat', 'landsat-oli', 'gf', 'rgb'];

/** Submit a job and follow it until it ends, showing each state through `show`. */
async function runJob(
  type: string,
  payload: Record<string, unknown>,
  show: (j: Job) => void,
): Promise<void> {
  let j = await api.post<Job>('/api/jobs', { type, payload });
  show(j);
  while (j.status === 'queued' || j.status === 'running') {
    await new Promise((r) => setTimeout(r, 1000));
    j = await api.get<Job>(`/api/jobs/${j.id}`);
    show(j);
  }
}

const busy = (j: Job | null): boolean => j?.status === 'queued' || j?.status === 'running';

/** A job's state and progress, what its result says (`summary`) and its error. */
function JobStatus({
  testId,
  job,
  summary,
}: {
  testId: string;
  job: Job;
  summary: (result: Record<string, unknown>) => string;
}) {
  const { t, num } = useI18n();
  return (
    <span data-testid={testId} data-status={job.status}>
      {t(`job_${job.status}`)} {num(job.progress * 100)}%{job.result && ` · ${summary(job.result)}`}
      {job.error && ` · ${job.error.message}`}
    </span>
  );
}

/** What the detector said of the pair it ran on: grids aligned, imagery averaged, radiometry read. */
const DETECTION_NOTES = ['alignment', 'resolution', 'radiometry'] as const;

const DOMAIN_KEYS = {
  'in-domain': 'domain_in',
  borderline: 'domain_borderline',
  'out-of-domain': 'domain_out',
  unknown: 'domain_unknown',
} as const;

/** Which method decided the run's pixels, and how like its training data the imagery is. */
function decisionLine(
  result: Record<string, unknown>,
  t: (k: string) => string,
  lang: string,
): string | null {
  if (result.classifier !== 'learned' && result.classifier !== 'rules') return null;
  const method = t(result.classifier === 'learned' ? 'classifierLearned' : 'classifierRules');
  const verdict = (result.domain as { verdict?: string } | undefined)?.verdict;
  const key = verdict ? DOMAIN_KEYS[verdict as keyof typeof DOMAIN_KEYS] : undefined;
  if (!key) return method;
  return lang === 'zh' ? `${method}（${t(key)}）` : `${method} (${t(key)})`;
}

function DetectionNotes({ result }: { result: Record<string, unknown> }) {
  const { t, lang } = useI18n();
  const notes = DETECTION_NOTES.filter((k) => typeof result[k] === 'string');
  const decision = decisionLine(result, t, lang);
  if (notes.length === 0 && !decision) return null;
  return (
    <ul data-testid="detection-notes" className="muted">
      {decision && (
        <li data-note="classifier">
          {t('classifier')}: {decision}
        </li>
      )}
      {notes.map((k) => (
        <li key={k} data-note={k}>
          {t(`note_${k}`)}: {String(result[k])}
        </li>
      ))}
    </ul>
  );
}

/**
 * Office operations that are not a step of one 图斑: change detection on two stored scenes
 * (a job storing its 图斑 in the period), 套合 of a whole period (a job, its progress polled)
 * and a reproducible spot check of a period's verdicts.
 */
export function Operations({ user, period }: { user: User; period: string }) {
  const { t, num } = useI18n();
  const [p, setP] = useState(period);
  const [job, setJob] = useState<Job | null>(null);
  const [rate, setRate] = useState('0.1');
  const [sample, setSample] = useState<{ seed: string; ids: string[] } | null>(null);
  const [error, setError] = useState('');
  const [scenes, setScenes] = useState<Scene[]>([]);
  const [pair, setPair] = useState({ before: '', after: '' });
  const [sensor, setSensor] = useState('s2');
  const [classifier, setClassifier] = useState('');
  const [detection, setDetection] = useState<Job | null>(null);
  const operator = OPERATORS.includes(user.role);
  useEffect(() => {
    if (!operator) return;
    api
      .getAll<Scene>('/api/imagery')
      .then((items) => {
        // Oldest first; the demo's scenes say which date they are.
        const byDate = [...items].sort((a, b) =>
          (a.acquiredOn ?? '').localeCompare(b.acquiredOn ?? ''),
        );
        setScenes(byDate);
        const before = byDate.find((s) => s.role === 'before') ?? byDate[0];
        const after = byDate.find((s) => s.role === 'after') ?? byDate[byDate.length - 1];
        setPair({ before: String(before?.id ?? ''), after: String(after?.id ?? '') });
      })
      .catch((e: Error) => setError(e.message));
  }, [operator]);
  if (!operator) return null;

  const run = (type: string, payload: Record<string, unknown>, show: (j: Job) => void) => {
    setError('');
    runJob(type, payload, show).catch((e: Error) => setError(e.message));
  };
  const runOverlay = () => run('analysis.period', { period: p }, setJob);
  const runDetection = () =>
    run(
      'detection.run',
      {
        period: p,
        beforeImagery: Number(pair.before),
        afterImagery: Number(pair.after),
        sensor,
        ...(classifier ? { classifier } : {}),
      },
      setDetection,
    );
  const sceneSelect = (date: 'before' | 'after') => (
    <label>
      {t(`${date}Imagery`)}{' '}
      <select
        name={`det-${date}`}
        value={pair[date]}
        onChange={(e) => setPair({ ...pair, [date]: e.target.value })}
      >
        {scenes.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
            {s.acquiredOn ? ` (${s.acquiredOn})` : ''}
          </option>
        ))}
      </select>
    </label>
  );

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
      {scenes.length >= 2 && (
        <fieldset data-testid="detection">
          <legend>{t('detection')}</legend>
          {sceneSelect('before')} {sceneSelect('after')}{' '}
          <label>
            {t('sensor')}{' '}
            <select name="det-sensor" value={sensor} onChange={(e) => setSensor(e.target.value)}>
              {SENSORS.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            {t('classifier')}{' '}
            <select
              name="det-classifier"
              value={classifier}
              onChange={(e) => setClassifier(e.target.value)}
            >
              <option value="">{t('classifierDefault')}</option>
              <option value="rules">{t('classifierRules')}</option>
              <option value="learned">{t('classifierLearned')}</option>
              <option value="auto">{t('classifierAuto')}</option>
            </select>
          </label>{' '}
          <button
            data-testid="run-detection"
            onClick={runDetection}
            disabled={busy(detection) || pair.before === pair.after}
          >
            {t('runDetection')}
          </button>{' '}
          {detection && (
            <JobStatus
              testId="detection-job"
              job={detection}
              summary={(r) =>
                `${t('detected')} ${num(Number(r.detected ?? 0))}, ${t('stored')} ${num(Number(r.stored ?? 0))}`
              }
            />
          )}
          {detection?.result && <DetectionNotes result={detection.result} />}
        </fieldset>
      )}
      <p>
        <button data-testid="run-overlay" onClick={runOverlay} disabled={busy(job)}>
          {t('runOverlay')}
        </button>{' '}
        {job && (
          <JobStatus
            testId="overlay-job"
            job={job}
            summary={(r) =>
              `${t('analysed')} ${num(Number(r.analysed ?? 0))} / ${num(Number(r.polygons ?? 0))}`
            }
          />
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
