/**
 * The web app's pure logic, in Node (the browser test covers the screens): formatting per
 * language, the area filter's geometry, and the action form against the lifecycle's real
 * input schemas — a form filled as a user would must pass the server's validation.
 */
import { describe, expect, it } from 'vitest';
import { InputSchemas, inputJsonSchema } from '../../src/cases/index.ts';
import { makeI18n } from '../../web/src/i18n.ts';
import { pointInRing, ringsBBox, ringsOf, type Ring } from '../../web/src/map/area-filter.ts';
import { inputFrom } from '../../web/src/pages/action-input.ts';

describe('language and formats', () => {
  const zh = makeI18n('zh', () => undefined);
  const en = makeI18n('en', () => undefined);

  it('shows 亩 with two decimals and groups thousands in both languages', () => {
    expect(zh.mu(1234.5)).toBe('1,234.50');
    expect(en.mu(0.005)).toBe('0.01');
    expect(zh.num(12345.678, 1)).toBe('12,345.7');
  });

  it('translates by key, Chinese by default, and dates in each locale', () => {
    expect(zh.t('queue_to_determine')).toBe('待判定');
    expect(en.t('queue_to_determine')).toBe('To determine');
    expect(zh.t('st_returned')).toBe('退回补正');
    expect(en.t('no_such_key')).toBe('no_such_key');
    expect(zh.date('2026-11-20T04:00:00Z')).toMatch(/^2026\/11\/20$/);
    expect(en.date('2026-11-20T04:00:00Z')).toBe('20/11/2026');
  });
});

describe('area filter', () => {
  const square: Ring = [
    [112, 35],
    [113, 35],
    [113, 36],
    [112, 36],
  ];

  it('tests points against a drawn ring', () => {
    expect(pointInRing([112.5, 35.5], square)).toBe(true);
    expect(pointInRing([113.5, 35.5], square)).toBe(false);
    // a concave ring: the notch is outside
    const notched: Ring = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 1],
      [0, 4],
    ];
    expect(pointInRing([2, 3], notched)).toBe(false);
    expect(pointInRing([1, 1], notched)).toBe(true);
  });

  it('reads outer rings from uploaded GeoJSON of any wrapping, and their box', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {},
          geometry: { type: 'Polygon', coordinates: [[...square, square[0]]] },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [114, 34],
                  [115, 34],
                  [115, 35],
                  [114, 34],
                ],
              ],
            ],
          },
        },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } },
      ],
    };
    const rings = ringsOf(fc);
    expect(rings).toHaveLength(2);
    expect(ringsBBox(rings)).toEqual([112, 34, 115, 36]);
    expect(ringsOf({ type: 'Point', coordinates: [1, 2] })).toEqual([]);
  });
});

describe('action forms from the lifecycle input schemas', () => {
  it('turns a filled determination form into an input the lifecycle accepts', () => {
    const schema = inputJsonSchema('determine') as Parameters<typeof inputFrom>[0];
    const input = inputFrom(
      schema,
      {
        category: 'illegal',
        illegalSubtype: 'new',
        buildYear: '2026',
        note: '',
        ruralHousingReasons: '[]',
      },
      7,
    );
    expect(input).toEqual({
      version: 7,
      category: 'illegal',
      illegalSubtype: 'new',
      buildYear: 2026,
      ruralHousingReasons: [],
    });
    expect(InputSchemas.determine.safeParse(input).success).toBe(true);
  });

  it('converts local date-times to ISO instants and keeps booleans', () => {
    const schema = inputJsonSchema('verify') as Parameters<typeof inputFrom>[0];
    const input = inputFrom(
      schema,
      { description: '现场核查', visitedAt: '2026-11-20T09:30', photos: '[]' },
      3,
    );
    expect(input.visitedAt).toBe(new Date('2026-11-20T09:30').toISOString());
    expect(InputSchemas.verify.safeParse(input).success).toBe(true);
    const rectify = inputJsonSchema('rectify') as Parameters<typeof inputFrom>[0];
    expect(inputFrom(rectify, {}, 1).restoredToFarming).toBe(true); // a const in the schema
  });
});
