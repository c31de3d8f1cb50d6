import { threadModule } from '../../threads/bundle.ts';
import type { ThreadPool } from '../../threads/pool.ts';
import { encodeTile, type TileInput } from './mvt.ts';

/** Turns one layer's features at one address into MVT bytes (a zero-byte body when empty). */
export type TileEncoder = (input: TileInput) => Promise<Uint8Array>;

const EMPTY = new Uint8Array(0);

/** The encoder on the calling thread: CLI commands, benchmarks and tests. */
export const encodeTileHere: TileEncoder = async (input) =>
  input.features.length ? encodeTile(input) : EMPTY;

/**
 * The encoder on `threads`, for the server: parsing the outlines and encoding a zoom-11 or
 * -12 tile of a few hundred parcels takes 5–20 ms of CPU, which on the thread that answers
 * requests every client waits through. A tile with no features (most 图斑 tiles at high zoom)
 * is answered here: a round trip to the thread would cost more than it saves.
 * The module loads from its bundle (threads/bundle.ts): a thread starts in a tenth of a second.
 */
export function encodeTilesOn(threads: ThreadPool): TileEncoder {
  const url = threadModule(new URL('./mvt.ts', import.meta.url));
  return async (input) => {
    if (!input.features.length) return EMPTY;
    const module = threads.module<typeof import('./mvt.ts')>(await url);
    return module.run('encodeTile', input);
  };
}
