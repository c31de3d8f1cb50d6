import { describe, expect, it } from 'vitest';
import { QueryTurns } from './query-turns.ts';

describe('tile queries on the embedded database take turns with the event loop', () => {
  it('runs one query at a time, and what the loop had waiting runs before the next', async () => {
    const turns = new QueryTurns();
    const seen: string[] = [];
    let running = 0;
    let most = 0;
    const query =
      (name: string, first = false) =>
      async () => {
        most = Math.max(most, ++running);
        // Work arriving while the query runs: a request read off a socket, say.
        if (first) setImmediate(() => seen.push('loop'));
        seen.push(name);
        await Promise.resolve();
        running--;
        return name;
      };
    const answers = await Promise.all([
      turns.run(true, query('a', true)),
      turns.run(true, query('b')),
      turns.run(true, query('c')),
    ]);
    expect(answers).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual(['a', 'loop', 'b', 'c']);
    expect(most).toBe(1);
  });

  it('a failed query fails only its own tile', async () => {
    const turns = new QueryTurns();
    const failed = turns.run(true, () => Promise.reject(new Error('查询失败')));
    const next = turns.run(true, async () => 'next');
    await expect(failed).rejects.toThrow('查询失败');
    expect(await next).toBe('next');
  });

  it('on a PostgreSQL server queries go at once, side by side', async () => {
    const turns = new QueryTurns();
    let running = 0;
    let most = 0;
    const query = async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setImmediate(r));
      running--;
    };
    await Promise.all([turns.run(false, query), turns.run(false, query)]);
    expect(most).toBe(2);
  });
});
