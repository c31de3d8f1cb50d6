import { GengbaoError } from '../errors.ts';

/**
 * The container structure of JPEG and PNG files, walked segment by segment (chunk by chunk):
 * rewriting a photo with only what draws the picture, and refusing a file that merely starts
 * like an image. Pixel data is never decoded here (photo-clean.ts decodes).
 */

export function notAPhoto(field: string, why: string): GengbaoError {
  return new GengbaoError('bad_input', `${field}: 不是有效的照片 · not a valid photo: ${why}`, {
    field,
  });
}

/** JPEG markers kept: everything that decodes the picture (tables, frame, scans, restarts). */
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const SOS = 0xda;
const EOI = 0xd9;

/**
 * The JPEG with its APPn segments other than JFIF (APP0), the ICC colour profile (APP2) and
 * Adobe's colour transform (APP14), its comments (COM) and whatever follows the end of the image
 * removed; a minimal EXIF with the orientation alone replaces the original EXIF.
 */
export function stripJpeg(b: Buffer, field = 'photo'): Buffer {
  const out: Buffer[] = [b.subarray(0, 2)];
  let orientation = 0;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw notAPhoto(field, `JPEG 结构损坏 · a broken JPEG segment at byte ${i}`);
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    } // fill byte
    const len = b.readUInt16BE(i + 2);
    const end = i + 2 + len;
    if (len < 2 || end > b.length)
      throw notAPhoto(field, `JPEG 结构损坏 · a JPEG segment runs past the file at byte ${i}`);
    if (marker === APP1 && b.toString('latin1', i + 4, i + 10) === 'Exif\0\0')
      orientation ||= exifOrientation(b.subarray(i + 10, end));
    const keep =
      marker === APP0 ||
      (marker === APP2 && b.toString('latin1', i + 4, i + 16) === 'ICC_PROFILE\0') ||
      marker === APP14 ||
      marker < 0xe0 ||
      (marker > 0xef && marker !== 0xfe);
    if (marker === SOS) {
      // The entropy-coded data runs to the end-of-image marker; restart markers (FFD0–FFD7) and
      // stuffed FF00 bytes belong to it, and progressive files have more tables and scans after.
      let j = end;
      for (;;) {
        while (
          j + 1 < b.length &&
          !(b[j] === 0xff && b[j + 1] !== 0 && !(b[j + 1] >= 0xd0 && b[j + 1] <= 0xd7))
        )
          j++;
        if (j + 1 >= b.length)
          throw notAPhoto(field, 'JPEG 没有结束标记 · the JPEG has no end-of-image marker');
        if (b[j + 1] === 0xff) {
          j++;
          continue;
        }
        break;
      }
      out.push(b.subarray(i, j));
      i = j;
      if (b[i + 1] === EOI) {
        out.push(Buffer.from([0xff, EOI]));
        if (orientation > 1)
          out.splice(out[1]?.[1] === APP0 ? 2 : 1, 0, orientationExif(orientation));
        return Buffer.concat(out); // anything after EOI is dropped
      }
      continue;
    }
    if (marker === EOI) break;
    if (keep) out.push(b.subarray(i, end));
    i = end;
  }
  throw notAPhoto(field, 'JPEG 没有图像数据 · the JPEG has no image scan');
}

/** The Orientation tag (0x0112) of EXIF IFD0, or 0. */
function exifOrientation(tiff: Buffer): number {
  if (tiff.length < 8) return 0;
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) =>
    o + 2 <= tiff.length ? (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o)) : 0;
  const u32 = (o: number) =>
    o + 4 <= tiff.length ? (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o)) : 0;
  const ifd = u32(4);
  const n = u16(ifd);
  for (let k = 0; k < n; k++) {
    const e = ifd + 2 + k * 12;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 0;
    }
  }
  return 0;
}

/** An APP1 EXIF segment holding only the orientation (big-endian TIFF, one IFD entry). */
function orientationExif(orientation: number): Buffer {
  const tiff = Buffer.from([
    0x4d,
    0x4d,
    0,
    0x2a,
    0,
    0,
    0,
    8,
    0,
    1,
    0x01,
    0x12,
    0,
    3,
    0,
    0,
    0,
    1,
    0,
    orientation,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, APP1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** PNG chunks that draw the picture; text (tEXt, zTXt, iTXt), eXIf, time and private chunks go. */
const PNG_KEEP = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'gAMA',
  'cHRM',
  'sRGB',
  'iCCP',
  'sBIT',
  'pHYs',
  'bKGD',
]);

/** The PNG with only the chunks of PNG_KEEP, ending at IEND (trailing bytes dropped). */
export function stripPng(b: Buffer, field = 'photo'): Buffer {
  const out: Buffer[] = [b.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= b.length) {
    const len = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    const end = i + 12 + len;
    if (end > b.length || !/^[A-Za-z]{4}$/.test(type)) break;
    if (i === 8 && type !== 'IHDR') break;
    if (PNG_KEEP.has(type)) out.push(b.subarray(i, end));
    if (type === 'IEND') return Buffer.concat(out);
    i = end;
  }
  throw notAPhoto(field, `PNG 结构损坏 · a broken PNG chunk at byte ${i}`);
}
