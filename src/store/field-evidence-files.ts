import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GengbaoError } from '../errors.ts';

/** SHA-256 of bytes as lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Photo originals, content-addressed: `<dir>/<sha256>`. A file is written to a temporary name
 * in the same folder and renamed into place (rename is atomic on one file system), so a crash
 * mid-write never leaves a truncated original under a valid name; writing the same photo twice
 * is a no-op, so retries and replays cost nothing.
 */
export class EvidenceFiles {
  constructor(readonly dir: string) {}

  /** Stores the bytes and returns their SHA-256 (the name they are stored under). */
  async put(bytes: Uint8Array): Promise<string> {
    const sha = sha256Hex(bytes);
    const path = join(this.dir, sha);
    if (await exists(path)) return sha;
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${sha}.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, path);
    return sha;
  }

  /** Deletes a file (retention of tip photos); a missing one is no error. */
  async remove(sha256: string): Promise<void> {
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw new GengbaoError('bad_input', 'evidence id must be a SHA-256', { field: 'sha256' });
    await rm(join(this.dir, sha256), { force: true });
  }

  async read(sha256: string): Promise<Buffer> {
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw new GengbaoError('bad_input', 'evidence id must be a SHA-256', { field: 'sha256' });
    try {
      return await readFile(join(this.dir, sha256));
    } catch {
      throw new GengbaoError('not_found', `no evidence file ${sha256}`, { field: 'sha256' });
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
