import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { GengbaoError } from '../errors.ts';
import { sniffImage } from './image.ts';
import { notAPhoto, stripJpeg, stripPng } from './photo-structure.ts';

/** Largest picture a tip photo may be (a 48 MP phone camera is 8000 × 6000). */
const MAX_MEGAPIXELS = 50;

/**
 * A public tip's photo, proved to be a picture and stripped of everything else. A tipster is
 * anonymous, but a phone JPEG carries EXIF: the GPS position of the photo (often the tipster's
 * home), the phone's make, model and serial, the time; XMP and comments may carry more, and
 * bytes after the image's end can hide any file. So the photo is first decoded whole (JPEG by
 * jpeg-js, PNG by pngjs: a file that only starts like an image is refused), then rewritten
 * with only what draws the picture. The pixels' compressed data is kept as it was, not
 * re-encoded, so the evidence loses no quality; the EXIF orientation alone is carried over, so
 * the photo still shows upright. Only JPEG and PNG are taken: browsers send camera photos as
 * JPEG, and WebP/HEIC have no decoder here to prove them.
 */
export function cleanTipPhoto(
  bytes: Uint8Array,
  field: string,
): { bytes: Buffer; mediaType: 'image/jpeg' | 'image/png' } {
  const type = sniffImage(bytes);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'image/jpeg') {
    try {
      jpeg.decode(buf, {
        useTArray: true,
        formatAsRGBA: false,
        maxResolutionInMP: MAX_MEGAPIXELS,
        maxMemoryUsageInMB: 512,
      });
    } catch (e) {
      throw notAPhoto(field, `JPEG 无法解码 · the JPEG does not decode (${(e as Error).message})`);
    }
    return { bytes: stripJpeg(buf, field), mediaType: 'image/jpeg' };
  }
  if (type === 'image/png') {
    try {
      const png = PNG.sync.read(buf);
      if (png.width * png.height > MAX_MEGAPIXELS * 1e6)
        throw new Error(`${png.width} × ${png.height} pixels is too large`);
    } catch (e) {
      throw notAPhoto(field, `PNG 无法解码 · the PNG does not decode (${(e as Error).message})`);
    }
    return { bytes: stripPng(buf, field), mediaType: 'image/png' };
  }
  throw new GengbaoError(
    'unsupported',
    `${field}: 只接受 JPEG 或 PNG 照片 · only JPEG or PNG photos are accepted`,
    { field },
  );
}

/**
 * Every photo of a public tip (base64 as sent) through `cleanTipPhoto`. Runs on a worker
 * thread in the server (services/container.ts): decoding a 50-megapixel JPEG takes seconds of
 * CPU, and anyone may send one, so it must not hold the thread that answers everyone else.
 */
export function cleanTipPhotos(
  photos: { data: string }[],
): { bytes: Buffer; mediaType: 'image/jpeg' | 'image/png' }[] {
  return photos.map((p, i) => cleanTipPhoto(Buffer.from(p.data, 'base64'), `photos[${i}]`));
}
