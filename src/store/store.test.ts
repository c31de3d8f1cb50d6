import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from './events.ts';
import { getJurisdiction, insertJurisdictions, listJurisdictions } from './jurisdictions.ts';
import { migrate } from './migrate.ts';
import { getPolygon, insertPolygons, listPolygons } from './polygons.ts';
import { insertReferenceLayer, referenceFeaturesInBox } from './reference.ts';
import { Scope, scopePrefix } from './scope.ts';
import { FIXTURE_JURISDICTIONS, square, TEST_DATABASE_URL, testBackends } from './testing.ts';
import { insertUser, listUsers } from './users.ts';

if (!TEST_DATABASE_URL)
  console.warn(
    'store tests: TEST_DATABASE_URL not set, the PostgreSQL-server half is not run (.ci/run sets it)',
  );

describe.each(testBackends())('store on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  const system = Scope.system();

  beforeAll(async () => {
    db = await backend.open();
    // The fixture region without its second village (北村).
    await insertJurisdictions(
      db,
      system,
      FIXTURE_JURISDICTIONS.filter((j) => j.code !== '140525100201'),
    );
  });
  afterAll(async () => db?.drop());

  it('migrates once: a second run applies nothing', async () => {
    expect(await migrate(db)).toEqual([]);
    const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(rows.map((r) => r.version)).toContain(1);
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO settings (key, value) VALUES ('probe', '1')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query(`SELECT 1 FROM settings WHERE key = 'probe'`)).toEqual([]);
  });

  it('scopes jurisdictions by code prefix', async () => {
    const all = await listJurisdictions(db, new Scope(scopePrefix('140000', 'province')));
    expect(all.map((j) => j.code)).toEqual([
      '140000',
      '140500',
      '140525',
      '140525100',
      '140525100200',
      '140581',
    ]);
    const village = await listJurisdictions(db, new Scope('140525100200'));
    expect(village.map((j) => j.code)).toEqual(['140525100200']);
    expect(await getJurisdiction(db, new Scope('140581'), '140525')).toBeNull();
    const county = await getJurisdiction(db, new Scope('140525'), '140525');
    expect(county?.bbox).toEqual([112, 35, 113, 36]);
    expect(county?.areaM2).toBeGreaterThan(9e9);
  });

  it('answers "features in this box" with the GiST bbox index', async () => {
    const inBox = await listJurisdictions(db, system, { bbox: [113.2, 35.2, 113.3, 35.3] });
    expect(inBox.map((j) => j.code)).toEqual(['140500', '140581']);
    const plan = await db.query<Record<string, string>>(
      `EXPLAIN SELECT code FROM jurisdictions WHERE bbox && box(point(1,1), point(2,2))`,
    );
    expect(JSON.stringify(plan)).toMatch(/jurisdictions/);
  });

  it('stores polygons with ellipsoidal area in m² and 亩, scoped on read and write', async () => {
    const [id] = await insertPolygons(db, system, [
      {
        code: 'T-1',
        source: 'detection',
        period: '2026-11',
        jurisdictionCode: '140525100200',
        geometry: square(112.01, 35.01, 0.001),
      },
    ]);
    await insertPolygons(db, system, [
      {
        code: 'T-2',
        source: 'batch',
        period: '2026-11',
        jurisdictionCode: '140581',
        geometry: square(113.5, 35.5, 0.001),
      },
    ]);
    const p = await getPolygon(db, new Scope('140525'), id);
    expect(p?.areaM2).toBeGreaterThan(9000);
    expect(p?.areaMu).toBeCloseTo(p!.areaM2 / (10000 / 15), 2);
    expect(p?.geometry?.type).toBe('Polygon');
    expect(await getPolygon(db, new Scope('140581'), id)).toBeNull();
    expect((await listPolygons(db, new Scope('1405'))).length).toBe(2);
    expect((await listPolygons(db, new Scope('140525100200'))).map((x) => x.code)).toEqual(['T-1']);
    await expect(
      insertPolygons(db, new Scope('140581'), [
        {
          code: 'T-3',
          source: 'manual',
          period: '2026-11',
          jurisdictionCode: '140525',
          geometry: square(112.2, 35.2, 0.001),
        },
      ]),
    ).rejects.toMatchObject({ code: 'forbidden_jurisdiction' });
    expect((await listPolygons(db, system)).length).toBe(2);
  });

  it('keeps reference layers and finds features in a box', async () => {
    await db.transaction((tx) =>
      insertReferenceLayer(
        tx,
        system,
        { kind: 'farmland', name: 'test farmland', jurisdictionCode: '140525', source: 'test' },
        [
          {
            jurisdictionCode: '140525100200',
            geometry: square(112.02, 35.02, 0.002),
            properties: { DLBM: '0103' },
          },
          {
            jurisdictionCode: '140525100200',
            geometry: square(112.05, 35.05, 0.002),
            properties: { DLBM: '0101' },
          },
        ],
      ),
    );
    const found = await referenceFeaturesInBox(
      db,
      new Scope('140525'),
      [112.015, 35.015, 112.03, 35.03],
      { withGeometry: true },
    );
    expect(found.map((f) => f.properties.DLBM)).toEqual(['0103']);
    expect(await referenceFeaturesInBox(db, new Scope('140581'), [112, 35, 113, 36])).toEqual([]);
  });

  it('creates users only inside the creator scope', async () => {
    await insertUser(db, system, {
      username: 'a.officer',
      displayName: '甲',
      passwordHash: 'x',
      role: 'county_officer',
      jurisdictionCode: '140525',
    });
    await expect(
      insertUser(db, new Scope('140581'), {
        username: 'b.chief',
        displayName: '乙',
        passwordHash: 'x',
        role: 'village_chief',
        jurisdictionCode: '140525100200',
      }),
    ).rejects.toMatchObject({ code: 'forbidden_jurisdiction' });
    await expect(
      insertUser(db, system, {
        username: 'a.officer',
        displayName: '丙',
        passwordHash: 'x',
        role: 'county_officer',
        jurisdictionCode: '140525',
      }),
    ).rejects.toMatchObject({ code: 'conflict', field: 'username' });
    expect((await listUsers(db, new Scope('140581'))).length).toBe(0);
  });

  it('refuses to update or delete events (append-only)', async () => {
    await appendEvent(db, system, {
      actorId: null,
      entityType: 'polygon',
      entityId: '1',
      jurisdictionCode: '140525',
      type: 'found',
      payload: { a: 1 },
    });
    await expect(db.query(`UPDATE events SET type = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM events`)).rejects.toThrow(/append-only/);
  });

  it('refuses a database whose schema is newer than this code', async () => {
    await db.query(
      `INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'future', 'x')`,
    );
    await expect(migrate(db)).rejects.toMatchObject({ code: 'db_schema_newer' });
    await db.query(`DELETE FROM schema_migrations WHERE version = 999`);
  });
});
