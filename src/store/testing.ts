import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Areal } from '../geo/types.ts';
import type { Db } from './db.ts';
import type { NewJurisdiction } from './jurisdictions.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/**
 * Test back-ends: PGlite always, and the PostgreSQL server whenever TEST_DATABASE_URL is set
 * (.ci/run sets it). Each server test database is created fresh and dropped afterwards, so
 * test files running in parallel never see each other's rows.
 */
export interface TestBackend {
  name: 'pglite' | 'postgres';
  open(): Promise<Db & { url?: string; drop(): Promise<void> }>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export function testBackends(): TestBackend[] {
  const list: TestBackend[] = [
    {
      name: 'pglite',
      async open() {
        const db = await openPglite();
        await migrate(db);
        return Object.assign(db, { drop: () => db.close() });
      },
    },
  ];
  if (TEST_DATABASE_URL) {
    list.push({
      name: 'postgres',
      async open() {
        const { url, drop } = await createTestDatabase(TEST_DATABASE_URL);
        const db = await openPostgres(url, { max: 4 });
        await migrate(db);
        return Object.assign(db, {
          url,
          drop: async () => {
            await db.close();
            await drop();
          },
        });
      },
    });
  }
  return list;
}

/** Creates an empty database on the server behind `adminUrl`; `drop` removes it. */
export async function createTestDatabase(
  adminUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `gengbao_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A d° × d° square polygon with its south-west corner at (x, y). */
export const square = (x: number, y: number, d: number): Areal => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

/**
 * The small test region: 山西省, 晋城市, two counties (泽州县, 高平市), one township (南村镇)
 * with two villages (南村, 北村). Squares, so areas and containment are easy to reason about.
 */
export const FIXTURE_JURISDICTIONS: NewJurisdiction[] = [
  {
    code: '140000',
    level: 'province',
    parentCode: null,
    name: '山西省',
    geometry: null,
    meta: {},
  },
  {
    code: '140500',
    level: 'city',
    parentCode: '140000',
    name: '晋城市',
    geometry: square(112, 35, 2),
    meta: {},
  },
  {
    code: '140525',
    level: 'county',
    parentCode: '140500',
    name: '泽州县',
    geometry: square(112, 35, 1),
    meta: {},
  },
  {
    code: '140581',
    level: 'county',
    parentCode: '140500',
    name: '高平市',
    geometry: square(113, 35, 1),
    meta: {},
  },
  {
    code: '140525100',
    level: 'township',
    parentCode: '140525',
    name: '南村镇',
    geometry: square(112, 35, 0.5),
    meta: { synthetic: true },
  },
  {
    code: '140525100200',
    level: 'village',
    parentCode: '140525100',
    name: '南村',
    geometry: square(112, 35, 0.1),
    meta: { synthetic: true },
  },
  {
    code: '140525100201',
    level: 'village',
    parentCode: '140525100',
    name: '北村',
    geometry: square(112.2, 35.2, 0.1),
    meta: { synthetic: true },
  },
];
