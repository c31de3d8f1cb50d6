import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { GengbaoError } from '../errors.ts';
import { ThreadPool } from '../threads/pool.ts';
import { cleanTipPhotosHere, cleanTipPhotosOn } from './tip-intake.ts';

/** A 16 × 16 PNG with a tEXt chunk (a tipster's name) that cleaning must drop. */
function pngWithText(): string {
  const png = new PNG({ width: 16, height: 16 });
  png.data.fill(90);
  const b = PNG.sync.write(png);
  const text = Buffer.from('Comment\0Zhang San', 'latin1');
  const chunk = Buffer.concat([Buffer.alloc(4), Buffer.from('tEXt'), text, Buffer.alloc(4)]);
  chunk.writeUInt32BE(text.length, 0);
  return Buffer.concat([b.subarray(0, b.length - 12), chunk, b.subarray(b.length - 12)]).toString(
    'base64',
  );
}

describe('tip photos cleaned on a worker thread', () => {
  const pool = new ThreadPool(1);
  const onThread = cleanTipPhotosOn(pool);
  afterAll(() => pool.close());

  it('gives the bytes the calling thread gives, as Buffers, without the text chunk', async () => {
    const photos = [{ data: pngWithText() }];
    const [there] = await onThread(photos);
    const [here] = await cleanTipPhotosHere(photos);
    expect(Buffer.isBuffer(there.bytes)).toBe(true);
    expect(there.mediaType).toBe('image/png');
    expect(there.bytes.equals(here.bytes)).toBe(true);
    expect(there.bytes.includes(Buffer.from('Zhang San'))).toBe(false);
  });

  it('refuses a file that is not a picture with the same error, naming the photo', async () => {
    const fake = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('not a png at all'),
    ]).toString('base64');
    const photos = [{ data: pngWithText() }, { data: fake }];
    const error = await onThread(photos).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GengbaoError);
    expect(error).toMatchObject({ code: 'bad_input', field: 'photos[1]' });
    expect((error as Error).message).toMatch(/不是有效的照片/);
  });
});
