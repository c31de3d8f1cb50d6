import {
  Popup,
  type FilterSpecification,
  type LngLat,
  type Map as MapLibreMap,
  type MapGeoJSONFeature,
  type MapMouseEvent,
} from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, qs, type BBox, type Imagery, type Polygon, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { pointInRing, ringsBBox, ringsOf, showArea, type Ring } from '../map/area-filter.ts';
import {
  addImageryLayer,
  bboxBounds,
  GengbaoMap,
  imagerySourceId,
  SwipeCompare,
} from '../map/gengbao-map.tsx';
import { addMapControls, MapLegend } from '../map/map-legend.tsx';
import { LAYER_GROUPS, mapStyle } from '../map/style.ts';
import { linkTo, navigate } from '../router.ts';
import { FilePicker } from '../file-picker.tsx';

/** Shows only the 图斑 with these ids (an area filter), or all of them again with `null`. */
function filterPolygons(map: MapLibreMap, ids: number[] | null): void {
  for (const layer of ['polygons-fill', 'polygons-line', 'polygons-dot']) {
    const type = ['==', ['geometry-type'], layer === 'polygons-dot' ? 'Point' : 'Polygon'];
    map.setFilter(
      layer,
      (ids
        ? ['all', type, ['in', ['get', 'id'], ['literal', ids]]]
        : type) as unknown as FilterSpecification,
    );
  }
}

/** Popup body built as DOM text (codes come from imported data: never parse them as HTML). */
function popupContent(title: string, line: string): HTMLElement {
  const div = document.createElement('div');
  const b = document.createElement('b');
  b.textContent = title;
  div.append(b, document.createElement('br'), line);
  return div;
}

interface Hit {
  kind: 'polygon' | 'jurisdiction';
  id: string;
  label: string;
  detail: string;
  bbox: BBox | null;
}

/** The one map: imagery, reference layers, boundaries and 图斑 of the user's jurisdiction. */
export function MapPage({ user, query }: { user: User; query: URLSearchParams }) {
  const i18n = useI18n();
  const { t, mu } = i18n;
  // The hover popup is wired once per map; it reads the current language through this ref.
  const i18nRef = useRef(i18n);
  i18nRef.current = i18n;
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [home, setHome] = useState<BBox | null>(null);
  const [visible, setVisible] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(LAYER_GROUPS.map((g) => [g.id, g.visible])),
  );
  const [imagery, setImagery] = useState<Imagery[]>([]);
  const [imageryOn, setImageryOn] = useState(true);
  const [compare, setCompare] = useState(false);
  const [area, setArea] = useState<Ring[] | null>(null);
  const [inArea, setInArea] = useState<Polygon[] | null>(null);
  const [drawing, setDrawing] = useState(false);
  const focus = query.get('focus');

  const [polygonCount, setPolygonCount] = useState<number | null>(null);
  useEffect(() => {
    // The first view: where the 图斑 of my scope are (a province is far larger than the
    // counties with work in it), else my jurisdiction's outline.
    // The outline (with its geometry) is read only when there are no 图斑 to frame.
    api
      .get<{ bbox: BBox | null; count: number }>('/api/polygons/extent')
      .catch(() => null)
      .then(async (extent) => {
        setPolygonCount(extent?.count ?? null);
        const j = extent?.bbox
          ? null
          : await api
              .get<{ bbox: BBox | null }>(`/api/jurisdictions/${user.jurisdictionCode}`)
              .catch(() => null);
        setHome(extent?.bbox ?? j?.bbox ?? [110, 34, 115, 37]);
      });
    api.getAll<Imagery>('/api/imagery').then(
      (items) => setImagery(items),
      () => setImagery([]),
    );
  }, [user.jurisdictionCode]);

  const onMap = useCallback((m: MapLibreMap) => {
    setMap(m);
    addMapControls(m);
    // Readiness for tests and bench:first-map: the first 'idle' (every tile loaded and drawn)
    // once the 图斑 layer has drawn features marks the container and the performance timeline.
    const drawn = () => {
      if (!m.queryRenderedFeatures({ layers: ['polygons-fill', 'polygons-dot'] }).length) return;
      m.off('idle', drawn);
      performance.mark('gengbao:polygons-drawn');
      m.getContainer().dataset.polygonsDrawn = 'true';
    };
    m.on('idle', drawn);
    m.on('click', 'polygons-fill', (e) => openFeature(e.features?.[0]));
    m.on('click', 'polygons-dot', (e) => openFeature(e.features?.[0]));
    let hovered: number | string | undefined;
    const popup = new Popup({ closeButton: false, closeOnClick: false, className: 'hover-popup' });
    const hover = (e: { features?: MapGeoJSONFeature[]; lngLat: LngLat }) => {
      const f = e.features?.[0];
      m.getCanvas().style.cursor = f ? 'pointer' : '';
      if (hovered !== undefined)
        m.setFeatureState(
          { source: 'polygons', sourceLayer: 'polygons', id: hovered },
          { hover: false },
        );
      hovered = f?.id;
      if (f && hovered !== undefined)
        m.setFeatureState(
          { source: 'polygons', sourceLayer: 'polygons', id: hovered },
          { hover: true },
        );
      if (f)
        popup
          .setLngLat(e.lngLat)
          .setDOMContent(
            popupContent(
              String(f.properties.code),
              `${i18nRef.current.t(`st_${f.properties.status}`)} · ${i18nRef.current.mu(Number(f.properties.areaMu))} ${i18nRef.current.t('mu')}`,
            ),
          )
          .addTo(m);
      else popup.remove();
    };
    for (const layer of ['polygons-fill', 'polygons-dot']) {
      m.on('mousemove', layer, hover);
      m.on('mouseleave', layer, () => {
        hover({ lngLat: m.getCenter() });
      });
    }
  }, []);

  // Re-render the hover popup in the current language is not needed: it shows codes and numbers.
  const openFeature = (f?: MapGeoJSONFeature) => {
    if (f?.properties?.id != null) navigate(`/polygons/${f.properties.id}`);
  };

  useEffect(() => {
    if (!map) return;
    for (const g of LAYER_GROUPS)
      for (const l of g.layers)
        if (map.getLayer(l))
          map.setLayoutProperty(l, 'visibility', visible[g.id] ? 'visible' : 'none');
  }, [map, visible]);

  const after = imagery.find((i) => i.role === 'after') ?? imagery[imagery.length - 1];
  const before =
    imagery.find((i) => i.role === 'before') ?? (imagery.length > 1 ? imagery[0] : undefined);
  useEffect(() => {
    if (!map || !after) return;
    addImageryLayer(map, after, imageryOn);
    map.setLayoutProperty(imagerySourceId(after), 'visibility', imageryOn ? 'visible' : 'none');
  }, [map, after, imageryOn]);

  useEffect(() => {
    if (!map) return;
    const b = focus?.split(',').map(Number);
    if (b && b.length === 4 && b.every(Number.isFinite))
      map.fitBounds(bboxBounds(b as BBox), { padding: 80, maxZoom: 17, duration: 0 });
  }, [map, focus]);

  const applyArea = useCallback(
    async (rings: Ring[]) => {
      setArea(rings);
      if (!map) return;
      showArea(map, rings);
      const bbox = ringsBBox(rings);
      const items = await api.getAll<Polygon>(
        `/api/polygons${qs({ bbox: bbox.map((v) => v.toFixed(7)).join(','), limit: 1000 })}`,
      );
      const inside = items.filter((p) => {
        const c: [number, number] = [(p.bbox[0] + p.bbox[2]) / 2, (p.bbox[1] + p.bbox[3]) / 2];
        return rings.some((ring) => pointInRing(c, ring));
      });
      setInArea(inside);
      filterPolygons(
        map,
        inside.map((p) => p.id),
      );
      map.fitBounds(bboxBounds(bbox), { padding: 60, duration: 0 });
    },
    [map],
  );

  const clearArea = () => {
    setArea(null);
    setInArea(null);
    if (!map) return;
    showArea(map, []);
    filterPolygons(map, null);
  };

  // Drawing: click adds a vertex, double-click closes the ring.
  const drawRing = useRef<Ring>([]);
  useEffect(() => {
    if (!map || !drawing) return;
    drawRing.current = [];
    map.doubleClickZoom.disable();
    map.getCanvas().style.cursor = 'crosshair';
    const click = (e: MapMouseEvent) => {
      drawRing.current.push([e.lngLat.lng, e.lngLat.lat]);
      showArea(map, [drawRing.current]);
    };
    const dbl = (e: MapMouseEvent) => {
      e.preventDefault();
      setDrawing(false);
      if (drawRing.current.length >= 3) applyArea([drawRing.current]);
    };
    map.on('click', click);
    map.on('dblclick', dbl);
    return () => {
      map.off('click', click);
      map.off('dblclick', dbl);
      map.getCanvas().style.cursor = '';
      setTimeout(() => map.doubleClickZoom.enable(), 0);
    };
  }, [map, drawing, applyArea]);

  const upload = async (file: File) => {
    const rings = ringsOf(JSON.parse(await file.text()));
    if (rings.length) applyArea(rings);
  };

  return (
    <div className="map-page">
      {home && (
        <GengbaoMap
          testMain
          options={{
            style: mapStyle(),
            bounds: bboxBounds(home),
            fitBoundsOptions: { padding: 20, maxZoom: 16 },
            maxZoom: 19,
          }}
          onMap={onMap}
        />
      )}
      {map && compare && before && <SwipeCompare main={map} before={before} />}
      <div className="map-panel">
        <SearchBox map={map} />
        {polygonCount === 0 && (
          <p className="map-hint" data-testid="map-hint">
            {i18n.lang === 'zh' ? '本辖区暂无图斑' : 'No 图斑 in your jurisdiction yet'}
          </p>
        )}
        <section className="layer-switcher" aria-label={t('layers')}>
          <h3>{t('layers')}</h3>
          {after && (
            <label>
              <input
                type="checkbox"
                checked={imageryOn}
                onChange={(e) => setImageryOn(e.target.checked)}
                data-layer="imagery"
              />{' '}
              {t('layer_imagery_after')} <small>{after.acquiredOn}</small>
            </label>
          )}
          {before && after && (
            <label>
              <input
                type="checkbox"
                checked={compare}
                onChange={(e) => setCompare(e.target.checked)}
                data-layer="compare"
              />{' '}
              {t('compare')} <small>{before.acquiredOn}</small>
            </label>
          )}
          {LAYER_GROUPS.map((g) => (
            <label key={g.id}>
              <input
                type="checkbox"
                checked={visible[g.id]}
                data-layer={g.id}
                onChange={(e) => setVisible({ ...visible, [g.id]: e.target.checked })}
              />{' '}
              {t(`layer_${g.id}`)}
            </label>
          ))}
        </section>
        <MapLegend visible={visible} />
        <section className="area-tools">
          {!drawing && !area && (
            <button onClick={() => setDrawing(true)} data-testid="draw-area">
              {t('drawArea')}
            </button>
          )}
          {drawing && <p className="muted">{t('drawHint')}</p>}
          {area && <button onClick={clearArea}>{t('clearArea')}</button>}
          <label className="upload">
            {t('uploadArea')}
            <FilePicker
              accept=".geojson,.json,application/geo+json"
              onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])}
            />
          </label>
          {inArea && (
            <div className="area-list">
              <h4>
                {t('inArea')}: {inArea.length}
              </h4>
              <ul>
                {inArea.slice(0, 50).map((p) => (
                  <li key={p.id}>
                    <a {...linkTo(`/polygons/${p.id}`)}>{p.code}</a> {mu(p.areaMu)} {t('mu')}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

function SearchBox({ map }: { map: MapLibreMap | null }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  useEffect(() => {
    if (!text.trim()) {
      setHits(null);
      return;
    }
    const timer = setTimeout(() => {
      api.get<{ items: Hit[] }>(`/api/search${qs({ q: text.trim() })}`).then(
        (r) => setHits(r.items),
        () => setHits([]),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [text]);
  const go = (h: Hit) => {
    if (h.kind === 'polygon') navigate(`/polygons/${h.id}`);
    else if (h.bbox && map) map.fitBounds(bboxBounds(h.bbox), { padding: 40, duration: 0 });
    setHits(null);
  };
  return (
    <div className="search">
      <input
        type="search"
        placeholder={t('search')}
        value={text}
        data-testid="search"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && hits?.[0] && go(hits[0])}
      />
      {hits && (
        <ul className="hits">
          {hits.length === 0 && <li className="muted">{t('noResults')}</li>}
          {hits.map((h) => (
            <li key={h.kind + h.id}>
              <button className="link" onClick={() => go(h)}>
                {h.label} <small>{h.kind === 'polygon' ? t(`st_${h.detail}`) : h.detail}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
