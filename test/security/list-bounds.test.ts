import { describe, expect, it } from 'vitest';
import { servedFixture } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Finding (issue 25): lists that answer everything in one reply let one request hold the
 * server while 199 others wait, and grow with the years (imagery, cameras, field tasks, the
 * year-end duties answered whole; field tasks were silently cut at 2,000). Every list a GET
 * answers is now either keyset-paged with a capped `limit` (the clients follow `nextCursor`)
 * or bounded by what it is, and this test makes each new list say which.
 */
const BOUNDED: Record<string, string> = {
  'GET /api/tokens': 'a person holds at most 20 live API tokens (a 21st is refused)',
  'GET /api/jurisdictions/{code}': 'one unit; its bbox is four numbers',
  'GET /api/polygons/{id}': "one 图斑: its record's events and places",
  'GET /api/lifecycle': 'the state machine’s transitions, fixed in code',
  'GET /api/polygons/{id}/actions': 'the actions of one 图斑’s current state',
  'GET /api/subscriptions': 'one person’s area subscriptions (at most 50)',
  'GET /api/subscriptions/deliveries': 'the 100 newest deliveries',
  'GET /api/polygons/{id}/rechecks': 'the re-checks of one 图斑 (one per later scene)',
  'GET /api/layers': 'one row per reference layer in scope: a few per kind and county',
  'GET /api/jobs/types': 'the job types, fixed in code',
  'GET /api/tiles': 'the vector tile layers, fixed in code',
  'GET /api/stats/polygons': 'one row per unit one level below the scope',
  'GET /api/oversight/illegal-ratio': 'one row per unit at one level for one year',
  'GET /api/oversight/ledgers': 'one row per county in scope',
  'GET /api/oversight/ledgers/{county}': 'one county’s quota ledger entries, a few a year',
  'GET /api/oversight/duties/{id}': 'one duty with its 补划 parcels',
  'GET /api/oversight/sweeps': 'one year-end sweep per county and year',
  'GET /api/oversight/config': 'one row per change of the oversight settings',
  'GET /api/oversight/suggestions': 'one suggestion per unit over the rule for one year',
  'GET /api/oversight/weak-enforcement': 'one row per unit at one level for one year',
  'GET /api/leads/report': 'counts by source and status, and the leads of one period',
  'GET /api/oversight/scorecards': 'one scorecard per unit at one level for one year',
  'GET /api/field/package/{polygonId}': 'one 图斑’s deadlines and imagery chips',
  'GET /api/field/polygons/{id}/evidence': 'one 图斑’s field submissions',
  'GET /api/field/flags': 'one row per county in scope',
  'GET /api/patrols/stats': 'one row per field chief of the caller’s unit over ≤ 52 weeks',
  'GET /api/public/region': 'the region’s counties, for the public map',
  'GET /ogc': 'the landing page’s links',
  'GET /ogc/conformance': 'the conformance classes, fixed in code',
  'GET /ogc/collections': 'the collections, fixed in code',
  'GET /ogc/collections/{collectionId}': 'one collection’s links and CRSs',
  'GET /api/reports/statistics/table': 'the report’s tables, one row per unit in scope',
  'GET /api/polygons/{id}/documents': 'one 图斑’s documents',
  'GET /api/documents/templates': 'the document kinds, fixed in code',
  'GET /api/settings': 'the settings an administrator overrode',
  'GET /api/polygons/extent': 'a bbox: four numbers',
  'GET /api/spot-checks/{id}/outcomes': 'one spot check’s drawn sample (≤ its sample size)',
  'GET /api/detection-models': 'the sensors and their model versions, one per learning run',
};

type Schema = {
  type?: string;
  properties?: Record<string, { type?: string }>;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

/** A list: an array answer, an object with an array member, or a choice of which one is. */
const isList = (s: Schema | undefined): boolean =>
  !!s &&
  (s.type === 'array' ||
    Object.values(s.properties ?? {}).some((p) => p.type === 'array') ||
    [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(isList));
type Param = { in: string; name: string; schema?: { maximum?: number } };

describe('every list answered by a GET is paged or bounded', () => {
  const backend = testBackends()[0];
  const fx = servedFixture(backend);

  it('takes a capped limit, or says in BOUNDED why it need not', async () => {
    const doc = (await fx.s.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<
        string,
        {
          get?: {
            parameters?: Param[];
            responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
          };
        }
      >;
    };
    const unbounded: string[] = [];
    const paged: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const schema = ops.get?.responses?.['200']?.content?.['application/json']?.schema;
      if (!isList(schema)) continue;
      const name = `GET ${path}`;
      const limit = ops.get?.parameters?.find((p) => p.in === 'query' && p.name === 'limit');
      if (limit?.schema?.maximum !== undefined) paged.push(name);
      else if (!BOUNDED[name]) unbounded.push(name);
    }
    expect(unbounded).toEqual([]);
    // The lists this issue paged are among them (a route losing its limit fails here).
    for (const name of [
      'GET /api/imagery',
      'GET /api/cameras',
      'GET /api/field/tasks',
      'GET /api/oversight/duties',
      'GET /api/polygons',
      'GET /api/jurisdictions',
      'GET /api/layers/features',
      'GET /api/inbox',
      'GET /api/oversight/registers/listings',
    ])
      expect(paged).toContain(name);
    // A route in BOUNDED that took a limit since should leave the table.
    expect(paged.filter((n) => BOUNDED[n])).toEqual([]);
  });
});
