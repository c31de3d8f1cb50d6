import type { Map as MapLibreMap } from 'maplibre-gl';
import { useCallback, useEffect, useState } from 'react';
import type { PolygonDetail } from '../../../src/contract/types.ts';
import type { Bilingual } from '../../../src/contract/vocabulary.ts';
import { api, ApiError, type CaseAction } from '../api.ts';
import type { Imagery } from '../api.ts';
import { ActionForm } from '../forms/action-form.tsx';
import { useI18n } from '../i18n.ts';
import { Timeline } from '../record/timeline.tsx';
import { CasePaper } from '../documents/case-paper.tsx';
import { DetectionChips } from './polygon-chips.tsx';
import { Evidence, photosOf, type CitedPhoto } from './polygon-evidence.tsx';
import { OverlayFigures, PlaceNames, type AnalysisFact } from './polygon-figures.tsx';
import '../forms/forms.css';
import { addImageryLayer, bboxBounds, GengbaoMap, SwipeCompare } from '../map/gengbao-map.tsx';
import { STATUS_COLORS } from '../queues.ts';
import { linkTo } from '../router.ts';

type Detail = PolygonDetail;
interface ActionsReply {
  state?: { status: string; version: number } & Record<string, unknown>;
  actions: CaseAction[];
  /** Labels of the province's configured choices, for reading the record. */
  choices?: Record<string, Record<string, Bilingual>>;
}

const overlaps = (a: number[], b: number[]) =>
  a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Where each photo was taken, as points on the polygon's map. */
function addPhotos(map: MapLibreMap, photos: CitedPhoto[]) {
  if (map.getSource('photos') || !photos.length) return;
  map.addSource('photos', {
    type: 'geojson',
    data: {
      type: 'FeatureCollection',
      features: photos.map((p) => ({
        type: 'Feature',
        properties: { sha256: p.sha256 },
        geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      })),
    },
  });
  map.addLayer({
    id: 'photos',
    type: 'circle',
    source: 'photos',
    paint: {
      'circle-radius': 6,
      'circle-color': '#1e88e5',
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 2,
    },
  });
}

/** Adds the polygon outline (one feature: its own geometry, not a data layer). */
function addOutline(map: MapLibreMap, p: Detail, color: string) {
  if (map.getSource('polygon')) return;
  map.addSource('polygon', {
    type: 'geojson',
    data: { type: 'Feature', properties: {}, geometry: p.geometry! },
  });
  map.addLayer({
    id: 'polygon-line',
    type: 'line',
    source: 'polygon',
    paint: { 'line-color': color, 'line-width': 3 },
  });
}

/** One 图斑: figures, geometry on before/after imagery, the record, and the actions open now. */
export function PolygonPage({ id }: { id: number }) {
  const { t, mu, num, date } = useI18n();
  const [p, setP] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [imagery, setImagery] = useState<Imagery[]>([]);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [actions, setActions] = useState<ActionsReply | 'unavailable' | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    setError(null);
    api.get<Detail>(`/api/polygons/${id}`).then(setP, (e: Error) => setError(e.message));
    api.get<ActionsReply>(`/api/polygons/${id}/actions`).then(
      (r) => setActions({ state: r.state, actions: r.actions ?? [], choices: r.choices }),
      (e) =>
        setActions(
          e instanceof ApiError && e.status === 404 && e.message.startsWith('no route')
            ? 'unavailable'
            : { actions: [] },
        ),
    );
  }, [id, reload]);
  useEffect(() => {
    api.getAll<Imagery>('/api/imagery').then(
      (items) => setImagery(items),
      () => setImagery([]),
    );
  }, []);

  const here = p ? imagery.filter((i) => i.bbox && overlaps(i.bbox, p.bbox)) : [];
  const after = here.find((i) => i.role === 'after') ?? here[here.length - 1];
  const before = here.find((i) => i.role === 'before') ?? (here.length > 1 ? here[0] : undefined);
  const color = p ? (STATUS_COLORS[p.status] ?? '#e53935') : '#e53935';
  const outline = useCallback((m: MapLibreMap) => p && addOutline(m, p, color), [p, color]);

  useEffect(() => {
    if (!map || !p) return;
    if (after) addImageryLayer(map, after, true);
    addOutline(map, p, color);
    addPhotos(map, photosOf(p.events));
  }, [map, p, after, color]);

  if (error) return <p className="error page">{error}</p>;
  if (!p) return <p className="muted page">{t('loading')}</p>;
  const props = p.properties;
  return (
    <div className="page polygon-page" data-testid="polygon-page">
      <p>
        <a {...linkTo('/queues')}>← {t('navQueues')}</a>
      </p>
      <h2>
        {t('polygon')} <span data-testid="polygon-code">{p.code}</span>{' '}
        <span className={`status st-${p.status}`} data-testid="polygon-status">
          {t(`st_${p.status}`)}
        </span>
      </h2>
      <div className="polygon-grid">
        <section className="card">
          <h3>{t('figures')}</h3>
          <dl className="figures">
            <dt>{t('areaM2')}</dt>
            <dd data-testid="area-m2">{num(p.areaM2, 1)}</dd>
            <dt>{t('areaMu')}</dt>
            <dd data-testid="area-mu">{mu(Number(p.areaMu))}</dd>
            <dt>{t('source')}</dt>
            <dd>{t(`src_${p.source}`)}</dd>
            <dt>{t('period')}</dt>
            <dd>{p.period}</dd>
            <dt>{t('jurisdiction')}</dt>
            <dd>
              <PlaceNames polygon={p} />
            </dd>
            {typeof props.changeType === 'string' && (
              <>
                <dt>{t('changeType')}</dt>
                <dd>{props.changeType}</dd>
              </>
            )}
            {typeof props.score === 'number' && (
              <>
                <dt>{t('score')}</dt>
                <dd>{num(props.score, 2)}</dd>
              </>
            )}
            {typeof props.foundOn === 'string' && (
              <>
                <dt>{t('foundOn')}</dt>
                <dd>{date(props.foundOn)}</dd>
              </>
            )}
            {typeof props.imageryBefore === 'string' && (
              <>
                <dt>{t('imageryDates')}</dt>
                <dd>
                  {date(props.imageryBefore)} →{' '}
                  {typeof props.imageryAfter === 'string' ? date(props.imageryAfter) : ''}
                </dd>
              </>
            )}
          </dl>
        </section>
        <section className="card map-card">
          <div className="chip-map">
            <GengbaoMap
              key={p.id}
              options={{
                style: {
                  version: 8,
                  sources: {},
                  layers: [
                    {
                      id: 'background',
                      type: 'background',
                      paint: { 'background-color': '#f3f1ea' },
                    },
                  ],
                },
                bounds: bboxBounds(p.bbox),
                fitBoundsOptions: { padding: 60, maxZoom: 18 },
                maxZoom: 19,
              }}
              onMap={setMap}
            />
            {map && before && after && (
              <SwipeCompare main={map} before={before} extraStyle={outline} />
            )}
          </div>
          {!after && <p className="muted">{t('noImagery')}</p>}
          {before && after && (
            <p className="muted">
              {t('before')} {before.acquiredOn} · {t('after')} {after.acquiredOn} — {t('swipeHint')}
            </p>
          )}
        </section>
        <OverlayFigures
          polygon={p}
          analysis={stateOf(actions)?.analysis as AnalysisFact | undefined}
        />
        {p.source === 'detection' && <DetectionChips polygonId={p.id} />}
        <Evidence polygonId={p.id} photos={photosOf(p.events)} />
        <section className="card">
          <h3>{t('actions')}</h3>
          <Actions polygon={p} actions={actions} onDone={() => setReload((n) => n + 1)} />
        </section>
        <Documents
          polygon={p}
          state={actions !== null && actions !== 'unavailable' ? actions.state : undefined}
        />
        <CasePaper polygonId={p.id} />
        <section className="card">
          <h3>{t('record')}</h3>
          {p.events.length === 0 && <p className="muted">{t('noEvents')}</p>}
          <Timeline polygon={p} choices={actionsChoices(actions)} />
        </section>
      </div>
    </div>
  );
}

const stateOf = (a: ActionsReply | 'unavailable' | null) =>
  a !== null && a !== 'unavailable' ? a.state : undefined;
const actionsChoices = (a: ActionsReply | 'unavailable' | null) =>
  a !== null && a !== 'unavailable' ? (a.choices ?? {}) : {};

/** The actions the state machine offers this user now; each opens a form built from its input schema. */
function Actions({
  polygon,
  actions,
  onDone,
}: {
  polygon: Detail;
  actions: ActionsReply | 'unavailable' | null;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState<CaseAction | null>(null);
  if (actions === null) return <p className="muted">{t('loading')}</p>;
  if (actions === 'unavailable') return <p className="muted">{t('actionsUnavailable')}</p>;
  const publish = polygon.status === 'closed' ? <Publish polygon={polygon} /> : null;
  if (!actions.actions.length) return publish ?? <p className="muted">{t('noActions')}</p>;
  const version = actions.state?.version ?? polygon.version;
  return (
    <div className="actions" data-testid="actions">
      {publish}
      {actions.actions.map((a) => (
        <button
          key={a.action}
          data-action={a.action}
          className={open?.action === a.action ? 'active' : ''}
          onClick={() => setOpen(a)}
        >
          {a.form.label[lang]}
        </button>
      ))}
      {open && (
        <ActionForm
          key={open.action}
          action={open}
          version={version}
          photos={photosOf(polygon.events)}
          onCancel={() => setOpen(null)}
          onSubmit={async (input) => {
            await api.post(`/api/polygons/${polygon.id}/transitions`, {
              action: open.action,
              input,
            });
            setOpen(null);
            onDone();
          }}
        />
      )}
    </div>
  );
}

/** The documents a case has produced, by number (approval, stop order, case, decision, transfers), and the record itself. */
function Documents({ polygon, state }: { polygon: Detail; state?: Record<string, unknown> }) {
  const { t } = useI18n();
  const get = (fact: string, field: string) =>
    (state?.[fact] as Record<string, unknown> | undefined)?.[field] as string | undefined;
  const docs: [string, string | undefined][] = [
    ['doc_approval', get('determination', 'approvalDocNo')],
    ['doc_stop', get('stop', 'orderNo')],
    ['doc_case', get('caseFile', 'caseNo')],
    [
      'doc_listing',
      (get('caseFile', 'listing') as unknown as { docNo?: string } | undefined)?.docNo,
    ],
    ['doc_investigation', get('decision', 'investigationReportNo')],
    ['doc_decision', get('decision', 'decisionNo')],
    ...((state?.transfers as { docNo: string; to: string }[] | undefined) ?? []).map(
      (x): [string, string] => [`doc_transfer_${x.to}`, x.docNo],
    ),
  ];
  const present = docs.filter(([, v]) => v);
  return (
    <section className="card" data-testid="documents">
      <h3>{t('documents')}</h3>
      {present.length === 0 && <p className="muted">{t('noDocuments')}</p>}
      <dl>
        {present.map(([k, v]) => (
          <div key={k}>
            <dt>{t(k)}</dt>
            <dd data-doc={k}>{v}</dd>
          </div>
        ))}
      </dl>
      <p>
        <a
          href={`/api/polygons/${polygon.id}`}
          target="_blank"
          rel="noreferrer"
          data-testid="record-json"
        >
          {t('recordJson')}
        </a>
      </p>
    </section>
  );
}

/** 执法公示 of a closed case (personal data masked by the server); refused with its reason otherwise. */
function Publish({ polygon }: { polygon: Detail }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'done' | string>('idle');
  return (
    <div className="actions">
      <button
        data-action="publish"
        disabled={state === 'done'}
        onClick={() =>
          api.post(`/api/polygons/${polygon.id}/publish`).then(
            () => setState('done'),
            (e: Error) => setState(e.message),
          )
        }
      >
        {t('publish')}
      </button>{' '}
      {state === 'done' && <span data-testid="published">{t('published')}</span>}
      {state !== 'idle' && state !== 'done' && <span className="error">{state}</span>}
    </div>
  );
}
