import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, type BBox, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { showArea } from '../map/area-filter.ts';
import { showLeadPoints, useDrawRing } from '../map/draw-ring.ts';
import { bboxBounds, GengbaoMap } from '../map/gengbao-map.tsx';
import { mapStyle } from '../map/style.ts';
import { PAGE_SIZE, Pager } from '../pager.tsx';
import { PlaceName } from '../place-name.tsx';
import { linkTo } from '../router.ts';
import { useDeskText } from './desk-text.ts';

/** What the desk needs of a lead (a public tip or a camera alarm). */
export interface Lead {
  id: number;
  lon: number;
  lat: number;
  status: 'received' | 'accepted' | 'rejected';
  jurisdictionCode: string;
  polygonId: number | null;
}

/** Roles that triage leads (the server's triage routes). */
const TRIAGE_ROLES = ['county_officer', 'admin'];

/**
 * A list of leads beside a map of their points: pick one to see it (the caller draws its
 * details), and a county officer triages it — accepted into a 图斑 whose outline is drawn on the
 * map (or the reported point's footprint), or rejected — always with the reason, which the
 * tipster's receipt and the record keep.
 */
export function LeadDesk<L extends Lead>({
  user,
  list,
  triageUrl,
  when,
  detail,
  testId,
}: {
  user: User;
  /** GET path of the list (status appended as a query). */
  list: string;
  triageUrl: (id: number) => string;
  /** The time shown in the list. */
  when: (l: L) => string;
  detail: (l: L) => ReactNode;
  testId: string;
}) {
  const t = useDeskText();
  const { dateTime } = useI18n();
  const [status, setStatus] = useState('received');
  const [items, setItems] = useState<L[] | null>(null);
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<L | null>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [home, setHome] = useState<BBox | null>(null);
  const [reload, setReload] = useState(0);
  const draw = useDrawRing(map);

  useEffect(() => {
    api.get<{ bbox: BBox | null }>(`/api/jurisdictions/${user.jurisdictionCode}`).then(
      (j) => setHome(j.bbox ?? [110, 34, 115, 37]),
      () => setHome([110, 34, 115, 37]),
    );
  }, [user.jurisdictionCode]);
  useEffect(() => {
    setItems(null);
    api.get<{ items: L[] }>(`${list}${status ? `?status=${status}` : ''}`).then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
  }, [list, status, reload]);
  useEffect(() => {
    if (map && items) showLeadPoints(map, items, selected?.id ?? null);
  }, [map, items, selected]);

  const pick = (l: L) => {
    setSelected(l);
    draw.clear();
    map?.flyTo({ center: [l.lon, l.lat], zoom: Math.max(map.getZoom(), 15) });
  };
  const shown = items?.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE) ?? [];

  return (
    <div className="lead-desk" data-testid={testId}>
      <div className="lead-list">
        <div className="filters">
          <label>
            {t('status')}
            <select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value);
                setPage(0);
                setSelected(null);
              }}
              data-testid="lead-status"
            >
              <option value="">{t('all')}</option>
              {['received', 'accepted', 'rejected'].map((s) => (
                <option key={s} value={s}>
                  {t(`ls_${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {!items && <p className="muted">…</p>}
        {items && items.length === 0 && <p className="muted">{t('none')}</p>}
        {items && items.length > 0 && (
          <>
            <table className="list">
              <tbody>
                {shown.map((l) => (
                  <tr
                    key={l.id}
                    className={selected?.id === l.id ? 'selected' : ''}
                    onClick={() => pick(l)}
                    data-lead={l.id}
                  >
                    <td>{dateTime(when(l))}</td>
                    <td>
                      <PlaceName code={l.jurisdictionCode} />
                    </td>
                    <td>
                      <span className={`status ls-${l.status}`}>{t(`ls_${l.status}`)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager total={items.length} page={page} onPage={setPage} />
          </>
        )}
      </div>
      <div className="lead-map">
        {home && (
          <GengbaoMap
            options={{
              style: mapStyle(),
              bounds: bboxBounds(home),
              fitBoundsOptions: { padding: 20 },
              maxZoom: 19,
            }}
            onMap={setMap}
            testMain
          />
        )}
      </div>
      <div className="lead-detail card">
        {!selected && <p className="muted">{t('selectOne')}</p>}
        {selected && (
          <>
            {detail(selected)}
            {selected.status === 'received' && TRIAGE_ROLES.includes(user.role) ? (
              <TriageForm
                key={selected.id}
                url={triageUrl(selected.id)}
                draw={draw}
                onDone={(r) => {
                  setSelected({ ...selected, status: r.status, polygonId: r.polygonId });
                  setReload((n) => n + 1);
                }}
              />
            ) : (
              selected.polygonId && (
                <p>
                  {t('acceptedAs')}{' '}
                  <a {...linkTo(`/polygons/${selected.polygonId}`)} data-testid="triage-polygon">
                    {t('openPolygon')}
                  </a>
                </p>
              )
            )}
          </>
        )}
      </div>
    </div>
  );
}

function TriageForm({
  url,
  draw,
  onDone,
}: {
  url: string;
  draw: ReturnType<typeof useDrawRing>;
  onDone: (r: { status: Lead['status']; polygonId: number | null }) => void;
}) {
  const t = useDeskText();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ status: string; polygonId: number | null } | null>(null);
  const send = async (outcome: 'accept' | 'reject') => {
    if (!reason.trim()) return setError(t('reasonNeeded'));
    setError(null);
    setBusy(true);
    try {
      const ring = outcome === 'accept' ? draw.ring : null;
      const r = await api.post<{ status: Lead['status']; polygonId: number | null }>(url, {
        outcome,
        reason: reason.trim(),
        ...(ring ? { geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } } : {}),
      });
      setDone(r);
      onDone(r);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  if (done)
    return (
      <p data-testid="triage-done">
        {t(`ls_${done.status}`)}
        {done.polygonId && (
          <>
            {' · '}
            <a {...linkTo(`/polygons/${done.polygonId}`)} data-testid="triage-polygon">
              {t('openPolygon')}
            </a>
          </>
        )}
      </p>
    );
  return (
    <form className="triage" onSubmit={(e) => e.preventDefault()} data-testid="triage-form">
      <h4>{t('triage')}</h4>
      <fieldset>
        <legend>{t('outline')}</legend>
        {draw.ring ? (
          <p data-testid="triage-outline">
            {t('outlineReady', { n: draw.ring.length })}{' '}
            <button type="button" className="link" onClick={draw.clear}>
              {t('clearOutline')}
            </button>
          </p>
        ) : draw.drawing ? (
          <p className="muted">{t('drawHint')}</p>
        ) : (
          <>
            <p className="muted">{t('outlineDefault')}</p>
            <button type="button" onClick={draw.start} data-testid="triage-draw">
              {t('drawOutline')}
            </button>
          </>
        )}
      </fieldset>
      <label>
        {t('reason')}
        <textarea
          rows={2}
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="triage-reason"
        />
      </label>
      <div className="row">
        <button
          type="button"
          disabled={busy}
          onClick={() => send('accept')}
          data-testid="triage-accept"
        >
          {t('accept')}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => send('reject')}
          data-testid="triage-reject"
        >
          {t('reject')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** Clears the drawn outline layer when a desk unmounts its map (nothing else to do). */
export const clearOutline = (map: MapLibreMap) => showArea(map, []);
