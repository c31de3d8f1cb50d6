import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { crsFromEpsg } from '../../src/raster/crs.ts';
import { writeMultiband } from '../../src/raster/test-fixtures.ts';
import type { Queryable } from '../../src/store/db.ts';

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

/**
 * A small 4-band scene (blue, green, red, NIR) over 112.00–112.02 E, 35.01–35.02 N — around the
 * fixture 图斑 P-NANCUN — stored as imagery of township 140525100, outside a village chief's scope.
 */
export async function seedImagery(db: Queryable, dir: string): Promise<void> {
  const width = 200;
  const height = 100;
  const bands = [0, 1, 2, 3].map(() => new Uint16Array(width * height));
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      bands[0][r * width + c] = 300 + ((r * 7 + c) % 50);
      bands[1][r * width + c] = 800 + ((r + c) % 90);
      bands[2][r * width + c] = c < width / 2 ? 2500 : 400;
      bands[3][r * width + c] = 2000;
    }
  const grid = {
    width,
    height,
    crs: crsFromEpsg(4490),
    originX: 112.0,
    originY: 35.02,
    pixelWidth: 0.0001,
    pixelHeight: 0.0001,
  };
  const file = join(dir, 'after.tif');
  writeMultiband(file, bands, grid);
  await db.query(
    "INSERT INTO imagery (name, acquired_on, uri, jurisdiction_code, bbox, meta) VALUES ('after', '2026-11-15', $1, '140525100', box(point(112.0, 35.01), point(112.02, 35.02)), '{\"role\":\"after\"}')",
    [file],
  );
}
