import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { linkTo } from '../router.ts';
import { useInboxText } from './inbox-text.ts';
import './inbox.css';

/** How often the bell asks for the unread count (a push should show within a minute). */
const POLL_MS = 30_000;

/**
 * A bell drawn inline: an emoji bell has no glyph in the CJK fonts of a Linux office PC
 * (fonts-noto-cjk) and shows as an empty box there.
 */
function BellIcon() {
  return (
    <svg
      className="bell-icon"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
      />
    </svg>
  );
}

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
      <BellIcon /> {t('navInbox')}
      {count > 0 && (
        <span className="badge" data-testid="inbox-count">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </a>
  );
}
