import { GengbaoError } from '../errors.ts';
import { stripJpeg, stripPng } from './photo-structure.ts';

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

/**
 * The image type from the file's first bytes (magic numbers), never from the name or the
 * declared MIME type, which a client may set to anything. JPEG starts FF D8 FF, PNG with its
 * 8-byte signature, WebP as a RIFF…WEBP container, HEIC (iPhone camera default) as an ISO BMFF
 * `ftyp` box with a HEIF brand.
 */
export function sniffImage(bytes: Uint8Array): ImageType | null {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v))
    return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (
    b.length >= 12 &&
    ascii(4, 8) === 'ftyp' &&
    ['heic', 'heix', 'mif1', 'msf1', 'heim', 'heis'].includes(ascii(8, 12))
  )
    return 'image/heic';
  return null;
}

/**
 * Refuses what is not a photo, or too large to be one, naming the field and the reason.
 * Returns the sniffed type. A JPEG or PNG must also be whole as a container (segments and
 * chunks to the end-of-image marker), so HTML or SVG behind an image's first bytes is refused;
 * the bytes themselves are kept as sent (field evidence is proved by its hash at capture).
 */
export function assertPhotoFile(bytes: Uint8Array, maxBytes: number, field: string): ImageType {
  if (bytes.length === 0) throw new GengbaoError('bad_input', `${field} is empty`, { field });
  if (bytes.length > maxBytes) {
    throw new GengbaoError(
      'bad_input',
      `${field} is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${(maxBytes / 1048576).toFixed(1)} MB`,
      { field },
    );
  }
  const type = sniffImage(bytes);
  if (!type)
    throw new GengbaoError(
      'unsupported',
      `${field} is not a JPEG, PNG, WebP or HEIC image (by its content)`,
      { field },
    );
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'image/jpeg') stripJpeg(buf, field);
  if (type === 'image/png') stripPng(buf, field);
  return type;
}
