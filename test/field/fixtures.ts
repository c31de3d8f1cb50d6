import { createHash, randomUUID } from 'node:crypto';
import { PNG } from 'pngjs';

/** A small real PNG whose pixels derive from `seed`, so each photo has its own hash. */
export function testPng(seed: number, size = 16): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = (seed * 37 + i) & 255;
    png.data[i + 1] = (seed * 91 + (i >> 2)) & 255;
    png.data[i + 2] = (seed * 13) & 255;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A captured photo as the phone sends it: bytes, hash at capture, position and time. */
export function capture(
  bytes: Buffer,
  at: string,
  lon = 112.011,
  lat = 35.011,
  extra: Record<string, unknown> = {},
) {
  return {
    data: bytes.toString('base64'),
    sha256: sha256(bytes),
    lon,
    lat,
    accuracyM: 8,
    heading: 90,
    takenAt: at,
    ...extra,
  };
}

export const uuid = () => randomUUID();
