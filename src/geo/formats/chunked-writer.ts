import { open, type FileHandle } from 'node:fs/promises';

/** Buffered sequential writes (8 MiB batches), with a positional write to patch headers at the end. */
export class ChunkedWriter {
  private chunks: Buffer[] = [];
  private size = 0;
  private offset = 0;
  private constructor(private readonly fh: FileHandle) {}

  static async create(path: string): Promise<ChunkedWriter> {
    return new ChunkedWriter(await open(path, 'w'));
  }

  /** Bytes written so far (buffered included). */
  get position(): number {
    return this.offset + this.size;
  }

  async write(b: Buffer): Promise<void> {
    this.chunks.push(b);
    this.size += b.length;
    if (this.size >= 8 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const all = Buffer.concat(this.chunks);
    await this.fh.write(all, 0, all.length, this.offset);
    this.offset += all.length;
    this.chunks = [];
    this.size = 0;
  }

  /** Overwrite bytes at `position` (after flushing), e.g. a header whose counts are now known. */
  async patch(position: number, b: Buffer): Promise<void> {
    await this.flush();
    await this.fh.write(b, 0, b.length, position);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.fh.close();
  }
}
