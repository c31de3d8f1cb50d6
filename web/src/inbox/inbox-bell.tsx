import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { linkTo } from '../router.ts';
import { useInboxText } from './inbox-text.ts';
import './inbox.css';

/** How often the bell asks for the unread count (a push should show within a minute). */
const POLL_MS = 30_000;

/** The bell in the top bar: the unread count of my inbox, opening the inbox page. */
export function InboxBell({ active }: { active: boolean }) {
  const t = useInboxText();
  const [count, setCount] = useState(0);
  useEffect(() => {
    let alive = true;
    const load = () =>
      api.get<{ count: number }>('/api/inbox/unread').then(
        (r) => alive && setCount(r.count),
        () => undefined,
      );
    void load();
    const timer = setInterval(load, POLL_MS);
    // The inbox page says when it marked notices read, so the count drops at once.
    window.addEventListener('gengbao:inbox', load);
    return () => {
      alive = false;
      clearInterval(timer);
      window.removeEventListener('gengbao:inbox', load);
    };
  }, []);
  return (
    <a
      className={`inbox-bell${active ? ' active' : ''}`}
      {...linkTo('/inbox')}
      data-nav="inbox"
      title={t('bellTitle')}
      data-testid="inbox-bell"
    >
      🔔 {t('navInbox')}
      {count > 0 && (
        <span className="badge" data-testid="inbox-count">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </a>
  );
}
