import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type BBox, type User } from '../api.ts';
import { ringsOf, showArea } from '../map/area-filter.ts';
import { useDrawRing } from '../map/draw-ring.ts';
import { bboxBounds, GengbaoMap } from '../map/gengbao-map.tsx';
import { mapStyle } from '../map/style.ts';
import { linkTo } from '../router.ts';
import { useOversightText } from './oversight-text.ts';
import { FilePicker } from '../file-picker.tsx';
import { usePlaceName } from '../place-name.tsx';

const SOURCES = ['inspectorate', 'media', 'higher_authority', 'manual'] as const;

const base64Of = async (f: File) => {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/**
 * 交办线索: a supervisor (or a province monitor, city reviewer) records a lead handed over by the
 * inspectorate, the media or a higher authority — the outline drawn on the map or uploaded,
 * the document's number, date, issuing body and file. The server places it in its village and
 * opens its case; the county finds it in its queue.
 */
export function LeadPage({ user }: { user: User }) {
  const t = useOversightText();
  const [home, setHome] = useState<BBox | null>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ polygonId: number; code: string; countyCode: string } | null>(
    null,
  );
  // The county the lead went to, by name (never its division code).
  const countyName = usePlaceName(done?.countyCode);
  const [busy, setBusy] = useState(false);
  const { drawing, start: startDrawing, ring, setRing } = useDrawRing(map);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    api.get<{ bbox: BBox | null }>(`/api/jurisdictions/${user.jurisdictionCode}`).then(
      (j) => setHome(j.bbox ?? [110, 34, 115, 37]),
      () => setHome([110, 34, 115, 37]),
    );
  }, [user.jurisdictionCode]);

  const uploadOutline = async (f: File) => {
    const rings = ringsOf(JSON.parse(await f.text()));
    if (!rings.length) return;
    const r = rings[0];
    const open =
      r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1]
        ? r.slice(0, -1)
        : r;
    setRing(open);
    if (map) {
      showArea(map, [open]);
      const xs = open.map((p) => p[0]);
      const ys = open.map((p) => p[1]);
      map.fitBounds(
        bboxBounds([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]),
        { padding: 80, maxZoom: 16 },
      );
    }
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!ring) return setError(t('needOutline'));
    const data = new FormData(form.current!);
    const file = data.get('file') as File | null;
    setBusy(true);
    try {
      const r = await api.post<{ polygonId: number; code: string; countyCode: string }>(
        '/api/leads',
        {
          source: data.get('source'),
          geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] },
          document: {
            docNo: data.get('docNo'),
            docDate: data.get('docDate'),
            issuingBody: data.get('issuingBody'),
            summary: data.get('summary') ?? '',
          },
          ...(file && file.size
            ? { file: { name: file.name, contentBase64: await base64Of(file) } }
            : {}),
        },
      );
      setDone(r);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="map-page lead-page">
      {home && (
        <GengbaoMap
          testMain
          options={{
            style: mapStyle(),
            bounds: bboxBounds(home),
            fitBoundsOptions: { padding: 20 },
            maxZoom: 19,
          }}
          onMap={setMap}
        />
      )}
      <div className="map-panel">
        <form ref={form} onSubmit={submit} className="lead-form" data-testid="lead-form">
          <h3>{t('navLead')}</h3>
          <label>
            {t('leadSource')}
            <select name="source" defaultValue="inspectorate">
              {SOURCES.map((s) => (
                <option key={s} value={s}>
                  {t(`src_${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('docNo')}
            <input name="docNo" required maxLength={200} />
          </label>
          <label>
            {t('docDate')}
            <input name="docDate" type="date" required />
          </label>
          <label>
            {t('issuingBody')}
            <input name="issuingBody" required maxLength={200} />
          </label>
          <label>
            {t('summary')}
            <textarea name="summary" rows={2} maxLength={4000} />
          </label>
          <label>
            {t('docFile')}
            <FilePicker name="file" accept=".pdf,.ofd,.jpg,.jpeg,.png" />
          </label>
          <fieldset>
            <legend>{t('outline')}</legend>
            {!drawing && (
              <button type="button" onClick={startDrawing} data-testid="draw-lead">
                {t('drawOutline')}
              </button>
            )}
            {drawing && <p className="muted">{t('drawHint')}</p>}
            <label>
              {t('uploadOutline')}
              <FilePicker
                accept=".geojson,.json"
                data-testid="lead-outline-file"
                onChange={(e) => e.target.files?.[0] && uploadOutline(e.target.files[0])}
              />
            </label>
            {ring && <p data-testid="lead-outline">{t('outlineReady', { n: ring.length })}</p>}
          </fieldset>
          <button type="submit" disabled={busy} data-testid="lead-submit">
            {t('submitLead')}
          </button>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {done && (
            <p data-testid="lead-done">
              {t('leadCreated', { code: done.code, county: countyName || '…' })}{' '}
              <a {...linkTo(`/polygons/${done.polygonId}`)}>{t('openPolygon')}</a>
            </p>
          )}
        </form>
      </div>
    </div>
  );
}
