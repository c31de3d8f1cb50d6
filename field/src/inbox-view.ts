import { idb } from './idb.ts';
import { tr } from './lang.ts';
import { bi, h } from './ui.ts';

/** A notice as GET /api/inbox sends it. */
interface Notice {
  id: number;
  polygonId: number | null;
  kind: string;
  payload: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

/** What a field chief's notices are, in words (Chinese, or English when switched). */
const KINDS: Record<string, [string, string]> = {
  notify: ['新任务 / 待办', 'New task'],
  deadline_reminder: ['期限提醒', 'Deadline reminder'],
  deadline_escalation: ['逾期上报', 'Overdue'],
  digest: ['每日汇总', 'Daily digest'],
  'subscription.new_polygon': ['关注区域：新图斑', 'Area: new 图斑'],
  'subscription.overdue': ['关注区域：逾期', 'Area: overdue'],
  'subscription.resumed': ['关注区域：复建', 'Area: building resumed'],
};

/**
 * The chief's inbox: fetched when online and kept in IndexedDB, so the last notices are there
 * in the field without signal. Returns the unread count with the list.
 */
export async function loadInbox(): Promise<{ items: Notice[]; unread: number }> {
  let items = (await idb.get<Notice[]>('meta', 'inbox')) ?? [];
  if (navigator.onLine) {
    try {
      const res = await fetch('/api/inbox', { credentials: 'same-origin' });
      if (res.ok) {
        items = ((await res.json()) as { items: Notice[] }).items;
        await idb.put('meta', items, 'inbox');
      }
    } catch {
      /* no signal: the stored list */
    }
  }
  return { items, unread: items.filter((n) => !n.readAt).length };
}

/** The inbox view: newest first, unread marked, read on a tap (when online). */
export async function inboxView(back: () => void, onChange: () => void): Promise<HTMLElement> {
  const { items } = await loadInbox();
  const list = h('ul', { id: 'inbox' });
  for (const n of items) {
    const [zh, en] = KINDS[n.kind] ?? [n.kind, n.kind];
    const p = n.payload;
    const what =
      n.kind === 'digest'
        ? `${String(p.day)} · ${String(p.total)}`
        : String(p.code ?? p.status ?? '');
    const li = h(
      'li',
      { 'data-notice': String(n.id), class: n.readAt ? 'read' : 'unread' },
      n.readAt ? '' : '● ',
      bi(zh, en),
      ` ${what} · ${n.createdAt.slice(0, 16).replace('T', ' ')}`,
    );
    if (!n.readAt) {
      const read = h('button', { class: 'read' }, tr('已读', 'Read'));
      read.onclick = async () => {
        const res = await fetch('/api/inbox/read', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ids: [n.id] }),
        }).catch(() => null);
        if (res?.ok) onChange();
      };
      li.append(' ', read);
    }
    list.append(li);
  }
  const backButton = h('button', { id: 'inbox-back' }, tr('返回任务', 'Back to tasks'));
  backButton.onclick = back;
  return h(
    'section',
    {},
    h('h2', {}, bi('消息', 'Inbox')),
    items.length ? list : h('p', {}, bi('没有消息', 'No notices')),
    backButton,
  );
}
