import type { User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { PlaceName } from '../place-name.tsx';
import { useDeskText } from './desk-text.ts';
import { LeadDesk, type Lead } from './lead-desk.tsx';

/** A public tip as GET /api/tips returns it. */
interface Tip extends Lead {
  receipt: string;
  description: string;
  photos: string[];
  contact: { name?: string; phone?: string } | null;
  triage: { reason?: string } | null;
  createdAt: string;
}

/** 举报线索: tips from /tip in my jurisdiction, with place, photos and description, triaged by the county. */
export function TipsPage({ user }: { user: User }) {
  const t = useDeskText();
  const { dateTime } = useI18n();
  return (
    <LeadDesk<Tip>
      user={user}
      list="/api/tips"
      triageUrl={(id) => `/api/tips/${id}/triage`}
      when={(tip) => tip.createdAt}
      testId="tips-desk"
      detail={(tip) => (
        <div className="lead-facts" data-testid="tip-detail">
          <h3>
            {t('tab_tips')} · <PlaceName code={tip.jurisdictionCode} />
          </h3>
          <dl>
            <dt>{t('receivedAt')}</dt>
            <dd>{dateTime(tip.createdAt)}</dd>
            <dt>{t('receipt')}</dt>
            <dd>{tip.receipt}</dd>
            <dt>{t('place')}</dt>
            <dd>
              {tip.lat.toFixed(5)}° N, {tip.lon.toFixed(5)}° E
            </dd>
            <dt>{t('contact')}</dt>
            <dd>
              {tip.contact && (tip.contact.name || tip.contact.phone)
                ? [tip.contact.name, tip.contact.phone].filter(Boolean).join(' · ')
                : t('anonymous')}
            </dd>
          </dl>
          <p className="tip-text">{tip.description}</p>
          <div className="lead-photos">
            {tip.photos.length === 0 && <span className="muted">{t('noPhotos')}</span>}
            {tip.photos.map((sha, i) => (
              <a key={sha} href={`/api/field/evidence/${sha}`} target="_blank" rel="noreferrer">
                <img src={`/api/field/evidence/${sha}`} alt={t('photoN', { n: i + 1 })} />
              </a>
            ))}
          </div>
          {tip.triage?.reason && (
            <p className="muted">{t('triagedBy', { r: tip.triage.reason })}</p>
          )}
        </div>
      )}
    />
  );
}
