import { createHash } from 'node:crypto';

/** Iterated SHA-256 of the empty string: deterministic work for the probe job. */
export function hashRounds(rounds: number): string {
  let h = '';
  for (let i = 0; i < rounds; i++) h = createHash('sha256').update(h).digest('hex');
  return h;
}
