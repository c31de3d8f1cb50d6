import { useMemo, type MouseEvent } from 'react';
import type { PublicRegion } from '../../../src/contract/types.ts';

const W = 1000;
const H = 700;

/** Equirectangular projection of the region's box onto the SVG, longitude scaled by cos(latitude). */
function projectionOf(region: PublicRegion) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of region.features) {
    const b = f.properties.bbox;
    if (!b) continue;
    x0 = Math.min(x0, b[0]);
    y0 = Math.min(y0, b[1]);
    x1 = Math.max(x1, b[2]);
    y1 = Math.max(y1, b[3]);
  }
  if (!Number.isFinite(x0)) return null;
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const sc = Math.min(W / ((x1 - x0) * k), H / (y1 - y0));
  return {
    to: (x: number, y: number): [number, number] => [(x - x0) * k * sc, (y1 - y) * sc],
    from: (px: number, py: number): [number, number] => [x0 + px / (k * sc), y1 - py / sc],
  };
}

type Ring = number[][];
function pathOf(
  geometry: { type: string; coordinates: unknown },
  to: (x: number, y: number) => [number, number],
): string {
  const polygons = (
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  ) as Ring[][];
  return polygons
    .map((rings) =>
      rings
        .map(
          (r) =>
            'M' +
            r
              .map((c) =>
                to(c[0], c[1])
                  .map((v) => v.toFixed(1))
                  .join(','),
              )
              .join('L') +
            'Z',
        )
        .join(''),
    )
    .join('');
}

/** The county outlines; a click places the tip (lon, lat) there, shown as a pin. */
export function RegionMap(props: {
  region: PublicRegion | null;
  pin: [number, number] | null;
  onPlace: (lon: number, lat: number) => void;
}) {
  const proj = useMemo(() => (props.region ? projectionOf(props.region) : null), [props.region]);
  const click = (ev: MouseEvent<SVGSVGElement>) => {
    if (!proj) return;
    const svg = ev.currentTarget;
    const pt = svg.createSVGPoint();
    pt.x = ev.clientX;
    pt.y = ev.clientY;
    const p = pt.matrixTransform(svg.getScreenCTM()!.inverse());
    const [lon, lat] = proj.from(p.x, p.y);
    props.onPlace(lon, lat);
  };
  const pin = proj && props.pin ? proj.to(props.pin[0], props.pin[1]) : null;
  return (
    <svg id="map" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="地图 map" onClick={click}>
      {proj &&
        props.region!.features.map((f) =>
          f.geometry ? (
            <path
              key={String(f.id)}
              d={pathOf(f.geometry, proj.to)}
              fill="#dfe9d6"
              stroke="#5b7f56"
              strokeWidth={2}
            >
              <title>{f.properties.name}</title>
            </path>
          ) : null,
        )}
      {pin && (
        <circle
          id="pin"
          cx={pin[0]}
          cy={pin[1]}
          r={9}
          fill="#c62828"
          stroke="#fff"
          strokeWidth={3}
        />
      )}
    </svg>
  );
}
