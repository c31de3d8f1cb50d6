import { open, type FileHandle } from 'node:fs/promises';
import { GengbaoError } from '../../errors.ts';

/**
 * Sequential reads of exact byte counts from a file through a 1 MiB window, so Shapefile
 * and DBF records stream in bounded memory whatever the file size.
 */
export class ByteReader {
  private buf = Buffer.alloc(0);
  private pos = 0;
  private filePos = 0;
  private eof = false;

  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<ByteReader> {
    return new ByteReader(await open(path, 'r'), path);
  }

  /** Up to `n` bytes; fewer only at the end of the file. */
  async read(n: number): Promise<Buffer> {
    while (this.buf.length - this.pos < n && !this.eof) {
      const chunk = Buffer.allocUnsafe(Math.max(1 << 20, n));
      const { bytesRead } = await this.fh.read(chunk, 0, chunk.length, this.filePos);
      this.filePos += bytesRead;
      if (bytesRead === 0) this.eof = true;
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk.subarray(0, bytesRead)]);
      this.pos = 0;
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += out.length;
    return out;
  }

  /** Exactly `n` bytes, or a GengbaoError saying the file is truncated. */
  async readExactly(n: number, what: string): Promise<Buffer> {
    const b = await this.read(n);
    if (b.length !== n)
      throw new GengbaoError('bad_input', `${this.path} is truncated (${what})`, { field: 'file' });
    return b;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
