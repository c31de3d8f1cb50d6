/**
 * Tile queries on embedded PostgreSQL one at a time, each after a turn of the event loop.
 * PGlite runs a query synchronously in WebAssembly on the thread that answers requests, and
 * the queries waiting for it follow one another through promise callbacks, which never give
 * the event loop a turn: 200 clients asking for tiles never built queued 200 queries that ran
 * as one block — the loop stood still 0.3–1.2 s at a time (measured with a 50 ms interval
 * timer under `npm run bench:tiles`), and /api/health, tiles read from disk and every other
 * request waited through it. Waiting for `setImmediate` before each query lets the requests
 * that arrived in between be read and answered. On a PostgreSQL server queries run in its own
 * processes and nothing waits here.
 */
export class QueryTurns {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(embedded: boolean, query: () => Promise<T>): Promise<T> {
    if (!embedded) return query();
    const mine = this.last.then(
      () => new Promise<void>((r) => setImmediate(r)),
      () => new Promise<void>((r) => setImmediate(r)),
    );
    const result = mine.then(query);
    this.last = result.catch(() => undefined);
    return result;
  }
}
