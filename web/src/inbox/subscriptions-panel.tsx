import { useEffect, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { useInboxText } from './inbox-text.ts';

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

/** My areas of interest: the events I want inside each, optionally sent to an allowed webhook. */
export function SubscriptionsPanel() {
  const t = useInboxText();
  const [subs, setSubs] = useState<Subscription[]>([]);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [name, setName] = useState('');
  const [area, setArea] = useState<unknown>(null);
  const [events, setEvents] = useState<string[]>(['new_polygon']);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [error, setError] = useState('');
  const [secret, setSecret] = useState('');
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
          <input
            type="file"
            accept=".geojson,.json"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f) setArea(areaOf(JSON.parse(await f.text())));
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
