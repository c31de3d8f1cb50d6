import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../src/raster/test-fixtures.ts';
import { auditRecord } from '../../src/services/record-audit.ts';
import { importLayer } from '../../src/services/imports.ts';
import { seedFixtureRegion, square } from '../../src/server/testing.ts';
import { Scope } from '../../src/store/scope.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Finding: reference-layer imports — the layers that decide what counts as farmland — left no
 * trace in the append-only record. Each import now appends `reference_layer.imported` (who,
 * file, kind, counts) in the same transaction as the layer; a failed import appends nothing.
 */
describe.each(testBackends())('reference-layer imports are in the record on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  const dir = tempDir('gengbao-ref-record-');

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
  });
  afterAll(async () => db?.drop());

  const events = () =>
    db.query<{
      entity_type: string;
      entity_id: string;
      type: string;
      jurisdiction_code: string;
      actor_id: number | null;
      payload: Record<string, unknown>;
    }>(`SELECT * FROM events WHERE entity_type = 'reference_layer' ORDER BY seq`);

  it('records who imported which file, its kind and counts, with the layer', async () => {
    const path = join(dir, '耕地.geojson');
    const features = [square(112.01, 35.01, 0.01), square(112.3, 35.3, 0.01)].map(
      (geometry, i) => ({ type: 'Feature', properties: { DLMC: '水田', n: i }, geometry }),
    );
    writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features }));
    const r = await importLayer(db, Scope.system(), {
      kind: 'farmland',
      path,
      jurisdictionCode: '140525',
      importedBy: 'cli (tester)',
    });
    const [e] = await events();
    expect(e).toMatchObject({
      entity_id: String(r.layerId),
      type: 'reference_layer.imported',
      jurisdiction_code: '140525',
      actor_id: null,
    });
    expect(e.payload).toMatchObject({
      importedBy: 'cli (tester)',
      file: '耕地.geojson',
      kind: 'farmland',
      counts: { read: 2, accepted: 2, stored: 2, rejected: 0 },
    });
    const audit = await auditRecord(db);
    expect(audit.chain.ok).toBe(true);
  });

  it('appends nothing when the import fails', async () => {
    const bad = join(dir, 'bad.geojson');
    writeFileSync(
      bad,
      '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[112,35]}}]}',
    );
    const before = (await events()).length;
    await expect(
      importLayer(db, Scope.system(), { kind: 'pbf', path: bad, jurisdictionCode: '140525' }),
    ).rejects.toMatchObject({ code: 'bad_input' });
    expect((await events()).length).toBe(before);
  });
});
