import { useCallback, useEffect, useState } from 'react';
import { api, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { linkTo } from '../router.ts';
import { MonitoringPanel } from './monitoring-panel.tsx';
import { SubscriptionsPanel } from './subscriptions-panel.tsx';
import { useInboxText } from './inbox-text.ts';
import { useNoticeWords } from './notice-summary.ts';

export interface Notice {
  id: number;
  polygonId: number | null;
  kind: string;
  payload: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

/** Who sees the monitoring panel: those who see runs and the intake log (the server checks again). */
const MONITORING_ROLES = [
  'admin',
  'province_monitor',
  'city_reviewer',
  'county_officer',
  'supervisor',
];

/** My inbox: notices to me by name and to my unit, unread first; the monitoring loop below. */
export function InboxPage({ user }: { user: User }) {
  const t = useInboxText();
  const { lang } = useI18n();
  const { kind, summary } = useNoticeWords();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [items, setItems] = useState<Notice[] | null>(null);
  const load = useCallback(() => {
    api.get<{ items: Notice[] }>(`/api/inbox?unread=${unreadOnly}`).then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
  }, [unreadOnly]);
  useEffect(load, [load]);
  const markRead = async (ids: number[]) => {
    if (!ids.length) return;
    await api.post('/api/inbox/read', { ids });
    window.dispatchEvent(new Event('gengbao:inbox'));
    load();
  };
  const time = (iso: string) =>
    new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' });
  return (
    <div className="page inbox-page" data-testid="inbox-page">
      <h2>{t('inbox')}</h2>
      <div className="toolbar">
        <label>
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => setUnreadOnly(e.target.checked)}
          />{' '}
          {t('unreadOnly')}
        </label>
        <button onClick={() => markRead((items ?? []).filter((n) => !n.readAt).map((n) => n.id))}>
          {t('markAllRead')}
        </button>
      </div>
      {items && !items.length && <p className="muted">{t('none')}</p>}
      <table className="table">
        <tbody>
          {(items ?? []).map((n) => (
            <tr key={n.id} className={n.readAt ? 'read' : 'unread'} data-testid="inbox-item">
              <td>{n.readAt ? '' : '●'}</td>
              <td>{kind(n.kind)}</td>
              <td data-testid="inbox-summary">{summary(n)}</td>
              <td>{time(n.createdAt)}</td>
              <td>{n.polygonId && <a {...linkTo(`/polygons/${n.polygonId}`)}>{t('open')}</a>}</td>
              <td>
                {!n.readAt && <button onClick={() => markRead([n.id])}>{t('markRead')}</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <SubscriptionsPanel home={user.jurisdictionCode} />
      {MONITORING_ROLES.includes(user.role) && <MonitoringPanel />}
    </div>
  );
}
