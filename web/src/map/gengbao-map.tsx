import {
  LngLatBounds,
  Map as MapLibreMap,
  prewarm,
  setWorkerUrl,
  type MapOptions,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import type { BBox, Imagery } from '../api.ts';
import { useI18n } from '../i18n.ts';

// The worker is bundled into web/dist/assets like everything else (MapLibre 6 would otherwise
// look for it beside its own module file, which bundling renames).
setWorkerUrl(new URL(workerUrl, location.href).href);
// Workers started (and their 0.5 MB script fetched and compiled) while the login page shows,
// not after the login: the first map asks for tiles as soon as it exists (bench:first-map).
prewarm();

declare global {
  interface Window {
    /** The main map, for the browser tests (queryRenderedFeatures, idle). */
    __gengbaoMap?: MapLibreMap;
  }
}

export const imagerySourceId = (img: Imagery) => `imagery-${img.id}`;

/** Adds an imagery raster layer under every vector layer (just above the background). */
export function addImageryLayer(map: MapLibreMap, img: Imagery, visible: boolean): void {
  const id = imagerySourceId(img);
  if (map.getSource(id)) return;
  const bounds = img.bbox ?? undefined;
  map.addSource(id, {
    type: 'raster',
    tiles: [location.origin + img.tiles],
    tileSize: 256,
    bounds,
    minzoom: 10,
    maxzoom: 18,
  });
  const firstVector = map.getStyle().layers.find((l) => l.id !== 'background')?.id;
  map.addLayer(
    { id, type: 'raster', source: id, layout: { visibility: visible ? 'visible' : 'none' } },
    firstVector,
  );
}

export const bboxBounds = (b: BBox) => new LngLatBounds([b[0], b[1]], [b[2], b[3]]);

/**
 * A MapLibre map in a div. `options.style` is required; `onMap` receives the map once its
 * style has loaded. The map is removed when the component unmounts.
 */
export function GengbaoMap({
  options,
  onMap,
  className,
  testMain,
}: {
  options: Omit<MapOptions, 'container'>;
  onMap?: (m: MapLibreMap) => void;
  className?: string;
  testMain?: boolean;
}) {
  const div = useRef<HTMLDivElement>(null);
  const { lang } = useI18n();
  useEffect(() => {
    const map = new MapLibreMap({
      ...options,
      container: div.current!,
      attributionControl: false,
      fadeDuration: 0,
    });
    if (testMain) window.__gengbaoMap = map;
    map.on('load', () => onMap?.(map));
    return () => {
      if (window.__gengbaoMap === map) delete window.__gengbaoMap;
      map.remove();
    };
    // The map is created once per mount; options changes are applied by the owner through the map.
  }, []);
  return <div ref={div} className={className ?? 'map'} lang={lang} />;
}

/**
 * Swipe compare: a second map showing `before` over the main map, clipped to the left of a
 * draggable divider and moving with the main map. The main map shows the after image.
 */
export function SwipeCompare({
  main,
  before,
  extraStyle,
}: {
  main: MapLibreMap;
  before: Imagery;
  extraStyle?: (m: MapLibreMap) => void;
}) {
  const { t } = useI18n();
  const [pos, setPos] = useState(0.5);
  const holder = useRef<HTMLDivElement>(null);
  const div = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const overlay = new MapLibreMap({
      container: div.current!,
      style: {
        version: 8,
        sources: {},
        layers: [
          { id: 'background', type: 'background', paint: { 'background-color': '#f3f1ea' } },
        ],
      },
      center: main.getCenter(),
      zoom: main.getZoom(),
      interactive: false,
      attributionControl: false,
      fadeDuration: 0,
    });
    overlay.on('load', () => {
      addImageryLayer(overlay, before, true);
      extraStyle?.(overlay);
    });
    const sync = () =>
      overlay.jumpTo({
        center: main.getCenter(),
        zoom: main.getZoom(),
        bearing: main.getBearing(),
        pitch: main.getPitch(),
      });
    main.on('move', sync);
    const ro = new ResizeObserver(() => overlay.resize());
    ro.observe(main.getContainer());
    return () => {
      main.off('move', sync);
      ro.disconnect();
      overlay.remove();
    };
  }, [main, before, extraStyle]);
  const drag = (e: React.PointerEvent) => {
    const box = holder.current!.getBoundingClientRect();
    const move = (ev: PointerEvent) =>
      setPos(Math.min(1, Math.max(0, (ev.clientX - box.left) / box.width)));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    e.preventDefault();
  };
  return (
    <div className="swipe" ref={holder}>
      <div
        ref={div}
        className="swipe-map"
        style={{ clipPath: `inset(0 ${(1 - pos) * 100}% 0 0)` }}
      />
      <div
        className="swipe-bar"
        style={{ left: `${pos * 100}%` }}
        onPointerDown={drag}
        title={t('swipeHint')}
        data-testid="swipe-bar"
      >
        <span className="swipe-label left">{t('before')}</span>
        <span className="swipe-label right">{t('after')}</span>
      </div>
    </div>
  );
}
