import { useEffect, useState } from 'react';
import { api, qs, type Polygon, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { QUEUES, ROLE_QUEUES, SOURCES, STATUSES, type QueueId } from '../queues.ts';
import { PAGE_SIZE, Pager } from '../pager.tsx';
import { linkTo, navigate } from '../router.ts';

/** The most dossiers one zip holds (src/services/dossier-batch.ts MAX_DOSSIERS). */
const MAX_DOSSIERS = 200;

/** This page's own words for the dossier button (Chinese first). */
const DOSSIER_TEXT = {
  button: { zh: '下载图斑档案（zip）', en: 'Download dossiers (zip)' },
  selected: { zh: '所选', en: 'selected' },
  listed: { zh: '本列表', en: 'this list' },
  period: { zh: '本期全部', en: 'the whole period' },
  busy: { zh: '正在生成档案…', en: 'Making the dossiers…' },
  done: { zh: '已下载档案', en: 'Dossiers downloaded' },
  tooMany: {
    zh: `一次至多 ${MAX_DOSSIERS} 个图斑：请勾选，或按监测期筛选`,
    en: `At most ${MAX_DOSSIERS} 图斑 at once: tick some, or filter by period`,
  },
} as const;

/** POST /api/dossiers and save the zip it answers under the server's file name. */
async function downloadDossiers(body: Record<string, unknown>): Promise<number> {
  const res = await fetch('/api/dossiers', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const e = await res.json().catch(() => null);
    throw new Error(e?.error?.message ?? res.statusText);
  }
  const blob = await res.blob();
  const name =
    /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'dossiers.zip';
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return Number(res.headers.get('x-dossier-count') ?? 0);
}

/** Roles that push (下发) analysed 图斑 (src/cases: the push transition). */
const PUSH_ROLES = new Set(['province_monitor', 'city_reviewer']);

/** Loads the 图斑 of a queue with the list filters; statuses of one queue are fetched in parallel. */
async function loadQueue(
  queue: QueueId,
  f: Record<string, string | undefined>,
): Promise<Polygon[]> {
  const common = { period: f.period, source: f.source, jurisdiction: f.jurisdiction, limit: 1000 };
  if (f.verdict) {
    // Verdicts live in the case state: the server reads them (GET /api/queues/verdict/{verdict}).
    const items = await api.getAll<Polygon>(`/api/queues/verdict/${f.verdict}${qs(common)}`);
    return f.status ? items.filter((p) => p.status === f.status) : items;
  }
  if (queue === 'overdue') {
    // Deadlines live in the case state: the server reads them (GET /api/queues/overdue).
    const items = await api.getAll<Polygon>(`/api/queues/overdue${qs(common)}`);
    return f.status ? items.filter((p) => p.status === f.status) : items;
  }
  const statuses: (string | undefined)[] = f.status
    ? [f.status]
    : QUEUES[queue].length
      ? [...QUEUES[queue]]
      : [undefined];
  const parts = await Promise.all(
    statuses.map((status) => api.getAll<Polygon>(`/api/polygons${qs({ ...common, status })}`)),
  );
  return parts.flat().sort((a, b) => a.code.localeCompare(b.code));
}

/** Work queues by role, with filters by period, source, status and jurisdiction (from the URL). */
export function QueuesPage({
  user,
  queue: queueParam,
  query,
}: {
  user: User;
  queue?: string;
  query: URLSearchParams;
}) {
  const { t, mu, num, date, lang } = useI18n();
  const mine = ROLE_QUEUES[user.role] ?? ['all'];
  const queue = (queueParam && queueParam in QUEUES ? queueParam : mine[0]) as QueueId;
  const filters = {
    period: query.get('period') ?? undefined,
    source: query.get('source') ?? undefined,
    status: query.get('status') ?? undefined,
    jurisdiction: query.get('jurisdiction') ?? undefined,
  };
  const [items, setItems] = useState<Polygon[] | null>(null);
  // The queue is read whole (its total area and bulk push need every row) and shown a page at a time.
  const [page, setPage] = useState(0);
  useEffect(() => setPage(0), [items]);
  const [periods, setPeriods] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const search = query.toString();

  useEffect(() => {
    setItems(null);
    setError(null);
    const q = new URLSearchParams(search);
    const f = {
      verdict: q.get('verdict') ?? undefined,
      period: q.get('period') ?? undefined,
      source: q.get('source') ?? undefined,
      status: q.get('status') ?? undefined,
      jurisdiction: q.get('jurisdiction') ?? undefined,
    };
    // 亩 on farmland comes with each 图斑 (its 套合 figures), so this filter needs no round trip.
    const minFarm = Number(q.get('minFarmMu') ?? '');
    const onFarmland = (p: Polygon) =>
      !(minFarm > 0) || Number(p.properties.farm_mu ?? 0) >= minFarm;
    // The cases behind an indicator (the dashboard's illegal-occupation ratio): by id.
    const ids = q.get('ids') ? new Set(q.get('ids')!.split(',').map(Number)) : null;
    loadQueue(queue, f).then(
      (list) => setItems(list.filter((p) => onFarmland(p) && (!ids || ids.has(p.id)))),
      (e: Error) => setError(e.message),
    );
  }, [queue, search]);

  useEffect(() => {
    api.get<{ items: { period: string }[] }>('/api/stats/polygons').then(
      (r) => setPeriods([...new Set(r.items.map((x) => x.period))].sort().reverse()),
      () => undefined,
    );
  }, []);

  const setFilter = (name: string, value: string) => {
    const q = new URLSearchParams(query);
    if (value) q.set(name, value);
    else q.delete(name);
    const s = q.toString();
    navigate(`/queues/${queue}${s ? `?${s}` : ''}`, true);
  };
  const tabs = [
    ...new Set([
      ...mine,
      ...(queueParam && queueParam in QUEUES && !mine.includes(queue) ? [queue] : []),
    ]),
  ];
  const totalMu = items?.reduce((s, p) => s + Number(p.areaMu), 0) ?? 0;
  // Bulk push (下发) where the rules allow it: analysed 图斑, by the roles that push.
  const canPush = queue === 'to_push' && PUSH_ROLES.has(user.role);
  const pushable = (items ?? []).filter((p) => p.status === 'analysed');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [bulkResult, setBulkResult] = useState<string | null>(null);
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const [dossierNote, setDossierNote] = useState<string | null>(null);
  // The ticked 图斑, else the list as filtered, else (a long list of one period) the period on the server.
  const dossierBody = (): Record<string, unknown> | null => {
    if (selected.size) return { ids: [...selected].slice(0, MAX_DOSSIERS) };
    if (items && items.length <= MAX_DOSSIERS) return { ids: items.map((p) => p.id) };
    if (filters.period)
      return { period: filters.period, status: filters.status, jurisdiction: filters.jurisdiction };
    return null;
  };
  const dossiers = async () => {
    const body = dossierBody();
    if (!body) return setDossierNote(DOSSIER_TEXT.tooMany[lang]);
    setDossierNote(DOSSIER_TEXT.busy[lang]);
    try {
      const n = await downloadDossiers(body);
      setDossierNote(`${DOSSIER_TEXT.done[lang]} · ${num(n)}`);
    } catch (e) {
      setDossierNote((e as Error).message);
    }
  };
  const pushSelected = async () => {
    const chosen = pushable.filter((p) => selected.has(p.id));
    const byPeriod = new Map<string, number[]>();
    for (const p of chosen) byPeriod.set(p.period, [...(byPeriod.get(p.period) ?? []), p.id]);
    let pushed = 0;
    const refused: string[] = [];
    for (const [period, ids] of byPeriod) {
      const r = await api.post<{ pushed: number[]; refused: { id: number; message: string }[] }>(
        '/api/dispatch',
        { period, ids },
      );
      pushed += r.pushed.length;
      refused.push(...r.refused.map((x) => `${x.id}: ${x.message}`));
    }
    setBulkResult(
      `${t('pushedN')} ${num(pushed)}${refused.length ? ` · ${t('refusedN')} ${refused.length}: ${refused.join('; ')}` : ''}`,
    );
    setSelected(new Set());
    setItems(await loadQueue(queue, Object.fromEntries(query.entries())));
  };

  return (
    <div className="page queues">
      <nav className="tabs">
        {tabs.map((q) => (
          <a
            key={q}
            className={q === queue ? 'active' : ''}
            {...linkTo(`/queues/${q}${query.toString() ? `?${query}` : ''}`)}
            data-queue={q}
          >
            {t(`queue_${q}`)}
          </a>
        ))}
      </nav>
      <div className="filters">
        <label>
          {t('period')}
          <select
            value={filters.period ?? ''}
            onChange={(e) => setFilter('period', e.target.value)}
            data-filter="period"
          >
            <option value="">{t('any')}</option>
            {periods.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          {t('source')}
          <select
            value={filters.source ?? ''}
            onChange={(e) => setFilter('source', e.target.value)}
            data-filter="source"
          >
            <option value="">{t('any')}</option>
            {SOURCES.map((s) => (
              <option key={s} value={s}>
                {t(`src_${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('status')}
          <select
            value={filters.status ?? ''}
            onChange={(e) => setFilter('status', e.target.value)}
            data-filter="status"
          >
            <option value="">{t('any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`st_${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('minFarmMu')}
          <input
            type="number"
            min="0"
            step="0.01"
            size={6}
            defaultValue={query.get('minFarmMu') ?? ''}
            onChange={(e) => setFilter('minFarmMu', e.target.value)}
            data-filter="minFarmMu"
          />
        </label>
        <label>
          {t('verdictMix')}
          <select
            value={query.get('verdict') ?? ''}
            onChange={(e) => setFilter('verdict', e.target.value)}
            data-filter="verdict"
          >
            <option value="">{t('any')}</option>
            {['lawful', 'illegal', 'other', 'none'].map((v) => (
              <option key={v} value={v}>
                {t(`verdict_${v}`)}
              </option>
            ))}
          </select>
        </label>
        {filters.jurisdiction && (
          <button onClick={() => setFilter('jurisdiction', '')}>
            {t('jurisdiction')} {filters.jurisdiction} ✕
          </button>
        )}
        {items && (
          <span className="summary" data-testid="queue-count">
            {num(items.length)} {t('items')} · {mu(totalMu)} {t('mu')}
          </span>
        )}
      </div>
      {items && items.length > 0 && (
        <div className="bulk">
          <button onClick={() => void dossiers()} data-testid="dossiers-zip">
            {DOSSIER_TEXT.button[lang]} ·{' '}
            {selected.size
              ? `${DOSSIER_TEXT.selected[lang]} ${num(selected.size)}`
              : items.length <= MAX_DOSSIERS
                ? `${DOSSIER_TEXT.listed[lang]} ${num(items.length)}`
                : DOSSIER_TEXT.period[lang]}
          </button>{' '}
          {dossierNote && (
            <span className="muted" data-testid="dossiers-note">
              {dossierNote}
            </span>
          )}
        </div>
      )}
      {canPush && pushable.length > 0 && (
        <div className="bulk">
          <button onClick={() => setSelected(new Set(pushable.map((p) => p.id)))}>
            {t('selectAllAnalysed')}
          </button>{' '}
          <button
            disabled={!pushable.some((p) => selected.has(p.id))}
            onClick={() => pushSelected().catch((e: Error) => setBulkResult(e.message))}
            data-testid="bulk-push"
          >
            {t('pushSelected')} ({num(pushable.filter((p) => selected.has(p.id)).length)})
          </button>
        </div>
      )}
      {bulkResult && (
        <p className="muted" data-testid="bulk-result">
          {bulkResult}
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {!items && !error && <p className="muted">{t('loading')}</p>}
      {items && (
        <table className="list" data-testid="queue-table">
          <thead>
            <tr>
              <th />
              <th>{t('code')}</th>
              <th>{t('status')}</th>
              <th>{t('source')}</th>
              <th>{t('period')}</th>
              <th>{t('jurisdiction')}</th>
              <th className="num">{t('areaMu')}</th>
              <th>{t('foundOn')}</th>
              {queue === 'overdue' && <th>{t('dueAt')}</th>}
              <th />
            </tr>
          </thead>
          <tbody>
            {items.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).map((p) => (
              <tr key={p.id} data-polygon={p.id}>
                <td>
                  {/* Ticked for dossiers; in the push queue only what may be pushed is ticked. */}
                  {(!canPush || p.status === 'analysed') && (
                    <input
                      type="checkbox"
                      checked={selected.has(p.id)}
                      onChange={() => toggle(p.id)}
                      aria-label={p.code}
                    />
                  )}
                </td>
                <td>
                  <a {...linkTo(`/polygons/${p.id}`)}>{p.code}</a>
                </td>
                <td>
                  <span className={`status st-${p.status}`}>{t(`st_${p.status}`)}</span>
                </td>
                <td>{t(`src_${p.source}`)}</td>
                <td>{p.period}</td>
                <td>{p.jurisdictionCode}</td>
                <td className="num">{mu(Number(p.areaMu))}</td>
                <td>
                  {typeof p.properties.foundOn === 'string'
                    ? date(p.properties.foundOn)
                    : date(p.createdAt)}
                </td>
                {queue === 'overdue' && (
                  <td className="error">
                    {p.dueAt ? date(p.dueAt) : ''} {p.deadline ? t(`dl_${p.deadline}`) : ''}
                  </td>
                )}
                <td>
                  <a {...linkTo(`/?focus=${p.bbox.join(',')}`)}>{t('showOnMap')}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items && <Pager total={items.length} page={page} onPage={setPage} />}
    </div>
  );
}
