import { tr } from './lang.ts';
import type { Task, TaskPackage } from './types.ts';

/** Longitude and latitude of a Web-Mercator tile's corner (x, y at zoom z). */
function tileCorner(x: number, y: number, z: number): [number, number] {
  const n = 2 ** z;
  return [(x / n) * 360 - 180, (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI];
}

/**
 * My tasks drawn as an SVG map: no basemap from a server is needed, so it works with no signal
 * at all. Equirectangular with the longitude scaled by cos(latitude) — true shapes at village
 * scale. Under each downloaded task lie its imagery tiles from the offline package (the after
 * image), so the outline sits on the ground it covers; colour says how close the verify
 * deadline is.
 */
export function taskMap(
  tasks: Task[],
  onPick: (t: Task) => void,
  here?: { lon: number; lat: number },
  now = Date.now(),
  packages?: Map<number, TaskPackage>,
): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'map');
  if (!tasks.length) return svg;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const t of tasks) {
    x0 = Math.min(x0, t.bbox[0]);
    y0 = Math.min(y0, t.bbox[1]);
    x1 = Math.max(x1, t.bbox[2]);
    y1 = Math.max(y1, t.bbox[3]);
  }
  if (here)
    [x0, y0, x1, y1] = [
      Math.min(x0, here.lon),
      Math.min(y0, here.lat),
      Math.max(x1, here.lon),
      Math.max(y1, here.lat),
    ];
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const pad = Math.max((x1 - x0) * k, y1 - y0) * 0.08 + 0.0005;
  const w = (x1 - x0) * k + 2 * pad;
  const h = y1 - y0 + 2 * pad;
  const px = (lon: number) => (((lon - x0) * k + pad) / w) * 1000;
  const py = (lat: number) => ((y1 - lat + pad) / h) * 1000 * (h / w);
  svg.setAttribute('viewBox', `0 0 1000 ${Math.max(200, 1000 * (h / w))}`);
  // A plain ground so the map reads as land, then the imagery of each downloaded task.
  const ground = document.createElementNS(ns, 'rect');
  ground.setAttribute('width', '1000');
  ground.setAttribute('height', String(Math.max(200, 1000 * (h / w))));
  ground.setAttribute('class', 'ground');
  svg.append(ground);
  for (const t of tasks) {
    const pkg = packages?.get(t.id);
    const chip = pkg?.chips.find((c) => c.role === 'after') ?? pkg?.chips[0];
    for (const tile of chip?.tiles ?? []) {
      const [lonA, latA] = tileCorner(tile.x, tile.y, tile.z);
      const [lonB, latB] = tileCorner(tile.x + 1, tile.y + 1, tile.z);
      const img = document.createElementNS(ns, 'image');
      img.setAttribute('href', `data:image/png;base64,${tile.png}`);
      img.setAttribute('x', px(lonA).toFixed(1));
      img.setAttribute('y', py(latA).toFixed(1));
      img.setAttribute('width', (px(lonB) - px(lonA)).toFixed(1));
      img.setAttribute('height', (py(latB) - py(latA)).toFixed(1));
      img.setAttribute('preserveAspectRatio', 'none');
      img.setAttribute('class', 'imagery');
      svg.append(img);
    }
  }
  for (const t of tasks) {
    const polys = t.geometry.type === 'Polygon' ? [t.geometry.coordinates] : t.geometry.coordinates;
    const d = polys
      .flatMap((rings) =>
        rings.map(
          (r) => 'M' + r.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('L') + 'Z',
        ),
      )
      .join('');
    const due = t.deadlines.find((x) => x.kind === 'verify')?.dueAt;
    const days = due ? (Date.parse(due) - now) / 86400_000 : Infinity;
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    path.setAttribute('class', days < 0 ? 'overdue' : days < 2 ? 'soon' : 'ok');
    path.setAttribute('data-code', t.code);
    path.addEventListener('click', () => onPick(t));
    const title = document.createElementNS(ns, 'title');
    title.textContent = `${t.code}${due ? ` · ${tr('截止', 'due')} ${due.slice(0, 10)}` : ''}`;
    path.append(title);
    // a marker keeps tiny polygons findable at this scale
    const c = document.createElementNS(ns, 'circle');
    c.setAttribute('cx', px((t.bbox[0] + t.bbox[2]) / 2).toFixed(1));
    c.setAttribute('cy', py((t.bbox[1] + t.bbox[3]) / 2).toFixed(1));
    c.setAttribute('r', '9');
    c.setAttribute('class', path.getAttribute('class')!);
    c.addEventListener('click', () => onPick(t));
    svg.append(path, c);
  }
  if (here) {
    const me = document.createElementNS(ns, 'circle');
    me.setAttribute('cx', px(here.lon).toFixed(1));
    me.setAttribute('cy', py(here.lat).toFixed(1));
    me.setAttribute('r', '7');
    me.setAttribute('class', 'me');
    svg.append(me);
  }
  return svg;
}

/** Web-Mercator pixel position of a lon/lat at zoom z (256-pixel tiles, the XYZ scheme). */
function mercatorPx(lon: number, lat: number, z: number): [number, number] {
  const n = 256 * 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [
    ((lon + 180) / 360) * n,
    ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n,
  ];
}

/**
 * One imagery chip from the offline package: its tiles laid out in Web-Mercator pixels with the
 * 图斑 outline on top, cropped to the polygon and a margin.
 */
export function chipView(
  chip: { tiles: { z: number; x: number; y: number; png: string }[] },
  geometry: Task['geometry'],
): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'chip');
  const z = chip.tiles[0]?.z ?? 17;
  for (const t of chip.tiles) {
    const img = document.createElementNS(ns, 'image');
    img.setAttribute('href', `data:image/png;base64,${t.png}`);
    img.setAttribute('x', String(t.x * 256));
    img.setAttribute('y', String(t.y * 256));
    img.setAttribute('width', '256');
    img.setAttribute('height', '256');
    svg.append(img);
  }
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const pts = polys.flat(2).map(([lon, lat]) => mercatorPx(lon, lat, z));
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const m = 40;
  const [x0, y0] = [Math.min(...xs) - m, Math.min(...ys) - m];
  svg.setAttribute(
    'viewBox',
    `${x0} ${y0} ${Math.max(...xs) + m - x0} ${Math.max(...ys) + m - y0}`,
  );
  const path = document.createElementNS(ns, 'path');
  path.setAttribute(
    'd',
    polys
      .flatMap((rings) =>
        rings.map(
          (r) =>
            'M' +
            r
              .map(([lon, lat]) =>
                mercatorPx(lon, lat, z)
                  .map((v) => v.toFixed(1))
                  .join(','),
              )
              .join('L') +
            'Z',
        ),
      )
      .join(''),
  );
  path.setAttribute('class', 'outline');
  svg.append(path);
  return svg;
}
