import { VectorTile } from '@mapbox/vector-tile';
import type { Feature } from 'geojson';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertReferenceLayer } from '../../store/reference.ts';
import { Scope } from '../../store/scope.ts';
import { ScopedStore } from '../../store/scoped-store.ts';
import { testBackends } from '../../store/testing.ts';
import { tileScopes } from '../../store/tile-scopes.ts';
import { tileBBox, type TileAddress } from '../../geo/tile-math.ts';
import { ThreadPool } from '../../threads/pool.ts';
import { seedFixtureRegion, square } from '../testing.ts';
import { encodeTileHere, encodeTilesOn, type TileEncoder } from './encoder.ts';
import { encodeMvt } from './mvt.ts';
import { VECTOR_LAYERS } from './vector-layers.ts';

/** Slippy-map tile of a point (the OSM formula). */
const tileAt = (lon: number, lat: number, z: number): TileAddress => ({
  z,
  x: Math.floor(((lon + 180) / 360) * 2 ** z),
  y: Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z),
});

const decode = (bytes: Uint8Array) => new VectorTile(new PbfReader(bytes));

describe.each(testBackends())('vector tiles encoded on the tile thread on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let zezhou: ScopedStore;
  let gaoping: ScopedStore;
  const threads = new ThreadPool(1);
  let onThread: TileEncoder;

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    // Two parcels in 泽州县 and one in the same place coded to 高平市: scope is by code, not by place.
    await insertReferenceLayer(
      db,
      Scope.system(),
      { kind: 'farmland', name: '泽州 farmland', jurisdictionCode: '140525', source: 'test' },
      [
        {
          jurisdictionCode: '140525100200',
          geometry: square(112.005, 35.005, 0.01),
          properties: {},
        },
        {
          jurisdictionCode: '140525100200',
          geometry: square(112.05, 35.05, 0.004),
          properties: {},
        },
      ],
    );
    await insertReferenceLayer(
      db,
      Scope.system(),
      { kind: 'farmland', name: '高平 farmland', jurisdictionCode: '140581', source: 'test' },
      [{ jurisdictionCode: '140581', geometry: square(112.012, 35.012, 0.003), properties: {} }],
    );
    const principals = await tileScopes(db, ['county']);
    const of = (code: string) =>
      new ScopedStore(
        db,
        principals.find((p) => p.jurisdictionCode === code)!,
      );
    zezhou = of('140525');
    gaoping = of('140581');
    onThread = encodeTilesOn(threads);
  });
  afterAll(async () => {
    await threads.close();
    await db?.drop();
  });

  const inputOf = async (store: ScopedStore, layer: string, t: TileAddress) => ({
    layer,
    t,
    features: await VECTOR_LAYERS.get(layer)!.features(store, t),
  });

  it.each([
    ['polygons', tileAt(112.011, 35.011, 15)],
    ['polygons', tileAt(112.011, 35.011, 11)], // as points
    ['farmland', tileAt(112.011, 35.011, 13)],
    ['township', tileAt(112.011, 35.011, 12)],
    ['county', tileAt(112.011, 35.011, 9)],
  ])('a %s tile from the thread is the tile encoded here, byte for byte', async (layer, t) => {
    const input = await inputOf(zezhou, layer, t);
    expect(input.features.length).toBeGreaterThan(0);
    const here = await encodeTileHere(input);
    const there = await onThread(input);
    expect(there.byteLength).toBeGreaterThan(0);
    expect(Buffer.compare(Buffer.from(there), Buffer.from(here))).toBe(0);
    expect(decode(there).layers[layer].length).toBe(input.features.length);
  });

  it('tile rows draw what the list queries give: the same tile as from the 图斑 and parcel lists', async () => {
    const t = tileAt(112.011, 35.011, 13);
    const box = tileBBox(t, 1 / 64);
    const parcels = await zezhou.layers.featuresInBox(box, {
      kinds: ['farmland'],
      withGeometry: true,
    });
    const listed: Feature[] = parcels.map((f) => ({
      type: 'Feature',
      id: f.id,
      geometry: f.geometry!,
      properties: {
        id: f.id,
        kind: f.kind,
        code: f.jurisdictionCode,
        areaM2: Math.round(f.areaM2),
      },
    }));
    const farmland = await onThread(await inputOf(zezhou, 'farmland', t));
    expect(
      Buffer.compare(Buffer.from(farmland), Buffer.from(encodeMvt({ farmland: listed }, t))),
    ).toBe(0);

    const z15 = tileAt(112.011, 35.011, 15);
    const polygons = await zezhou.polygons.list({
      bbox: tileBBox(z15, 1 / 64),
      withGeometry: true,
    });
    const fromList: Feature[] = polygons.map((p) => ({
      type: 'Feature',
      id: p.id,
      geometry: p.geometry!,
      properties: {
        id: p.id,
        code: p.code,
        status: p.status,
        period: p.period,
        source: p.source,
        areaMu: Number(p.areaMu),
      },
    }));
    const tile = await onThread(await inputOf(zezhou, 'polygons', z15));
    expect(
      Buffer.compare(Buffer.from(tile), Buffer.from(encodeMvt({ polygons: fromList }, z15))),
    ).toBe(0);
    expect(decode(tile).layers.polygons.feature(0).properties).toMatchObject({
      code: 'P-NANCUN',
      status: 'found',
    });
  });

  it('a tile holds only the rows of the caller’s jurisdiction code, wherever they lie', async () => {
    const t = tileAt(112.013, 35.013, 14);
    const codes = async (store: ScopedStore) => {
      const layer = decode(await onThread(await inputOf(store, 'farmland', t))).layers.farmland;
      return Array.from(
        { length: layer?.length ?? 0 },
        (_, i) => layer!.feature(i).properties.code,
      );
    };
    expect(await codes(zezhou)).toEqual(['140525100200']);
    expect(await codes(gaoping)).toEqual(['140581']);
  });

  it('an empty tile is a zero-byte body and never goes to the thread', async () => {
    const t = tileAt(112.9, 35.9, 15);
    const input = await inputOf(zezhou, 'polygons', t);
    expect(input.features).toEqual([]);
    const busy = new ThreadPool(1);
    await busy.close(); // a closed pool rejects every call: an empty tile must not make one
    expect((await encodeTilesOn(busy)(input)).byteLength).toBe(0);
  });
});
