import './style.css';
import { idb } from './idb.ts';
import { chipView, taskMap } from './map.ts';
import { enqueue, queueItems, syncQueue } from './queue.ts';
import { activePatrol, patrols, recordFix, syncPatrols, unsynced } from './patrol.ts';
import { findingForm, patrolPanel } from './patrol-view.ts';
import { inboxView, loadInbox } from './inbox-view.ts';
import type { QueueItem, Task, TaskPackage } from './types.ts';
import { figuresLine, flagText } from './figures.ts';
import { lang, pick, setLang, tr } from './lang.ts';
import { bi, h, photoPicker } from './ui.ts';

/** 耕保外业: my tasks on a map, packages for offline work, the verification form and the sync queue. */

interface Me {
  user: { username: string; displayName: string; role: string; jurisdictionName: string };
}

const app = document.getElementById('app')!;
const bar = document.getElementById('bar')!;
let me: Me | null = null;
let tasks: Task[] = [];
let packages = new Map<number, TaskPackage>();
let queue: QueueItem[] = [];
let view:
  | { name: 'tasks' }
  | { name: 'form'; pkg: TaskPackage }
  | { name: 'finding'; patrol: import('./patrol.ts').PatrolRecord }
  | { name: 'inbox' }
  | { name: 'login'; error?: string } = { name: 'tasks' };
/** Unread notices in my inbox (pushes to me by name, reminders, digests). */
let unread = 0;
let patrolsPending = 0;
let here: { lon: number; lat: number } | undefined;

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { credentials: 'same-origin' });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
}

/** Every task page by page (the server caps a page); undefined when a page fails. */
async function allTasks(): Promise<Task[] | undefined> {
  const all: Task[] = [];
  for (let cursor: string | null = null; ;) {
    const q: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const page = await getJson<{ items: Task[]; nextCursor: string | null }>(
      `/api/field/tasks${q}`,
    );
    if (page.status !== 200) return undefined;
    all.push(...page.body.items);
    if (!(cursor = page.body.nextCursor)) return all;
  }
}

async function refresh(): Promise<void> {
  packages = new Map((await idb.all<TaskPackage>('packages')).map((p) => [p.polygon.id, p]));
  queue = await queueItems();
  tasks = await idb.all<Task>('tasks');
  if (navigator.onLine) {
    try {
      const who = await getJson<Me>('/api/me');
      if (who.status === 200) {
        me = who.body;
        await idb.put('meta', me, 'me');
        const all = await allTasks();
        if (all) {
          tasks = all;
          await idb.replace('tasks', tasks);
        }
      } else if (who.status === 401) {
        me = null;
      }
    } catch {
      /* no signal: keep what is stored */
    }
  }
  me ??= (await idb.get<Me>('meta', 'me')) ?? null;
  if (!me) view = { name: 'login' };
  else unread = (await loadInbox()).unread;
}

function renderBar(): void {
  const pending = queue.filter((q) => q.state === 'queued').length + patrolsPending;
  bar.replaceChildren(
    h('strong', {}, tr('耕保外业', 'Gengbao field')),
    h(
      'span',
      { id: 'net', class: navigator.onLine ? 'online' : 'offline' },
      navigator.onLine ? tr('在线', 'online') : tr('离线', 'offline'),
    ),
    h('span', { id: 'pending' }, tr(`待同步 ${pending}`, `${pending} pending`)),
  );
  const sync = h('button', { id: 'sync' }, tr('同步', 'Sync'));
  sync.onclick = () => void runSync();
  // The other language, named in itself; the choice is kept and shared with the office app.
  const switcher = h('button', { id: 'lang' }, lang() === 'en' ? '中文' : 'English');
  switcher.onclick = () => {
    setLang(lang() === 'en' ? 'zh' : 'en');
    render();
  };
  bar.append(sync, switcher);
  if (me) {
    const inbox = h(
      'button',
      { id: 'inbox-open' },
      `${tr('消息', 'Inbox')}${unread ? ` (${unread})` : ''}`,
    );
    inbox.onclick = () => show({ name: 'inbox' });
    bar.append(inbox, h('span', { class: 'who' }, me.user.displayName));
  }
}

function deadlineText(t: Task): string {
  const due = t.deadlines.find((d) => d.kind === 'verify')?.dueAt;
  if (!due) return '';
  const left = Date.parse(due) - Date.now();
  // Past the due moment it is overdue, even within the same day (never "0 days left").
  if (left <= 0) {
    const days = Math.floor(-left / 86400_000);
    return days >= 1 ? tr(`已超期 ${days} 天`, `Overdue by ${days} d`) : tr('已超期', 'Overdue');
  }
  const days = Math.ceil(left / 86400_000);
  return tr(
    `截止 ${due.slice(0, 10)}（剩 ${days} 天）`,
    `Due ${due.slice(0, 10)} (${days} d left)`,
  );
}

function renderTasks(): void {
  const list = h('ul', { id: 'tasks' });
  for (const t of tasks) {
    const queued = queue.find((q) => q.submission.polygonId === t.id && q.state !== 'refused');
    const pkg = packages.get(t.id);
    const li = h(
      'li',
      { 'data-task': t.code },
      h('b', {}, t.code),
      ` ${t.areaMu} ${tr('亩', 'mu')} · `,
      h('span', { class: 'due' }, deadlineText(t)),
    );
    const dl = h(
      'button',
      { class: 'download' },
      pkg ? tr('已下载', 'Downloaded') : tr('下载', 'Download'),
    );
    dl.onclick = () => void download(t);
    const verify = h(
      'button',
      { class: 'verify' },
      queued
        ? queued.state === 'sent'
          ? tr('已提交', 'Submitted')
          : tr('待同步', 'Queued')
        : tr('核查', 'Verify'),
    );
    verify.toggleAttribute('disabled', !pkg || !!queued);
    verify.onclick = () => pkg && show({ name: 'form', pkg });
    li.append(' ', dl, ' ', verify);
    list.append(li);
  }
  const map = taskMap(
    tasks,
    (t) => {
      const pkg = packages.get(t.id);
      if (pkg) show({ name: 'form', pkg });
    },
    here,
    undefined,
    packages,
  );
  const q = h('ul', { id: 'queue' });
  for (const item of queue) {
    const flags = item.result?.flags ?? [];
    const state = {
      queued: tr('待同步', 'queued'),
      sent: tr('已同步', 'synced'),
      refused: tr('被退回', 'refused'),
    }[item.state];
    const li = h('li', { 'data-id': item.id, 'data-state': item.state }, `${item.code} · ${state}`);
    if (item.lastError) li.append(h('div', { class: 'err' }, item.lastError));
    for (const f of flags) li.append(h('div', { class: 'flag' }, `⚠ ${flagText(f)}`));
    q.append(li);
  }
  const fresh = h('button', { id: 'refresh' }, tr('刷新任务', 'Refresh tasks'));
  fresh.onclick = () => void refresh().then(render);
  const logout = h('button', { id: 'logout' }, tr('退出', 'Log out'));
  // Unsent work belongs to this chief: it must reach the server under their session, so
  // logging out waits for it; the next user then starts with no tasks or packages of theirs.
  logout.onclick = async () => {
    const unsent = queue.some((q) => q.state === 'queued') || (await patrols()).some(unsynced);
    if (unsent) return void alert(tr('请先同步再退出', 'Sync your work before logging out'));
    await fetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    me = null;
    tasks = [];
    packages.clear();
    await idb.del('meta', 'me');
    await idb.del('meta', 'inbox');
    await idb.replace('tasks', []);
    await idb.replace('packages', []);
    show({ name: 'login' });
  };
  app.replaceChildren(
    h('h2', {}, bi('我的任务', 'My tasks')),
    map,
    list,
    fresh,
    h('h2', {}, bi('同步队列', 'Sync queue')),
    q,
    logout,
  );
  const slot = h('section');
  app.insertBefore(slot, fresh.nextSibling);
  void patrolPanel(render, (p) => show({ name: 'finding', patrol: p })).then(async (panel) => {
    slot.replaceWith(panel);
    const n = (await patrols()).filter(unsynced).length;
    if (n !== patrolsPending) {
      patrolsPending = n;
      renderBar();
    }
  });
}

function renderLogin(error?: string): void {
  const form = h(
    'form',
    { id: 'login-form' },
    h('label', {}, bi('用户名', 'Username')),
    h('input', { id: 'username', autocomplete: 'username', required: '' }),
    h('label', {}, bi('密码', 'Password')),
    h('input', {
      id: 'password',
      type: 'password',
      autocomplete: 'current-password',
      required: '',
    }),
    h('button', { id: 'login' }, tr('登录', 'Log in')),
  );
  if (error) form.append(h('div', { class: 'err' }, error));
  form.onsubmit = async (e) => {
    e.preventDefault();
    const username = (document.getElementById('username') as HTMLInputElement).value;
    const password = (document.getElementById('password') as HTMLInputElement).value;
    try {
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (!res.ok)
        return show({
          name: 'login',
          error:
            res.status === 401 || res.status === 429
              ? tr(
                  res.status === 429 ? '尝试次数过多，请稍后再试' : '用户名或密码错误',
                  res.status === 429
                    ? 'Too many tries; wait and try again'
                    : 'Wrong username or password',
                )
              : ((await res.json()) as { error: { message: string } }).error.message,
        });
      view = { name: 'tasks' };
      await refresh();
      render();
      void runSync();
    } catch {
      show({ name: 'login', error: tr('离线时无法登录', 'Cannot log in offline') });
    }
  };
  app.replaceChildren(h('h2', {}, bi('登录', 'Log in')), form);
}

function renderForm(pkg: TaskPackage): void {
  const form = h('form', { id: 'verify-form' });
  const p = pkg.polygon;
  const a = pkg.figures.analysis;
  form.append(
    h(
      'p',
      {},
      `${p.code} · ${p.areaMu} ${tr('亩', 'mu')}${a?.layerMu ? ' · ' + figuresLine(a.layerMu) : ''}`,
    ),
  );
  for (const f of pkg.form.fields) {
    if (f.type === 'stop') continue;
    form.append(h('label', {}, pick(f.label)));
    if (f.type === 'choice') {
      const sel = h('select', { name: f.name }, h('option', { value: '' }, '—'));
      for (const o of f.options ?? []) sel.append(h('option', { value: o.split(' ')[0] }, pick(o)));
      form.append(sel);
    } else if (f.type === 'text')
      form.append(
        h('textarea', { name: f.name, rows: '3', ...(f.required ? { required: '' } : {}) }),
      );
    else form.append(h('input', { name: f.name, type: f.type === 'date' ? 'date' : 'text' }));
  }
  const stopped = h('input', { type: 'checkbox', name: 'stopped' });
  const method = h(
    'select',
    { name: 'stopMethod' },
    h('option', { value: 'on_site' }, tr('现场制止', 'On site')),
    h('option', { value: 'stop_order' }, tr('下达停工通知书', 'Stop order')),
  );
  form.append(
    h('label', {}, stopped, ' ', tr('已制止', 'Stopped')),
    method,
    h('input', { name: 'orderNo', placeholder: tr('通知书编号', 'Order number') }),
    h('input', { name: 'stopWhat', placeholder: tr('制止内容', 'What was stopped') }),
  );
  // Camera only: `capture` opens the rear camera directly on phones; capturePhoto refuses old files.
  const picker = photoPicker();
  const { photos, status } = picker;
  form.append(...picker.elements, h('button', { id: 'save' }, tr('保存待同步', 'Save to queue')));
  const back = h('button', { id: 'back', type: 'button' }, tr('返回', 'Back'));
  back.onclick = () => show({ name: 'tasks' });
  form.append(back);
  form.onsubmit = async (e) => {
    e.preventDefault();
    const fd = new FormData(form);
    const min = pkg.rules.minPhotos ?? 1;
    if (photos.length < min)
      return void (status.textContent = tr(
        `至少 ${min} 张现场照片`,
        `At least ${min} site photos`,
      ));
    const val = (k: string) => String(fd.get(k) ?? '').trim() || undefined;
    const now = new Date().toISOString();
    const submission = {
      id: crypto.randomUUID(),
      polygonId: p.id,
      version: p.version,
      form: {
        onGround: val('onGround'),
        description: val('description') ?? '',
        visitedAt: now,
        projectName: val('projectName'),
        builder: val('builder'),
        buildDate: val('buildDate'),
        use: val('use'),
        stop: fd.get('stopped')
          ? {
              method: val('stopMethod') ?? 'on_site',
              orderNo: val('orderNo'),
              stoppedAt: now,
              what: val('stopWhat'),
            }
          : undefined,
      },
      photos,
    };
    await enqueue(submission, p.code);
    queue = await queueItems();
    show({ name: 'tasks' });
    if (navigator.onLine) void runSync();
  };
  const chips = h('div', { class: 'chips' });
  for (const c of pkg.chips)
    chips.append(
      h(
        'figure',
        {},
        chipView(c, p.geometry),
        h(
          'figcaption',
          {},
          `${c.role === 'before' ? tr('前时相', 'Before') : c.role === 'after' ? tr('后时相', 'After') : c.name} ${c.acquiredOn ?? ''}`,
        ),
      ),
    );
  app.replaceChildren(h('h2', {}, bi('核查举证', 'Field verification')), chips, form);
}

async function download(t: Task): Promise<void> {
  const r = await getJson<TaskPackage & { error?: { message: string } }>(
    `/api/field/package/${t.id}`,
  ).catch(() => null);
  if (!r || r.status !== 200)
    return void alert(r?.body.error?.message ?? tr('离线时无法下载', 'Cannot download offline'));
  await idb.put('packages', r.body);
  packages.set(t.id, r.body);
  render();
}

async function runSync(): Promise<void> {
  if (!navigator.onLine) return;
  await syncPatrols().catch(() => undefined);
  await syncQueue(async () => {
    queue = await queueItems();
    refreshView();
  });
  queue = await queueItems();
  refreshView();
}

/** Redraws after a sync without wiping a form being filled in. */
function refreshView(): void {
  if (view.name === 'tasks') render();
  else renderBar();
}

function show(v: typeof view): void {
  view = v;
  render();
}

function render(): void {
  renderBar();
  document.body.dataset.ready = 'true';
  if (view.name === 'login') renderLogin(view.error);
  else if (view.name === 'form') renderForm(view.pkg);
  else if (view.name === 'inbox')
    void inboxView(
      () => show({ name: 'tasks' }),
      () => void refresh().then(render),
    ).then((el) => view.name === 'inbox' && app.replaceChildren(el));
  else if (view.name === 'finding')
    app.replaceChildren(findingForm(view.patrol, () => show({ name: 'tasks' })));
  else renderTasks();
}

window.addEventListener('online', () => {
  renderBar();
  void refresh().then(render).then(runSync);
});
window.addEventListener('offline', renderBar);
setInterval(() => void runSync(), 30_000);
// One watch serves the map's "you are here" and the patrol track.
navigator.geolocation?.watchPosition(
  async (p) => {
    here = { lon: p.coords.longitude, lat: p.coords.latitude };
    const patrol = await activePatrol();
    const fix = {
      ...here,
      at: new Date(p.timestamp).toISOString(),
      accuracyM: Math.round(p.coords.accuracy),
    };
    if (patrol && (await recordFix(patrol, fix)) && view.name === 'tasks') render();
  },
  () => undefined,
  { enableHighAccuracy: true, maximumAge: 0 },
);

if ('serviceWorker' in navigator)
  void navigator.serviceWorker.register('/field/sw.js', { scope: '/field/' });
void refresh().then(() => {
  render();
  void runSync();
});
