import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Chips } from '../detect/chips.ts';

export type ChipSide = 'before' | 'after';

/**
 * Before/after evidence chips of detected 图斑, as PNG files under `<data>/chips`, named by
 * the 图斑 code: written by detection, read by the polygon page.
 */
export class ChipFiles {
  constructor(private readonly dir: string) {}

  /** Writes both chips of a 图斑 atomically (a reader never sees half a PNG). */
  async save(code: string, chips: Chips): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const [which, png] of [
      ['before', chips.before],
      ['after', chips.after],
    ] as const) {
      const path = join(this.dir, `${code}-${which}.png`);
      await writeFile(`${path}.tmp`, png);
      await rename(`${path}.tmp`, path);
    }
  }

  /** One chip, or null when the 图斑 has none (not detected, or detected without chips). */
  read(code: string, which: ChipSide): Promise<Buffer | null> {
    return readFile(join(this.dir, `${code}-${which}.png`)).catch(() => null);
  }
}
