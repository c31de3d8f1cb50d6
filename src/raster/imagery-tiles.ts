import { PNG } from 'pngjs';
import { fromLonLat } from './crs.ts';
import { openScene, type RasterScene } from './scene-source.ts';
import { tileLat, tileLon, type TileAddress } from '../geo/tile-math.ts';

/** Output tile size in pixels (the XYZ convention MapLibre raster sources expect). */
export const TILE_SIZE = 256;
/** Longest side of the in-memory overview used for zoomed-out tiles. */
const OVERVIEW_MAX = 1024;
/** Rows read per window while building the overview: bounded memory whatever the scene size. */
const STRIP_ROWS = 256;
/** Percentile stretch limits (2 %–98 %): the usual "linear 2 %" display stretch of GIS viewers. */
const LOW_PCT = 0.02;
const HIGH_PCT = 0.98;

/** Three bands shown as R, G, B, plus the low/high of each band's stretch. */
interface Display {
  bands: [string, string, string];
  low: [number, number, number];
  high: [number, number, number];
}

/** A decimated copy of the display bands (nearest neighbour), `factor` source pixels per overview pixel. */
interface Overview {
  factor: number;
  width: number;
  height: number;
  rgb: [Float32Array, Float32Array, Float32Array];
}

interface OpenedScene {
  scene: RasterScene;
  display: Display;
  overview: Overview;
}

/**
 * Picks the true-colour bands: 3,2,1 of a 4-band blue-green-red-NIR file (the demo and most
 * satellite products), B04/B03/B02 of a Sentinel-2 band folder, else the first three.
 */
export function displayBands(names: string[]): [string, string, string] {
  const has = (...n: string[]) => n.every((x) => names.includes(x));
  if (has('3', '2', '1')) return ['3', '2', '1'];
  if (has('B04', 'B03', 'B02')) return ['B04', 'B03', 'B02'];
  if (has('B4', 'B3', 'B2')) return ['B4', 'B3', 'B2'];
  const [a, b = a, c = a] = names;
  return [a, b, c];
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * The stretch's low and high of one band: one sort for both percentiles, the valid samples
 * copied by a plain loop. Float32Array.filter with a callback took 1 s per 1024² band; with a
 * filter and a sort per percentile, six in all, the first GET /api/imagery after a start held
 * the server's event loop 4.8 s (7.7 s with no answer to anyone at load 10), now 0.5 s.
 */
async function stretchOf(values: Float32Array, nodata: number | null): Promise<[number, number]> {
  await yieldToEventLoop();
  const kept = new Float32Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && v !== nodata && v !== 0) kept[n++] = v;
  }
  const valid = kept.subarray(0, n).sort();
  if (!valid.length) return [0, 0];
  const at = (q: number) =>
    valid[Math.min(valid.length - 1, Math.max(0, Math.floor(q * (valid.length - 1))))];
  return [at(LOW_PCT), at(HIGH_PCT)];
}

async function buildOverview(
  scene: RasterScene,
  bands: [string, string, string],
): Promise<Overview> {
  const { width: W, height: H } = scene.grid;
  const factor = Math.max(1, Math.ceil(Math.max(W, H) / OVERVIEW_MAX));
  const width = Math.ceil(W / factor);
  const height = Math.ceil(H / factor);
  const rgb: [Float32Array, Float32Array, Float32Array] = [
    new Float32Array(width * height),
    new Float32Array(width * height),
    new Float32Array(width * height),
  ];
  for (let y0 = 0; y0 < H; y0 += STRIP_ROWS) {
    const h = Math.min(STRIP_ROWS, H - y0);
    // Built on the server's main thread while it serves others (the first GET /api/imagery
    // starts it, as the first map's tiles are asked for): each strip, and each band's
    // stretch below, gives way to the requests waiting.
    await yieldToEventLoop();
    const strip = await scene.readBands(bands, { x0: 0, y0, width: W, height: h });
    for (let r = y0 % factor === 0 ? 0 : factor - (y0 % factor); r < h; r += factor) {
      const oy = (y0 + r) / factor;
      for (let ox = 0; ox < width; ox++)
        for (let b = 0; b < 3; b++) rgb[b][oy * width + ox] = strip[b][r * W + ox * factor];
    }
  }
  return { factor, width, height, rgb };
}

/**
 * Renders XYZ tiles of stored GeoTIFF/COG scenes as RGB PNGs. Zoomed-in tiles are windowed
 * reads of the full-resolution bands; zoomed-out ones sample an overview built once per scene
 * (the files carry no internal overviews, and reading a whole scene per tile would not keep
 * up). Scenes stay open between tiles; the stretch is computed once, from the overview.
 */
export class ImageryTiler {
  private readonly opened = new Map<string, Promise<OpenedScene>>();

  private open(uri: string): Promise<OpenedScene> {
    let p = this.opened.get(uri);
    if (!p) {
      p = (async () => {
        const scene = await openScene(uri);
        const bands = displayBands(scene.bandNames);
        const overview = await buildOverview(scene, bands);
        const stretch: [number, number][] = [];
        for (const v of overview.rgb) stretch.push(await stretchOf(v, scene.nodata));
        const display: Display = {
          bands,
          low: [stretch[0][0], stretch[1][0], stretch[2][0]],
          high: [stretch[0][1], stretch[1][1], stretch[2][1]],
        };
        return { scene, display, overview };
      })();
      p.catch(() => this.opened.delete(uri));
      this.opened.set(uri, p);
    }
    return p;
  }

  /**
   * Opens a scene and builds its overview ahead of its first tile (a few seconds for a
   * township-sized scene), so the map does not wait on it. Failures surface on the tile request.
   */
  prepare(uri: string): void {
    this.open(uri).catch(() => undefined);
  }

  /** Closes every open scene (server shutdown). */
  async close(): Promise<void> {
    const all = [...this.opened.values()];
    this.opened.clear();
    await Promise.all(
      all.map((p) =>
        p.then(
          (o) => o.scene.close(),
          () => undefined,
        ),
      ),
    );
  }

  /**
   * The PNG of tile `t` of the scene at `uri`, or null when the tile does not touch the scene.
   * Pixels outside the scene or on nodata are transparent.
   */
  async render(uri: string, t: TileAddress): Promise<Buffer | null> {
    const { scene, display, overview } = await this.open(uri);
    const g = scene.grid;
    const toCrs = g.crs.geographic ? null : fromLonLat(g.crs);
    // Source pixel (fractional) of every output pixel centre.
    const cols = new Float64Array(TILE_SIZE * TILE_SIZE);
    const rows = new Float64Array(TILE_SIZE * TILE_SIZE);
    let minC = Infinity,
      minR = Infinity,
      maxC = -Infinity,
      maxR = -Infinity;
    for (let j = 0; j < TILE_SIZE; j++) {
      const lat = tileLat(t.y + (j + 0.5) / TILE_SIZE, t.z);
      for (let i = 0; i < TILE_SIZE; i++) {
        const lon = tileLon(t.x + (i + 0.5) / TILE_SIZE, t.z);
        const [X, Y] = toCrs ? toCrs(lon, lat) : [lon, lat];
        const c = (X - g.originX) / g.pixelWidth;
        const r = (g.originY - Y) / g.pixelHeight;
        cols[j * TILE_SIZE + i] = c;
        rows[j * TILE_SIZE + i] = r;
        if (c >= 0 && c < g.width && r >= 0 && r < g.height) {
          if (c < minC) minC = c;
          if (c > maxC) maxC = c;
          if (r < minR) minR = r;
          if (r > maxR) maxR = r;
        }
      }
    }
    if (minC === Infinity) return null;
    // Source pixels per output pixel along x: above the overview factor / 2, the overview is as sharp as the tile can show.
    const spp = Math.abs(cols[1] - cols[0]);
    let sample: (c: number, r: number, b: number) => number;
    if (spp >= overview.factor / 2 && overview.factor > 1) {
      const f = overview.factor;
      sample = (c, r, b) =>
        overview.rgb[b][
          Math.min(overview.height - 1, Math.floor(r / f)) * overview.width +
            Math.min(overview.width - 1, Math.floor(c / f))
        ];
    } else {
      const x0 = Math.floor(minC),
        y0 = Math.floor(minR);
      const width = Math.floor(maxC) - x0 + 1,
        height = Math.floor(maxR) - y0 + 1;
      const data = await scene.readBands(display.bands, { x0, y0, width, height });
      sample = (c, r, b) => data[b][(Math.floor(r) - y0) * width + (Math.floor(c) - x0)];
    }
    const png = new PNG({ width: TILE_SIZE, height: TILE_SIZE });
    const out = png.data;
    for (let k = 0; k < TILE_SIZE * TILE_SIZE; k++) {
      const c = cols[k],
        r = rows[k];
      if (!(c >= 0 && c < g.width && r >= 0 && r < g.height)) continue; // alpha stays 0
      let valid = false;
      for (let b = 0; b < 3; b++) {
        const v = sample(c, r, b);
        if (v !== scene.nodata && v !== 0) valid = true;
        const span = display.high[b] - display.low[b] || 1;
        out[k * 4 + b] = Math.max(
          0,
          Math.min(255, Math.round(((v - display.low[b]) / span) * 255)),
        );
      }
      out[k * 4 + 3] = valid ? 255 : 0;
    }
    return PNG.sync.write(png);
  }
}
