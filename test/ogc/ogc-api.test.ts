import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRS84 } from '../../src/contract/ogc.ts';
import { testServer, type TestServer } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';
import { EXTRA, seedOgcRegion, tokenOf } from './fixture.ts';

interface Link {
  href: string;
  rel: string;
  type?: string;
}
interface Collection {
  id: string;
  links: Link[];
  extent?: {
    spatial: { bbox: number[][]; crs: string };
    temporal?: { interval: (string | null)[][]; trs: string };
  };
  itemType: string;
  crs: string[];
}
interface Page {
  type: string;
  features: {
    id: number | string;
    geometry: { coordinates: number[][][] };
    properties: Record<string, unknown>;
  }[];
  links: Link[];
  numberMatched: number;
  numberReturned: number;
  timeStamp: string;
}

/**
 * The /ogc documents checked against OGC API – Features Part 1 Core (17-069r4) the way its
 * test suite reads them: the landing page's links, the conformance declaration, collection
 * metadata with CRS84 extents, items pages with links, counts and paging, the query
 * parameters, and the caller's jurisdiction on every document.
 */
describe.each(testBackends())('OGC API – Features on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await backend.open();
    await seedOgcRegion(db);
    s = await testServer(db);
    for (const u of ['zezhou', 'gaoping', 'village', 'reviewer']) tokens[u] = await tokenOf(s, u);
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  const get = (url: string, who = 'zezhou') =>
    s.app.inject({ url, headers: { authorization: `Bearer ${tokens[who]}` } });
  /** An absolute href of ours, back to the path inject takes. */
  const path = (href: string) => new URL(href).pathname + new URL(href).search;
  const linkOf = (links: Link[], rel: string) => links.find((l) => l.rel === rel);

  it('landing page: links to the API definition, conformance and collections, each typed and answering', async () => {
    const res = await get('/ogc');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const { links } = res.json() as { links: Link[] };
    // /req/core/root-success: service-desc (or service-doc), conformance, data.
    for (const rel of ['self', 'service-desc', 'conformance', 'data']) {
      const l = linkOf(links, rel);
      expect(l, rel).toBeDefined();
      expect(l!.type).toBe('application/json');
      expect((await get(path(l!.href))).statusCode, rel).toBe(200);
    }
    const conformance = (await get('/ogc/conformance')).json() as { conformsTo: string[] };
    expect(conformance.conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      ]),
    );
  });

  it('the API definition documents the items parameters', async () => {
    const doc = (await get('/api/openapi.json')).json() as {
      paths: Record<
        string,
        {
          get?: {
            parameters?: { name: string; in: string }[];
            responses: Record<string, { content?: Record<string, unknown> }>;
          };
        }
      >;
    };
    const items = doc.paths['/ogc/collections/{collectionId}/items']?.get;
    expect(items?.parameters?.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'bbox', 'datetime', 'cursor']),
    );
    expect(Object.keys(items!.responses['200'].content!)).toEqual(['application/geo+json']);
  });

  it('collections: metadata with items links and CRS84 extents holding every feature of the caller', async () => {
    const res = await get('/ogc/collections');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { links: Link[]; collections: Collection[] };
    expect(linkOf(body.links, 'self')?.type).toBe('application/json');
    expect(body.collections.map((c) => c.id)).toEqual([
      'tuban',
      'tuban-2026-11',
      'tuban-2026-10',
      'farmland',
      'pbf',
      'jurisdictions-county',
      'jurisdictions-township',
      'jurisdictions-village',
    ]);
    for (const c of body.collections) {
      expect(c.itemType).toBe('feature');
      expect(c.crs).toEqual([CRS84]);
      expect(linkOf(c.links, 'items')?.type).toBe('application/geo+json');
      expect(linkOf(c.links, 'self')?.type).toBe('application/json');
      expect(c.extent?.spatial.crs).toBe(CRS84);
      const [box] = c.extent!.spatial.bbox;
      expect(box[0]).toBeGreaterThanOrEqual(-180);
      expect(box[2]).toBeLessThanOrEqual(180);
      expect(box[0]).toBeLessThanOrEqual(box[2]);
      expect(box[1]).toBeLessThanOrEqual(box[3]);
      // Every feature lies inside its collection's extent.
      const page = (await get(`/ogc/collections/${c.id}/items?limit=10000`)).json() as Page;
      for (const f of page.features) {
        for (const [lon, lat] of f.geometry.coordinates[0]) {
          expect(lon).toBeGreaterThanOrEqual(box[0]);
          expect(lon).toBeLessThanOrEqual(box[2]);
          expect(lat).toBeGreaterThanOrEqual(box[1]);
          expect(lat).toBeLessThanOrEqual(box[3]);
        }
      }
      // /req/core/sfc-md-success: the single collection is the same document.
      expect((await get(`/ogc/collections/${c.id}`)).json()).toEqual(c);
    }
    const tuban = body.collections[0];
    // 泽州 holds no 高平 图斑: its extent stops west of 113.
    expect(tuban.extent!.spatial.bbox[0][2]).toBeLessThan(113);
    expect(tuban.extent!.temporal).toEqual({
      interval: [['2026-10-01T00:00:00+08:00', '2026-11-30T23:59:59+08:00']],
      trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian',
    });
    expect(body.collections.find((c) => c.id === 'farmland')!.extent!.temporal).toBeUndefined();
  });

  it('items: GeoJSON pages with counts and next links that visit every feature once, in a stable order', async () => {
    const seen: number[] = [];
    let url: string | undefined = '/ogc/collections/tuban/items?limit=7';
    let pages = 0;
    while (url) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      const page = res.json() as Page;
      expect(page.type).toBe('FeatureCollection');
      expect(page.numberMatched).toBe(2 + EXTRA.nancun + EXTRA.beicun);
      expect(page.numberReturned).toBe(page.features.length);
      expect(page.features.length).toBeLessThanOrEqual(7);
      expect(Number.isNaN(Date.parse(page.timeStamp))).toBe(false);
      expect(linkOf(page.links, 'self')?.type).toBe('application/geo+json');
      seen.push(...page.features.map((f) => f.id as number));
      const next = linkOf(page.links, 'next');
      if (next) expect(next.type).toBe('application/geo+json');
      url = next && path(next.href);
      pages++;
    }
    expect(pages).toBe(Math.ceil((2 + EXTRA.nancun + EXTRA.beicun) / 7));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen).toHaveLength(2 + EXTRA.nancun + EXTRA.beicun);
  });

  it('items: bbox, datetime, period, status and source filter; limit is capped, not refused', async () => {
    const page = async (q: string, who = 'zezhou') => {
      const res = await get(`/ogc/collections/tuban/items?${q}`, who);
      expect(res.statusCode, q).toBe(200);
      return res.json() as Page;
    };
    // 北村's box only.
    expect((await page('bbox=112.19,35.19,112.3,35.3')).numberMatched).toBe(1 + EXTRA.beicun);
    expect((await page('bbox=112.19,35.19,0,112.3,35.3,100')).numberMatched).toBe(1 + EXTRA.beicun);
    const nov = (await page('period=2026-11')).numberMatched;
    expect(nov).toBe(2 + Math.floor(EXTRA.nancun / 2) + Math.floor(EXTRA.beicun / 2));
    expect((await page('datetime=2026-11-15T08:00:00Z')).numberMatched).toBe(nov);
    // 2026-10-31T20:00Z is already November in China.
    expect((await page('datetime=2026-10-31T20:00:00Z/..')).numberMatched).toBe(nov);
    expect((await page('datetime=../2026-10-31T12:00:00Z')).numberMatched).toBe(
      2 + EXTRA.nancun + EXTRA.beicun - nov,
    );
    expect((await page('datetime=2026-10-01/2026-11-30')).numberMatched).toBe(
      2 + EXTRA.nancun + EXTRA.beicun,
    );
    expect((await page('datetime=2027-01-01T00:00:00Z/..')).numberMatched).toBe(0);
    expect((await page('status=found&source=detection')).numberMatched).toBe(
      2 + EXTRA.nancun + EXTRA.beicun,
    );
    expect((await page('status=closed')).numberMatched).toBe(0);
    expect((await page('source=batch', 'gaoping')).numberMatched).toBe(1);
    expect((await page('limit=50000')).numberReturned).toBe(2 + EXTRA.nancun + EXTRA.beicun);
    // A period collection is that period only, whatever else is asked.
    const oct = (await get('/ogc/collections/tuban-2026-10/items')).json() as Page;
    expect(oct.features.every((f) => f.properties.period === '2026-10')).toBe(true);
    expect(
      ((await get('/ogc/collections/tuban-2026-10/items?period=2026-11')).json() as Page)
        .numberMatched,
    ).toBe(0);
    // Datetime on a collection without time is ignored.
    expect(
      ((await get('/ogc/collections/farmland/items?datetime=2020-01-01T00:00:00Z')).json() as Page)
        .numberMatched,
    ).toBe(1);
  });

  it('items: unknown parameters and invalid values are 400, unknown collections 404', async () => {
    for (const q of [
      'foo=1',
      'bbox=1,2,3',
      'bbox=113,35,112,36',
      'datetime=yesterday',
      'datetime=2026-12-01T00:00:00Z/2026-11-01T00:00:00Z',
      'limit=0',
      'status=lost',
      'cursor=abc',
    ]) {
      expect((await get(`/ogc/collections/tuban/items?${q}`)).statusCode, q).toBe(400);
    }
    expect((await get('/ogc/collections/roads/items')).statusCode).toBe(404);
    expect((await get('/ogc/collections/roads')).statusCode).toBe(404);
    // Not the office app's HTML fallback: a JSON 404 a GIS client can read.
    const queryables = await get('/ogc/collections/tuban/queryables');
    expect(queryables.statusCode).toBe(404);
    expect(queryables.headers['content-type']).toMatch(/^application\/json/);
    // A collection of a kind that exists but not in this scope (高平 has no PBF).
    expect((await get('/ogc/collections/pbf', 'gaoping')).statusCode).toBe(404);
  });

  it("one feature: by id in its collection, 404 outside the caller's jurisdiction or collection", async () => {
    const first = ((await get('/ogc/collections/tuban/items?limit=1')).json() as Page).features[0];
    const res = await get(`/ogc/collections/tuban/items/${first.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const f = res.json() as Page['features'][0] & { links: Link[] };
    expect(f.properties).toEqual(first.properties);
    expect(linkOf(f.links, 'self')?.type).toBe('application/geo+json');
    expect(linkOf(f.links, 'collection')?.type).toBe('application/json');
    // The same 图斑 is not in 高平's scope nor in another period's collection.
    expect((await get(`/ogc/collections/tuban/items/${first.id}`, 'gaoping')).statusCode).toBe(404);
    const other = first.properties.period === '2026-11' ? '2026-10' : '2026-11';
    expect((await get(`/ogc/collections/tuban-${other}/items/${first.id}`)).statusCode).toBe(404);
    expect(
      (await get('/ogc/collections/jurisdictions-village/items/140525100201')).statusCode,
    ).toBe(200);
    expect(
      (await get('/ogc/collections/jurisdictions-village/items/140525100201', 'village'))
        .statusCode,
    ).toBe(404);
    expect((await get('/ogc/collections/jurisdictions-county/items/140525100201')).statusCode).toBe(
      404,
    );
    const farmland = ((await get('/ogc/collections/farmland/items')).json() as Page).features;
    expect(farmland.map((x) => x.properties.jurisdiction_code)).toEqual(['140525100200']);
    expect(farmland[0].properties.attributes).toEqual({ DLBM: '0103' });
  });

  it('the scope decides: a village chief sees their village, a city reviewer both counties', async () => {
    const village = (
      await get('/ogc/collections/tuban/items?limit=1000', 'village')
    ).json() as Page;
    expect(new Set(village.features.map((f) => f.properties.jurisdiction_code))).toEqual(
      new Set(['140525100200']),
    );
    expect(village.numberMatched).toBe(1 + EXTRA.nancun);
    const ids = (
      (await get('/ogc/collections', 'village')).json() as { collections: Collection[] }
    ).collections.map((c) => c.id);
    expect(ids).toEqual([
      'tuban',
      'tuban-2026-11',
      'tuban-2026-10',
      'farmland',
      'jurisdictions-village',
    ]);
    const city = (await get('/ogc/collections/tuban/items?limit=1000', 'reviewer')).json() as Page;
    expect(city.numberMatched).toBe(3 + EXTRA.nancun + EXTRA.beicun + EXTRA.gaoping);
  });

  it('anonymous requests get 401 with a Bearer challenge; a browser session works too', async () => {
    for (const url of [
      '/ogc',
      '/ogc/conformance',
      '/ogc/collections',
      '/ogc/collections/tuban/items',
      '/ogc/collections/tuban/items/1',
    ]) {
      const res = await s.app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect(
      (await s.app.inject({ url: '/ogc', headers: { authorization: 'Bearer not-a-token' } }))
        .statusCode,
    ).toBe(401);
    const cookie = await s.login('zezhou');
    expect((await s.app.inject({ url: '/ogc/collections', headers: { cookie } })).statusCode).toBe(
      200,
    );
  });

  it('links use the address the client used (its Host header)', async () => {
    const res = await s.app.inject({
      url: '/ogc',
      headers: { authorization: `Bearer ${tokens.zezhou}`, host: 'gengbao.county.local:8080' },
    });
    const { links } = res.json() as { links: Link[] };
    expect(linkOf(links, 'data')?.href).toBe('http://gengbao.county.local:8080/ogc/collections');
  });
});
