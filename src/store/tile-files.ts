import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a tile lies: its layer, the scope it was built for, the data stamp, its address. */
export interface TileFileKey {
  layer: string;
  scope: string;
  stamp: string;
  z: number;
  x: number;
  y: number;
}

/** Stamps and scope prefixes become folder names: digits, dots and dashes only. */
const safe = (s: string) => (s === '' ? '_' : s.replace(/[^0-9A-Za-z.-]/g, '_'));

/**
 * Encoded map tiles on disk (no SQL, like the photo originals of field-evidence-files.ts):
 * `<root>/<layer>/<scope>/<stamp>/<z>/<x>/<y>.mvt`. The data stamp is in the path, so a tile
 * of old data is never read once the stamp moves, and a restart or a second server process
 * finds the tiles built before it. A zoom built whole (`prebuild`) is marked complete: a tile
 * missing from a complete zoom is empty, answered without asking the database.
 */
export class TileFiles {
  constructor(readonly root: string) {}

  private dirOf(k: Omit<TileFileKey, 'z' | 'x' | 'y'>): string {
    return join(this.root, safe(k.layer), safe(k.scope), safe(k.stamp));
  }

  private pathOf(k: TileFileKey): string {
    return join(this.dirOf(k), String(k.z), String(k.x), `${k.y}.mvt`);
  }

  /**
   * The tile's bytes; `empty` when its zoom was built whole without it; null when unknown.
   * Read synchronously, on purpose: a tile file is a few kilobytes, read from the page cache in
   * tens of microseconds. The promise API takes four trips through libuv's pool (open, fstat,
   * read, close), each waiting for a turn of an event loop that 200 clients keep busy: under
   * `npm run bench:tiles` (load 17) that was 15 ms a tile at the median and 440 ms at p99 —
   * all of the cold p99 of the tiles built ahead — and 64 ms per tile not on disk.
   */
  async read(k: TileFileKey): Promise<Uint8Array | 'empty' | null> {
    try {
      return readFileSync(this.pathOf(k));
    } catch {
      return this.isComplete(k, k.z) ? 'empty' : null;
    }
  }

  /** Writes a tile atomically (a reader never sees half of it). Empty tiles are not written. */
  async write(k: TileFileKey, bytes: Uint8Array): Promise<void> {
    if (!bytes.byteLength) return;
    const path = this.pathOf(k);
    await mkdir(join(path, '..'), { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  }

  private readonly complete = new Map<string, boolean>();

  /** Whether zoom `z` was built whole (a marker file; looked up synchronously, like `read`). */
  isComplete(k: Omit<TileFileKey, 'z' | 'x' | 'y'>, z: number): boolean {
    const marker = join(this.dirOf(k), String(z), '.complete');
    const known = this.complete.get(marker);
    if (known !== undefined) return known;
    const yes = existsSync(marker);
    // Only "complete" is remembered: an incomplete zoom may be completed by a prebuild.
    if (yes) this.complete.set(marker, true);
    return yes;
  }

  async markComplete(k: Omit<TileFileKey, 'z' | 'x' | 'y'>, z: number): Promise<void> {
    const dir = join(this.dirOf(k), String(z));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.complete'), '');
  }

  /** Removes the tiles of a layer and scope built for other stamps than `keep`. */
  async prune(k: Omit<TileFileKey, 'z' | 'x' | 'y' | 'stamp'>, keep: string): Promise<void> {
    const dir = join(this.root, safe(k.layer), safe(k.scope));
    const stamps = await readdir(dir).catch(() => [] as string[]);
    for (const s of stamps)
      if (s !== safe(keep)) await rm(join(dir, s), { recursive: true, force: true });
    for (const marker of this.complete.keys())
      if (marker.startsWith(dir)) this.complete.delete(marker);
  }
}
