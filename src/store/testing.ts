import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from './db.ts';
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
