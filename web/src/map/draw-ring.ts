import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { showArea, type Ring } from './area-filter.ts';

/**
 * Drawing one outline on a map: click adds a vertex, double-click ends (three vertices or
 * more make the ring). Shown with the area-filter layers, so it looks like every drawn area.
 */
export function useDrawRing(map: MapLibreMap | null) {
  const [drawing, setDrawing] = useState(false);
  const [ring, setRing] = useState<Ring | null>(null);
  const drawn = useRef<Ring>([]);
  useEffect(() => {
    if (!map || !drawing) return;
    drawn.current = [];
    map.doubleClickZoom.disable();
    map.getCanvas().style.cursor = 'crosshair';
    const click = (e: MapMouseEvent) => {
      drawn.current.push([e.lngLat.lng, e.lngLat.lat]);
      showArea(map, [drawn.current]);
    };
    const dbl = (e: MapMouseEvent) => {
      e.preventDefault();
      setDrawing(false);
      if (drawn.current.length >= 3) setRing([...drawn.current]);
    };
    map.on('click', click);
    map.on('dblclick', dbl);
    return () => {
      map.off('click', click);
      map.off('dblclick', dbl);
      map.getCanvas().style.cursor = '';
      setTimeout(() => map.doubleClickZoom.enable(), 0);
    };
  }, [map, drawing]);
  const clear = () => {
    setRing(null);
    if (map) showArea(map, []);
  };
  // setRing: an outline that came another way (an uploaded file) stands in for a drawn one.
  return { drawing, start: () => setDrawing(true), ring, setRing, clear };
}

/** Points of leads (tips, camera alarms) as circles, the selected one larger and ringed. */
export function showLeadPoints(
  map: MapLibreMap,
  points: { id: number; lon: number; lat: number; status: string }[],
  selected: number | null,
): void {
  const data: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: points.map((p) => ({
      type: 'Feature',
      properties: { id: p.id, status: p.status, selected: p.id === selected },
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
    })),
  };
  const src = map.getSource('leads') as GeoJSONSource | undefined;
  if (src) {
    src.setData(data);
    return;
  }
  map.addSource('leads', { type: 'geojson', data });
  map.addLayer({
    id: 'leads-dot',
    type: 'circle',
    source: 'leads',
    paint: {
      'circle-color': [
        'match',
        ['get', 'status'],
        'received',
        '#e65100',
        'accepted',
        '#2e7d32',
        '#757575',
      ],
      'circle-radius': ['case', ['get', 'selected'], 9, 5],
      'circle-stroke-color': ['case', ['get', 'selected'], '#0d47a1', '#ffffff'],
      'circle-stroke-width': ['case', ['get', 'selected'], 3, 1],
    },
  });
}
