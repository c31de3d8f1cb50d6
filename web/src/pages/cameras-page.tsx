import { useEffect, useState } from 'react';
import { api, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { PlaceName } from '../place-name.tsx';
import { useDeskText } from './desk-text.ts';
import { LeadDesk, type Lead } from './lead-desk.tsx';

/** A camera alarm as GET /api/camera-events returns it. */
interface Alarm extends Lead {
  cameraId: string;
  at: string;
  bearing: number | null;
  label: string | null;
  snapshotSha256: string;
}

/** 视频告警: alarms of the registered cameras, each with its snapshot, triaged like a tip. */
export function CamerasPage({ user }: { user: User }) {
  const t = useDeskText();
  const { dateTime, num } = useI18n();
  const [cameras, setCameras] = useState<{ id: string; label: string }[]>([]);
  useEffect(() => {
    api.getAll<{ id: string; label: string }>('/api/cameras').then(
      (items) => setCameras(items),
      () => setCameras([]),
    );
  }, []);
  const labelOf = (id: string) => cameras.find((c) => c.id === id)?.label ?? id;
  return (
    <>
      <p className="muted">{t('cameras', { n: num(cameras.length) })}</p>
      <LeadDesk<Alarm>
        user={user}
        list="/api/camera-events"
        triageUrl={(id) => `/api/camera-events/${id}/triage`}
        when={(a) => a.at}
        testId="cameras-desk"
        detail={(a) => (
          <div className="lead-facts" data-testid="alarm-detail">
            <h3>
              {labelOf(a.cameraId)} · <PlaceName code={a.jurisdictionCode} />
            </h3>
            <dl>
              <dt>{t('alarmAt')}</dt>
              <dd>{dateTime(a.at)}</dd>
              {a.label && (
                <>
                  <dt>{t('alarmLabel')}</dt>
                  <dd>{a.label}</dd>
                </>
              )}
              {a.bearing != null && (
                <>
                  <dt>{t('camera')}</dt>
                  <dd>{t('bearing', { d: Math.round(a.bearing) })}</dd>
                </>
              )}
            </dl>
            <div className="lead-photos">
              <a href={`/api/field/evidence/${a.snapshotSha256}`} target="_blank" rel="noreferrer">
                <img src={`/api/field/evidence/${a.snapshotSha256}`} alt={t('snapshot')} />
              </a>
            </div>
          </div>
        )}
      />
    </>
  );
}
