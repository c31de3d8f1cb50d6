import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { api, type BBox } from '../api.ts';
import { ringsBBox, ringsOf, showArea, type Ring } from '../map/area-filter.ts';
import { bboxBounds, GengbaoMap } from '../map/gengbao-map.tsx';
import { mapStyle } from '../map/style.ts';
import { useSanctionsText, type SanctionsKey } from './sanctions-text.ts';
import { FilePicker } from '../file-picker.tsx';

export type Duty = {
  id: number;
  kind: 'quota_deduction' | 'pbf_redesignation';
  polygonId: number;
  polygonCode: string;
  countyCode: string;
  year: number;
  mu: number;
  dueDate: string | null;
  status: 'open' | 'done';
};
type Replacement = { id: number; areaMu: number; farmlandMu: number; registeredAt: string };
type Check = {
  accepted: boolean;
  farmlandMu: number;
  requiredMu: number;
  parcels: {
    index: number;
    areaMu: number;
    farmlandMu: number;
    pbfMu: number;
    problems: string[];
  }[];
  problems: string[];
  messages: string[];
};

const closed = (r: Ring): Ring =>
  r.length && (r[0][0] !== r[r.length - 1][0] || r[0][1] !== r[r.length - 1][1]) ? [...r, r[0]] : r;

/**
 * 补划 of one duty: the parcels drawn on the map or uploaded (GeoJSON, one polygon each), sent
 * to the server, which verifies them with 套合 (farmland, not yet PBF, not overlapping, enough
 * 亩). Its verdict is shown parcel by parcel in the page's language; accepted parcels are
 * registered and the duty is done, refused ones are not stored.
 */
export function ReplacementPanel(props: { duty: Duty; onDone: () => void; onClose: () => void }) {
  const t = useSanctionsText();
  const { duty } = props;
  const [home, setHome] = useState<BBox | null>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [parcels, setParcels] = useState<Ring[]>([]);
  const [drawing, setDrawing] = useState(false);
  const [check, setCheck] = useState<Check | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [registered, setRegistered] = useState<Replacement[]>([]);
  const [status, setStatus] = useState(duty.status);
  const [busy, setBusy] = useState(false);
  const drawn = useRef<Ring>([]);

  useEffect(() => {
    api.get<{ bbox: BBox | null }>(`/api/jurisdictions/${duty.countyCode}`).then(
      (j) => setHome(j.bbox ?? [110, 34, 115, 37]),
      () => setHome([110, 34, 115, 37]),
    );
    api.get<{ replacements: Replacement[] }>(`/api/oversight/duties/${duty.id}`).then(
      (r) => setRegistered(r.replacements),
      () => setRegistered([]),
    );
  }, [duty.id, duty.countyCode]);

  useEffect(() => {
    if (!map) return;
    showArea(map, parcels);
    if (parcels.length) map.fitBounds(bboxBounds(ringsBBox(parcels)), { padding: 60, maxZoom: 17 });
  }, [map, parcels]);

  useEffect(() => {
    if (!map || !drawing) return;
    drawn.current = [];
    map.doubleClickZoom.disable();
    map.getCanvas().style.cursor = 'crosshair';
    const click = (e: MapMouseEvent) => {
      drawn.current.push([e.lngLat.lng, e.lngLat.lat]);
      showArea(map, [...parcels, drawn.current]);
    };
    const dbl = (e: MapMouseEvent) => {
      e.preventDefault();
      setDrawing(false);
      if (drawn.current.length >= 3) setParcels((p) => [...p, [...drawn.current]]);
    };
    map.on('click', click);
    map.on('dblclick', dbl);
    return () => {
      map.off('click', click);
      map.off('dblclick', dbl);
      map.getCanvas().style.cursor = '';
      setTimeout(() => map.doubleClickZoom.enable(), 0);
    };
  }, [map, drawing, parcels]);

  const upload = async (f: File) => {
    const rings = ringsOf(JSON.parse(await f.text()));
    if (!rings.length) return;
    setParcels((p) => [...p, ...rings]);
  };

  const submit = async () => {
    setError(null);
    setCheck(null);
    if (!parcels.length) return setError(t('needParcel'));
    setBusy(true);
    try {
      // fetch, not api.post: a refusal carries the overlay's verdict in error.details.
      const res = await fetch(`/api/oversight/duties/${duty.id}/replacements`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          parcels: parcels.map((r) => ({
            geometry: { type: 'Polygon', coordinates: [closed(r)] },
          })),
        }),
      });
      const body = await res.json();
      if (res.ok) {
        setCheck(body.check);
        setRegistered(body.replacements);
        setStatus('done');
        setParcels([]);
        props.onDone();
      } else {
        setError(body.error?.message ?? res.statusText);
        if (body.error?.details?.parcels) setCheck(body.error.details as Check);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="replacement-panel" data-testid="replacement-panel">
      <h3>
        {t('replacementTitle', { code: duty.polygonCode, mu: duty.mu.toFixed(2) })}{' '}
        <button type="button" onClick={props.onClose}>
          ×
        </button>
      </h3>
      {home && (
        <GengbaoMap
          className="replacement-map"
          options={{
            style: mapStyle(),
            bounds: bboxBounds(home),
            fitBoundsOptions: { padding: 20 },
            maxZoom: 19,
          }}
          onMap={setMap}
        />
      )}
      {status === 'open' && (
        <div className="filters">
          {!drawing ? (
            <button type="button" onClick={() => setDrawing(true)} data-testid="draw-parcel">
              {t('drawParcel')}
            </button>
          ) : (
            <span className="muted">{t('drawHint')}</span>
          )}
          <label>
            {t('uploadParcels')}
            <FilePicker
              accept=".geojson,.json"
              data-testid="parcel-file"
              onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])}
            />
          </label>
          <span data-testid="parcel-count">{t('parcels', { n: parcels.length })}</span>
          <button type="button" onClick={() => setParcels([])}>
            {t('clear')}
          </button>
          <button type="button" onClick={submit} disabled={busy} data-testid="submit-parcels">
            {t('submitParcels')}
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {t('refused')}：{error}
        </p>
      )}
      {check && (
        <>
          <h4>{t('verifyResult')}</h4>
          {check.accepted && (
            <p data-testid="replacement-accepted">
              {t('accepted', { farmland: check.farmlandMu, required: check.requiredMu })}
            </p>
          )}
          <table className="table" data-testid="replacement-check">
            <thead>
              <tr>
                <th>{t('parcel')}</th>
                <th>{t('areaMu')}</th>
                <th>{t('farmlandMu')}</th>
                <th>{t('pbfMu')}</th>
                <th>{t('verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {check.parcels.map((p) => (
                <tr key={p.index} className={p.problems.length ? 'overdue' : ''}>
                  <td>{p.index + 1}</td>
                  <td>{p.areaMu}</td>
                  <td>{p.farmlandMu}</td>
                  <td>{p.pbfMu}</td>
                  <td>
                    {p.problems.length
                      ? p.problems.map((x) => t(`p_${x}` as SanctionsKey)).join('，')
                      : t('passed')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {check.problems.map((x) => (
            <p key={x} className="error">
              {t(`p_${x}` as SanctionsKey)}
            </p>
          ))}
        </>
      )}
      {registered.length > 0 && (
        <>
          <h4>{t('registered')}</h4>
          <table className="table" data-testid="replacements">
            <thead>
              <tr>
                <th>{t('parcel')}</th>
                <th>{t('areaMu')}</th>
                <th>{t('farmlandMu')}</th>
                <th>{t('at')}</th>
              </tr>
            </thead>
            <tbody>
              {registered.map((r, i) => (
                <tr key={r.id}>
                  <td>{i + 1}</td>
                  <td>{r.areaMu}</td>
                  <td>{r.farmlandMu}</td>
                  <td>{r.registeredAt.slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
