import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { col, defineTable, type Row } from './table.ts';
import { testBackends } from './testing.ts';

// A probe table with one column of each kind the store reads, so each reader meets the values
// both drivers really return (PGlite in-process, node-postgres when TEST_DATABASE_URL is set).
const PROBE = defineTable('table_probe', {
  id: col.int('id'),
  big: col.int('big'),
  mu: col.numeric('mu'),
  area: col.float('area'),
  name: col.text('name'),
  note: col.text('note').orNull(),
  flag: col.bool('flag'),
  doc: col.json<{ a: number; list: string[] }>('doc'),
  extra: col.json<Record<string, unknown>>('extra').or(() => ({})),
  at: col.time('at'),
  endedAt: col.time('ended_at').orNull(),
  day: col.day('day').orNull(),
  bbox: col.box('bbox').orNull(),
  geometry: col.json<{ type: string }>('geometry').orNull().whenAsked(),
});

const CREATE = `CREATE TABLE table_probe (
  id bigserial PRIMARY KEY, big bigint NOT NULL, mu numeric(14, 2) NOT NULL, area double precision NOT NULL,
  name text NOT NULL, note text, flag boolean NOT NULL, doc jsonb NOT NULL, extra jsonb, at timestamptz NOT NULL,
  ended_at timestamptz, day date, bbox box, geometry jsonb)`;

const AT = new Date('2026-11-20T01:02:03.456Z');

describe('defineTable without a database', () => {
  it('builds the select list, qualified by an alias, with optional columns only when asked', () => {
    const t = PROBE.pick('id', 'day', 'bbox', 'geometry');
    expect(t.select()).toBe(
      'id, day::text AS day, (bbox[1])[0] AS bbox_minx, (bbox[1])[1] AS bbox_miny, (bbox[0])[0] AS bbox_maxx, (bbox[0])[1] AS bbox_maxy',
    );
    expect(t.select({ alias: 'p', with: ['geometry'] })).toBe(
      'p.id, p.day::text AS day, (p.bbox[1])[0] AS bbox_minx, (p.bbox[1])[1] AS bbox_miny, (p.bbox[0])[0] AS bbox_maxx, (p.bbox[0])[1] AS bbox_maxy, p.geometry',
    );
    const joined = t.pick('id').extend({ unit: col.text('unit_name', 'j.name') });
    expect(joined.select({ alias: 'p' })).toBe('p.id, j.name AS unit_name');
  });

  it('converts what a driver may hand over: text numbers, bigint, ISO text times', () => {
    const t = defineTable('x', {
      n: col.int('n'),
      m: col.numeric('m'),
      at: col.time('at'),
      day: col.day('day'),
    });
    expect(
      t.read({
        n: 12n,
        m: '1234.50',
        at: '2026-11-20T01:02:03.456Z',
        day: new Date('2026-10-21T00:00:00Z'),
      }),
    ).toEqual({
      n: 12,
      m: 1234.5,
      at: AT,
      day: '2026-10-21',
    });
  });

  it('refuses a NULL in a column declared NOT NULL, naming it', () => {
    expect(() => PROBE.pick('name').read({ name: null })).toThrow(/column name is NULL/);
    expect(() => PROBE.pick('big').read({})).toThrow(/column big is NULL/);
  });

  it('gives rows their own fallback object', () => {
    const t = PROBE.pick('extra');
    const [a, b] = [t.read({ extra: null }), t.read({ extra: null })];
    expect(a.extra).toEqual({});
    expect(a.extra).not.toBe(b.extra);
  });
});

describe.each(testBackends())('defineTable on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;

  beforeAll(async () => {
    db = await backend.open();
    await db.exec(CREATE);
    await db.query(
      `INSERT INTO table_probe (big, mu, area, name, note, flag, doc, extra, at, ended_at, day, bbox, geometry)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11, box(point(112.1, 35.2), point(112.3, 35.4)), $12::jsonb),
              (1, 0, 0, 'bare', NULL, false, '{"a":0,"list":[]}', NULL, $9, NULL, NULL, NULL, NULL)`,
      [
        2 ** 40 + 1,
        '1234.56',
        0.1,
        '南村',
        'n',
        true,
        JSON.stringify({ a: 1, list: ['x', 'y'] }),
        JSON.stringify({ k: 'v' }),
        AT,
        AT,
        '2026-10-21',
        JSON.stringify({ type: 'Polygon' }),
      ],
    );
  });
  afterAll(async () => db?.drop());

  const readAll = async (opts?: Parameters<typeof PROBE.select>[0]) =>
    (await db.query<Row>(`SELECT ${PROBE.select(opts)} FROM table_probe ORDER BY id`)).map(
      PROBE.read,
    );

  it('reads every kind of value into its declared type', async () => {
    const [full] = await readAll();
    expect(full).toEqual({
      id: 1,
      big: 2 ** 40 + 1,
      mu: 1234.56,
      area: 0.1,
      name: '南村',
      note: 'n',
      flag: true,
      doc: { a: 1, list: ['x', 'y'] },
      extra: { k: 'v' },
      at: AT,
      endedAt: AT,
      day: '2026-10-21',
      bbox: [112.1, 35.2, 112.3, 35.4],
    });
    expect(full.at).toBeInstanceOf(Date);
    expect(typeof full.big).toBe('number');
    expect(typeof full.mu).toBe('number');
  });

  it('reads NULLs as null or the declared fallback, and leaves unasked columns out', async () => {
    const [, bare] = await readAll();
    expect(bare).toMatchObject({ note: null, extra: {}, endedAt: null, day: null, bbox: null });
    expect('geometry' in bare).toBe(false);
    const [withGeometry, bareWithGeometry] = await readAll({ with: ['geometry'] });
    expect(withGeometry.geometry).toEqual({ type: 'Polygon' });
    expect(bareWithGeometry.geometry).toBeNull();
  });

  it('reads aggregates: count and sums of bigint and numeric as numbers', async () => {
    const sums = defineTable('table_probe', {
      n: col.int('n', 'count(*)'),
      big: col.numeric('big', 'sum(big)'),
      mu: col.numeric('mu', 'sum(mu)'),
    });
    const [row] = await db.query<Row>(`SELECT ${sums.select()} FROM table_probe`);
    expect(sums.read(row)).toEqual({ n: 2, big: 2 ** 40 + 2, mu: 1234.56 });
  });

  it('writes RETURNING lists as well as SELECT lists', async () => {
    const t = PROBE.pick('id', 'name', 'at', 'bbox');
    const [row] = await db.query<Row>(
      `INSERT INTO table_probe (big, mu, area, name, flag, doc, at) VALUES (3, 1, 1, 'r', false, '{"a":2,"list":[]}', $1) RETURNING ${t.select()}`,
      [AT],
    );
    expect(t.read(row)).toEqual({ id: 3, name: 'r', at: AT, bbox: null });
  });
});
