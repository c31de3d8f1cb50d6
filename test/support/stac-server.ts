import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of the test STAC server: a body, a status, a redirect, or a body streamed without a length. */
export interface Served {
  status?: number;
  body?: string | Buffer;
  location?: string;
  type?: string;
  /** Send the body in chunks without Content-Length (a catalog lying about nothing). */
  chunked?: boolean;
}

/**
 * A static STAC server on 127.0.0.1 (node:http) for the intake tests: paths mapped to answers,
 * every request counted by path, so a test can say what was fetched and what never was.
 */
export async function stacServer(routes: Record<string, Served | (() => Served)>): Promise<{
  server: Server;
  url: string;
  hits: Map<string, number>;
  close(): Promise<void>;
}> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const r = routes[path];
    const a = typeof r === 'function' ? r() : r;
    if (!a) return void res.writeHead(404).end('not found');
    if (a.location) return void res.writeHead(a.status ?? 302, { location: a.location }).end();
    const body = typeof a.body === 'string' ? Buffer.from(a.body) : (a.body ?? Buffer.alloc(0));
    const type = a.type ?? 'application/json';
    if (a.chunked) {
      res.writeHead(a.status ?? 200, { 'content-type': type });
      for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.subarray(i, i + 64 * 1024));
      return void res.end();
    }
    res
      .writeHead(a.status ?? 200, { 'content-type': type, 'content-length': body.length })
      .end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A STAC item over a lon/lat box with one GeoTIFF asset (and a thumbnail that is never read). */
export function stacItem(
  id: string,
  box: [number, number, number, number],
  href: string,
  props: Record<string, unknown>,
  extraAssets: Record<string, unknown> = {},
): Record<string, unknown> {
  const [x0, y0, x1, y1] = box;
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    stac_extensions: [],
    id,
    bbox: box,
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ],
    },
    properties: props,
    links: [],
    assets: {
      image: {
        href,
        type: 'image/tiff; application=geotiff; profile=cloud-optimized',
        roles: ['data'],
      },
      thumbnail: { href: `${id}.png`, type: 'image/png', roles: ['thumbnail'] },
      ...extraAssets,
    },
  };
}
