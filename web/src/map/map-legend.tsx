import { NavigationControl, ScaleControl, type Map as MapLibreMap } from 'maplibre-gl';
import { useState } from 'react';
import { useI18n } from '../i18n.ts';
import { STATUS_COLORS } from '../queues.ts';
import './map-legend.css';
import { REFERENCE_LAYERS } from './style.ts';

/**
 * Zoom buttons, a compass and a metric scale bar on a map (MapLibre's own controls; their
 * tooltips follow the page language through the map's locale where MapLibre has one).
 */
export function addMapControls(map: MapLibreMap): void {
  map.addControl(new NavigationControl({ showCompass: true, visualizePitch: false }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');
}

/**
 * 图例: what each colour on the map means — the 图斑 by status (the same colours as the lists)
 * and the reference layers now shown. Folds away to leave the map clear on a phone.
 */
export function MapLegend({ visible }: { visible: Record<string, boolean> }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(() => window.innerWidth > 760);
  return (
    <section className="map-legend" data-testid="map-legend">
      <button className="link" onClick={() => setOpen(!open)} aria-expanded={open}>
        {lang === 'zh' ? '图例' : 'Legend'} {open ? '▾' : '▸'}
      </button>
      {open && (
        <>
          {visible.polygons !== false && (
            <ul className="legend-status">
              {Object.entries(STATUS_COLORS).map(([s, c]) => (
                <li key={s}>
                  <i style={{ background: c }} /> {t(`st_${s}`)}
                </li>
              ))}
            </ul>
          )}
          <ul className="legend-layers">
            {REFERENCE_LAYERS.filter((r) => visible[r.id]).map((r) => (
              <li key={r.id}>
                <i style={{ background: r.color, opacity: 0.7 }} /> {t(`layer_${r.id}`)}
              </li>
            ))}
            {visible.county && (
              <li>
                <i className="line" style={{ borderColor: '#424242' }} /> {t('layer_county')}
              </li>
            )}
            {visible.township && (
              <li>
                <i className="line" style={{ borderColor: '#757575' }} /> {t('layer_township')}
              </li>
            )}
          </ul>
        </>
      )}
    </section>
  );
}
