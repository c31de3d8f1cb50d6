import { describe, expect, it } from 'vitest';
import { testBackends } from '../store/testing.ts';
import { servedFixture } from './testing.ts';

/**
 * Every documented operation says what it answers on success: a response schema for each 2xx
 * status (JSON or a file's media type). The browser apps' types come from the same schemas
 * (src/contract), so an operation without one is a hole in the contract.
 */
describe('the OpenAPI document', () => {
  const backend = testBackends()[0];
  const fx = servedFixture(backend);

  it('declares a response schema for the success status of every operation', async () => {
    const res = await fx.s.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      paths: Record<
        string,
        Record<
          string,
          { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }
        >
      >;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(50);
    const missing = operations
      .filter(({ op }) => {
        const ok = Object.entries(op.responses ?? {}).filter(([code]) => /^2\d\d$/.test(code));
        // 204 is "no content" by definition; every other success says what it carries.
        return (
          ok.length === 0 ||
          ok.some(
            ([code, r]) =>
              code !== '204' && (!r.content || Object.values(r.content).some((c) => !c.schema)),
          )
        );
      })
      .map((o) => o.name);
    expect(missing).toEqual([]);
  });
});
