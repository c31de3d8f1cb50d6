import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGengbaoError } from '../errors.ts';
import { MAX_VERTICES } from '../geo/validate-input.ts';
import { seedFixtureRegion, square } from '../server/testing.ts';
import { testBackends } from '../store/testing.ts';
import { placeGeometry, placePoint } from './geometry-input.ts';

async function refusal(
  p: Promise<unknown>,
): Promise<{ code: string; field?: string; message: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isGengbaoError(e)) throw new Error(`expected a GengbaoError, got ${String(e)}`);
  return { code: e.code, field: e.field, message: e.message };
}

/** A closed ring of `n` vertices on a small circle around (lon, lat): valid, convex. */
function circle(lon: number, lat: number, n: number) {
  const ring = Array.from({ length: n - 1 }, (_, i) => [
    lon + 0.001 * Math.cos((2 * Math.PI * i) / (n - 1)),
    lat + 0.001 * Math.sin((2 * Math.PI * i) / (n - 1)),
  ]);
  return { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
}

describe.each(testBackends())('geometry input on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('places a valid geometry in the finest unit containing it, inside the prefixes given', async () => {
    expect(await placeGeometry(db, square(112.05, 35.05, 0.001), ['140525'])).toMatchObject({
      jurisdictionCode: '140525100200',
    });
    expect(
      (await placeGeometry(db, square(112.25, 35.25, 0.001), ['140525', '140525100']))
        .jurisdictionCode,
    ).toBe('140525100201');
    // In 泽州县 but in no township or village of the grid: the county.
    expect((await placeGeometry(db, square(112.7, 35.7, 0.001), ['140525'])).jurisdictionCode).toBe(
      '140525',
    );
    // `within` holds scope prefixes: the city's is 1405. City and county codes are both six digits.
    expect(await placePoint(db, 113.5, 35.5, ['1405'], 'location')).toBe('140581');
  });

  it('refuses a geometry elsewhere or nowhere with forbidden_jurisdiction naming the field', async () => {
    // 高平市's 图斑 handed to a 泽州县 user.
    expect(await refusal(placeGeometry(db, square(113.5, 35.5, 0.001), ['140525']))).toMatchObject({
      code: 'forbidden_jurisdiction',
      field: 'geometry',
    });
    // In the county but not in the village the chief serves.
    expect(
      await refusal(
        placeGeometry(
          db,
          square(112.25, 35.25, 0.001),
          ['140525', '140525100200'],
          'finding.geometry',
        ),
      ),
    ).toMatchObject({ code: 'forbidden_jurisdiction', field: 'finding.geometry' });
    // Outside every unit of the grid, even with no limit.
    expect(await refusal(placePoint(db, 116.4, 39.9, [''], 'location'))).toMatchObject({
      code: 'forbidden_jurisdiction',
      field: 'location',
    });
  });

  it('refuses an invalid or unbounded geometry with bad_input before locating it', async () => {
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [112.01, 35.01],
          [112.02, 35.02],
          [112.02, 35.01],
          [112.01, 35.02],
          [112.01, 35.01],
        ],
      ],
    };
    expect(await refusal(placeGeometry(db, bowtie, ['140525']))).toMatchObject({
      code: 'bad_input',
      field: 'geometry',
      message: expect.stringMatching(/self-intersection/),
    });
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [112.01, 35.01],
          [112.02, 35.01],
          [112.02, 35.02],
          [112.01, 35.02],
        ],
      ],
    };
    expect((await refusal(placeGeometry(db, open, ['140525']))).code).toBe('bad_input');
    expect(
      (
        await refusal(
          placeGeometry(db, { type: 'Point', coordinates: [112.01, 35.01] }, ['140525']),
        )
      ).message,
    ).toMatch(/Polygon or MultiPolygon/);
    expect((await refusal(placeGeometry(db, square(200, 35, 0.001), ['']))).message).toMatch(
      /outside longitude/,
    );
    // The vertex cap: at the cap it is accepted, one more is refused.
    expect(
      (await placeGeometry(db, circle(112.05, 35.05, MAX_VERTICES), ['140525'])).jurisdictionCode,
    ).toBe('140525100200');
    const over = await refusal(
      placeGeometry(db, circle(112.05, 35.05, MAX_VERTICES + 1), ['140525']),
    );
    expect(over).toMatchObject({ code: 'bad_input', field: 'geometry' });
    expect(over.message).toMatch(/too many vertices/);
  });
});
