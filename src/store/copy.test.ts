import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withForeignKeysTrusted, withIndexesAfter } from './bulk-indexes.ts';
import { copyRows, copyText } from './copy.ts';
import { testBackends } from './testing.ts';

describe('COPY text', () => {
  it('escapes backslash, tab, newline and carriage return, writes null as \\N and objects as JSON', () => {
    expect(copyText([['a\\b', 'c\td', 'e\nf\rg', null, 3, { k: 'x"\\y' }]])).toBe(
      'a\\\\b\tc\\td\te\\nf\\rg\t\\N\t3\t{"k":"x\\\\"\\\\\\\\y"}\n',
    );
  });
});

describe.each(testBackends())('bulk loads on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  beforeAll(async () => {
    db = await backend.open();
    await db.exec(`CREATE TABLE bulk_t (id bigserial PRIMARY KEY, name text, doc jsonb, b box);
      CREATE INDEX bulk_t_b ON bulk_t USING gist (b); CREATE INDEX bulk_t_name ON bulk_t (name text_pattern_ops);`);
  });
  afterAll(async () => {
    await db?.drop();
  });
  const defs = async () =>
    (
      await db.query<{ d: string }>(
        `SELECT indexdef AS d FROM pg_indexes WHERE tablename = 'bulk_t' ORDER BY indexname`,
      )
    ).map((r) => r.d);

  it('rows read back as written through COPY, on both drivers', async () => {
    const rows = [
      ['晋城 a\\b\tc', { s: 'q"uote\\back\nline', n: 1.5 }, '(2,2),(1,1)'],
      [null, {}, '(4,4),(3,3)'],
    ];
    expect(await copyRows(db, 'bulk_t', ['name', 'doc', 'b'], rows)).toBe(true);
    const back = await db.query<{ name: string | null; doc: unknown; b: string }>(
      `SELECT name, doc, b::text AS b FROM bulk_t ORDER BY id`,
    );
    expect(back).toEqual([
      { name: '晋城 a\\b\tc', doc: { s: 'q"uote\\back\nline', n: 1.5 }, b: '(2,2),(1,1)' },
      { name: null, doc: {}, b: '(4,4),(3,3)' },
    ]);
  });

  it('withIndexesAfter drops the secondary indexes for the load and builds the same ones after', async () => {
    const before = await defs();
    expect(before.length).toBe(3);
    const during = await db.transaction((tx) =>
      withIndexesAfter(
        tx,
        'bulk_t',
        async () =>
          (
            await tx.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'bulk_t'`,
            )
          )[0].n,
      ),
    );
    expect(during).toBe(1); // the primary key stays
    expect(await defs()).toEqual(before);
  });

  it('foreign keys are trusted inside the load only, and checked again after it', async () => {
    await db.exec(`CREATE TABLE bulk_parent (id int PRIMARY KEY); INSERT INTO bulk_parent VALUES (1);
      CREATE TABLE bulk_child (parent int NOT NULL REFERENCES bulk_parent (id));`);
    await db.transaction(async (tx) => {
      await withForeignKeysTrusted(tx, () => copyRows(tx, 'bulk_child', ['parent'], [[1], [1]]));
      await expect(
        tx.query(`SELECT current_setting('session_replication_role') AS r`),
      ).resolves.toEqual([{ r: 'origin' }]);
    });
    await expect(db.query(`INSERT INTO bulk_child VALUES (2)`)).rejects.toThrow(/foreign key/);
    expect(await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM bulk_child`)).toEqual([
      { n: 2 },
    ]);
  });

  it('a failed load leaves the indexes as they were', async () => {
    const before = await defs();
    await expect(
      db.transaction((tx) =>
        withIndexesAfter(tx, 'bulk_t', async () => {
          throw new Error('bad file');
        }),
      ),
    ).rejects.toThrow('bad file');
    expect(await defs()).toEqual(before);
  });
});
