import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ellipsoidalAreaM2 } from './area.ts';
import { equalAreaM2 } from './equal-area.ts';
import type { Areal, Feature } from './types.ts';

/** Deterministic pseudo-random numbers (mulberry32), so fixtures are the same on every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Star-shaped polygons of 10 m – 2 km at latitudes 18°–53°N (China's span), 5–40 vertices. */
function generated(n: number): Areal[] {
  const r = rng(42);
  return Array.from({ length: n }, () => {
    const lon = 74 + r() * 60;
    const lat = 18 + r() * 35;
    const radius = (10 + r() * 2000) / 111_000;
    const k = 5 + Math.floor(r() * 36);
    const ring = Array.from({ length: k }, (_, i) => {
      const t = (i / k) * 2 * Math.PI;
      const rr = radius * (0.5 + r() * 0.5);
      return [lon + (rr * Math.cos(t)) / Math.cos((lat * Math.PI) / 180), lat + rr * Math.sin(t)];
    });
    ring.push(ring[0]);
    return { type: 'Polygon', coordinates: [ring] };
  });
}

const shared = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../shared/data/parcels/geojson-wgs84',
);
const real = (): Areal[] =>
  readdirSync(shared).flatMap((f) =>
    (JSON.parse(readFileSync(join(shared, f), 'utf8')).features as Feature[])
      .map((x) => x.geometry)
      .filter((g) => g && (g.type === 'Polygon' || g.type === 'MultiPolygon')),
  );

const relErr = (a: number, b: number) => Math.abs(a - b) / b;
/** Relative 1e-6, or 1 cm² on parcels so small that GeographicLib's own rounding shows. */
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * b + 1e-4;

describe('equal-area (authalic) area against GeographicLib geodesic area', () => {
  it('agrees to 1e-6 on 2,000 generated polygons', () => {
    for (const g of generated(2000)) expect(close(equalAreaM2(g), ellipsoidalAreaM2(g))).toBe(true);
  });

  it.skipIf(!existsSync(shared))(
    'agrees to 0.01 % (in fact 1e-6) on the real parcels of ../shared (skipped: folder absent)',
    () => {
      const gs = real();
      expect(gs.length).toBeGreaterThan(500);
      for (const g of gs) expect(close(equalAreaM2(g), ellipsoidalAreaM2(g))).toBe(true);
    },
  );
});

/**
 * PostGIS ST_Area(geography) (GeographicLib inside PROJ, on the WGS84 ellipsoid: 1/f differs from
 * CGCS2000 by 1.4e-9, far below the tolerance). Runs where TEST_DATABASE_URL points at a server
 * with PostGIS installed.
 */
const url = process.env.TEST_DATABASE_URL;
describe.skipIf(!url)(
  'areas against PostGIS geography (skipped: TEST_DATABASE_URL not set)',
  () => {
    it('agree to 0.01 % on generated and real parcels', async (ctx) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const ok = await client.query(
          "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'",
        );
        if (ok.rowCount === 0) ctx.skip('PostGIS is not installed on the TEST_DATABASE_URL server');
        await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
        const gs = [...generated(300), ...(existsSync(shared) ? real() : [])];
        const { rows } = await client.query(
          'SELECT ST_Area(ST_GeomFromGeoJSON(g)::geography) AS a FROM unnest($1::text[]) WITH ORDINALITY AS t(g, i) ORDER BY i',
          [gs.map((g) => JSON.stringify(g))],
        );
        rows.forEach((row, i) => {
          expect(relErr(ellipsoidalAreaM2(gs[i]), Number(row.a))).toBeLessThan(1e-4);
          expect(relErr(equalAreaM2(gs[i]), Number(row.a))).toBeLessThan(1e-4);
        });
      } finally {
        await client.end();
      }
    });
  },
);
