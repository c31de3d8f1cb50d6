import { beforeAll, describe, expect, it } from 'vitest';
import { servedFixture } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Finding: a transition's input went into the append-only record as it came — a 10 MB string
 * or a 200,000-key object was stored for ever. Inputs are now bounded (depth, keys, string
 * length, total size) before they reach the record, with a clear bad_input, changing nothing.
 */
describe.each(testBackends())(
  'transition inputs are bounded before the record on $name',
  (backend) => {
    const fx = servedFixture(backend);
    let polygon: number;

    beforeAll(async () => {
      [{ id: polygon }] = await fx.db.query<{ id: number }>(
        `SELECT id FROM polygons WHERE code = 'P-NANCUN'`,
      );
    });

    const events = async () =>
      (await fx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events'))[0].n;
    const analyse = (extra: Record<string, unknown>) => ({
      version: 1,
      totalMu: 1.2,
      layerMu: { farmland: 1 },
      preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
      ...extra,
    });
    const act = async (action: string, input: unknown) =>
      fx.s.app.inject({
        method: 'POST',
        url: `/api/polygons/${polygon}/transitions`,
        headers: { cookie: await fx.s.login('province') },
        payload: { action, input },
      });
    const province = async () => {
      const [u] = await fx.db.query<{ id: number }>(
        `SELECT id FROM users WHERE username = 'province'`,
      );
      return {
        id: Number(u.id),
        role: 'province_monitor' as const,
        jurisdictionCode: '140000',
        scope: (await import('../../src/store/scope.ts')).Scope.system(),
      };
    };

    it('refuses a 200,000-key object, a long string and deep nesting, recording nothing', async () => {
      const before = await events();
      const wide = await act(
        'analyse',
        analyse({
          layerMu: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 1])),
        }),
      );
      expect(wide.statusCode).toBe(400);
      expect(wide.json().error).toMatchObject({ code: 'bad_input' });
      expect(wide.json().error.message).toMatch(/条目过多.*too many keys or items/);
      const long = await act('analyse', analyse({ repeatOf: 'x'.repeat(100_000) }));
      expect(long.statusCode).toBe(400);
      expect(long.json().error).toMatchObject({ code: 'bad_input', field: 'repeatOf' });
      let deep: Record<string, unknown> = { end: true };
      for (let i = 0; i < 50; i++) deep = { deeper: deep };
      const nested = await act('analyse', analyse({ layerMu: deep }));
      expect(nested.statusCode).toBe(400);
      expect(nested.json().error.message).toMatch(/嵌套过深.*nested too deeply/);
      expect(await events()).toBe(before);
    });

    it('refuses a 10 MB string and a 200,000-key object at the service, whatever the HTTP body limit', async () => {
      const before = await events();
      const p = (await province()) as Parameters<typeof fx.s.services.cases.act>[0];
      const err = await fx.s.services.cases
        .act(p, polygon, 'analyse', analyse({ repeatOf: 'x'.repeat(10 * 1024 * 1024) }))
        .catch((e) => e);
      expect(err).toMatchObject({ code: 'bad_input', field: 'repeatOf' });
      const wide = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, 1]));
      const started = performance.now();
      expect(
        await fx.s.services.cases
          .act(p, polygon, 'analyse', analyse({ layerMu: wide }))
          .catch((e) => e),
      ).toMatchObject({ code: 'bad_input' });
      expect(performance.now() - started).toBeLessThan(1000);
      expect(await events()).toBe(before);
    });

    it('still takes an ordinary input', async () => {
      const ok = await act('analyse', analyse({}));
      expect(ok.statusCode, ok.body).toBe(200);
    });
  },
);
