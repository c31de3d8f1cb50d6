import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useState } from 'react';
import { api, ApiError, type BBox } from '../api.ts';
import { ringsBBox, ringsOf, showArea } from '../map/area-filter.ts';
import { useDrawRing } from '../map/draw-ring.ts';
import { bboxBounds, GengbaoMap } from '../map/gengbao-map.tsx';
import { mapStyle } from '../map/style.ts';
import { useInboxText } from './inbox-text.ts';
import { FilePicker } from '../file-picker.tsx';

interface Subscription {
  id: number;
  name: string;
  events: string[];
  webhookUrl: string | null;
}
interface Delivery {
  id: number;
  eventKey: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

const EVENTS = ['new_polygon', 'overdue', 'resumed'] as const;

/** The first polygon of an uploaded GeoJSON file (a geometry, a feature or a collection). */
function areaOf(json: unknown): unknown {
  const j = json as { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] };
  if (j?.type === 'FeatureCollection') return j.features?.[0]?.geometry;
  if (j?.type === 'Feature') return j.geometry;
  return j;
}

/**
 * My areas of interest: the events I want inside each, optionally sent to an allowed webhook.
 * The area is drawn on a map of my jurisdiction (`home`) or uploaded as GeoJSON.
 */
export function SubscriptionsPanel({ home }: { home?: string }) {
  const t = useInboxText();
  const [subs, setSubs] = useState<Subscription[]>([]);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [name, setName] = useState('');
  const [area, setArea] = useState<unknown>(null);
  const [events, setEvents] = useState<string[]>(['new_polygon']);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [error, setError] = useState('');
  const [secret, setSecret] = useState('');
  const [bounds, setBounds] = useState<BBox | null>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const draw = useDrawRing(map);
  useEffect(() => {
    if (!home) return setBounds([110, 34, 115, 37]);
    api.get<{ bbox: BBox | null }>(`/api/jurisdictions/${home}`).then(
      (j) => setBounds(j.bbox ?? [110, 34, 115, 37]),
      () => setBounds([110, 34, 115, 37]),
    );
  }, [home]);
  // A drawn ring is the area (closed as GeoJSON wants); the double-click that ends it also
  // clicks twice, so repeated corners are dropped. An uploaded area is shown on the map.
  const corners = (draw.ring ?? []).filter(
    (p, i, r) => i === 0 || p[0] !== r[i - 1][0] || p[1] !== r[i - 1][1],
  );
  useEffect(() => {
    const ring = (draw.ring ?? []).filter(
      (p, i, r) => i === 0 || p[0] !== r[i - 1][0] || p[1] !== r[i - 1][1],
    );
    if (ring.length >= 3) setArea({ type: 'Polygon', coordinates: [[...ring, ring[0]]] });
  }, [draw.ring]);
  const showUploaded = (geometry: unknown) => {
    setArea(geometry);
    const rings = ringsOf(geometry);
    if (map && rings.length) {
      showArea(map, rings);
      map.fitBounds(bboxBounds(ringsBBox(rings)), { padding: 30, maxZoom: 16 });
    }
  };
  const clearArea = () => {
    draw.clear();
    setArea(null);
  };
  const load = () => {
    api.get<{ items: Subscription[] }>('/api/subscriptions').then(
      (r) => setSubs(r.items),
      () => undefined,
    );
    api.get<{ items: Delivery[] }>('/api/subscriptions/deliveries').then(
      (r) => setDeliveries(r.items),
      () => undefined,
    );
  };
  useEffect(load, []);
  const submit = async () => {
    setError('');
    try {
      const r = await api.post<{ webhookSecret?: string }>('/api/subscriptions', {
        name,
        geometry: area,
        events,
        ...(webhookUrl ? { webhookUrl } : {}),
      });
      setSecret(r.webhookSecret ?? '');
      setName('');
      clearArea();
      load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const remove = async (id: number) => {
    await fetch(`/api/subscriptions/${id}`, { method: 'DELETE', credentials: 'same-origin' });
    load();
  };
  return (
    <section className="subscriptions-panel" data-testid="subscriptions-panel">
      <h3>{t('subscriptions')}</h3>
      <ul>
        {subs.map((s) => (
          <li key={s.id}>
            {s.name} · {s.events.map((e) => t(`ev_${e}`)).join('、')}{' '}
            {s.webhookUrl ? `→ ${s.webhookUrl}` : ''}{' '}
            <button onClick={() => remove(s.id)}>{t('unsubscribe')}</button>
          </li>
        ))}
      </ul>
      <div className="form-row">
        <label>
          {t('subName')} <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('areaFile')}{' '}
          <FilePicker
            accept=".geojson,.json"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f) showUploaded(areaOf(JSON.parse(await f.text())));
            }}
          />
        </label>
        {EVENTS.map((ev) => (
          <label key={ev}>
            <input
              type="checkbox"
              checked={events.includes(ev)}
              onChange={(e) =>
                setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))
              }
            />{' '}
            {t(`ev_${ev}`)}
          </label>
        ))}
        <label>
          {t('webhook')}{' '}
          <input
            value={webhookUrl}
            onChange={(e) => setWebhookUrl(e.target.value)}
            placeholder="https://…"
          />
        </label>
        <button disabled={!name || !area || !events.length} onClick={submit}>
          {t('subscribe')}
        </button>
      </div>
      <div className="form-row">
        <button
          type="button"
          disabled={draw.drawing}
          onClick={() => {
            clearArea();
            draw.start();
          }}
          data-testid="sub-draw"
        >
          {t('areaDraw')}
        </button>
        {draw.drawing && <span className="muted">{t('areaDrawing')}</span>}
        {!draw.drawing && area !== null && (
          <span data-testid="sub-area-ready">
            {t('areaReady')}
            {corners.length ? ` · ${corners.length} ${t('areaCorners')}` : ''}{' '}
            <button type="button" className="link" onClick={clearArea}>
              {t('areaClear')}
            </button>
          </span>
        )}
      </div>
      <div className="subscription-map" data-testid="sub-map">
        {bounds && (
          <GengbaoMap
            options={{
              style: mapStyle(),
              bounds: bboxBounds(bounds),
              fitBoundsOptions: { padding: 20 },
              maxZoom: 19,
            }}
            onMap={setMap}
          />
        )}
      </div>
      {error && <p className="error">{error}</p>}
      {secret && (
        <p>
          {t('secretOnce')}: <code>{secret}</code>
        </p>
      )}
      {deliveries.length > 0 && (
        <>
          <h4>{t('deliveries')}</h4>
          <table className="table">
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td>{d.eventKey}</td>
                  <td>{d.status}</td>
                  <td>
                    {t('attempts')} {d.attempts}
                  </td>
                  <td>{d.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
