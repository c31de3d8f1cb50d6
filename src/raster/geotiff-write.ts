import { deflateSync } from 'node:zlib';
import { GEOGRAPHIC_EPSG } from '../geo/crs.ts';
import {
  ANGULAR_DEGREE,
  CT_TRANSVERSE_MERCATOR,
  LINEAR_METRE,
  USER_DEFINED,
  type Crs,
} from './crs.ts';
import type { BandScaling } from './band-scaling.ts';
import type { RasterGrid } from './grid.ts';

/** Pixel arrays the writer accepts, one per band, row-major. */
export type BandArray = Uint8Array | Uint16Array | Int16Array | Float32Array;

export interface GeoTiffWriteOptions {
  /** Square tile size in pixels (multiple of 16); strips of `tileSize` rows when `tiled` is false. */
  tileSize?: number;
  tiled?: boolean;
  /** DEFLATE (TIFF compression 8) through node:zlib; default true. */
  deflate?: boolean;
  /** zlib level of the DEFLATE blocks, 1 (fastest) to 9; default 6, as GDAL's ZLEVEL. */
  level?: number;
  /** Sample layout of a multiband file: 'band' (separate planes, default) or 'pixel' (interleaved). */
  interleave?: 'band' | 'pixel';
  /** TIFF predictor 2 (horizontal differencing) for integer bands, as GDAL's PREDICTOR=2 writes. */
  predictor?: 1 | 2;
  nodata?: number;
  /**
   * A scaling every band declares (physical = stored · scale + offset), written as GDAL writes
   * band scale and offset (GDAL_METADATA items, role scale/offset; read back by band-scaling.ts):
   * what a Sentinel-2 product from processing baseline 04.00 converted by GDAL carries.
   */
  scaling?: BandScaling;
}

const SHORT = 3;
const LONG = 4;
const DOUBLE = 12;
const ASCII = 2;

interface Entry {
  tag: number;
  type: number;
  values: number[] | string;
}

/**
 * Encode bands as a GeoTIFF (classic TIFF, little endian, band-separate planes, tiled or
 * stripped, optionally DEFLATE) georeferenced on `grid` by tiepoint + pixel scale + geokeys
 * (geoKeysOf).
 * Written by hand because geotiff.js's writer only emits one uncompressed strip, which makes a
 * 10980² mask 120 MB and cannot produce the tiled, compressed fixtures the reader must handle.
 * Pure: returns the bytes; the caller writes them.
 */
export function encodeGeoTiff(
  bands: BandArray[],
  grid: RasterGrid,
  opts: GeoTiffWriteOptions = {},
): Buffer {
  const { width, height } = grid;
  const tiled = opts.tiled ?? true;
  const size = opts.tileSize ?? 256;
  const deflate = opts.deflate ?? true;
  const predictor = opts.predictor ?? 1;
  const first = bands[0];
  const bytes = first.BYTES_PER_ELEMENT;
  const format = first instanceof Float32Array ? 3 : first instanceof Int16Array ? 2 : 1;
  const blockW = tiled ? size : width;
  const blockH = tiled ? size : Math.min(size, height);
  const across = Math.ceil(width / blockW);
  const down = Math.ceil(height / blockH);
  const blocks: Buffer[] = [];
  // Band-separate planes (PlanarConfiguration 2) by default; pixel-interleaved (1) as GDAL writes multiband files by default.
  const planes = opts.interleave === 'pixel' ? [bands] : bands.map((b) => [b]);
  const per = planes[0].length;
  const Ctor = first.constructor as { new (b: ArrayBuffer, o: number, l: number): BandArray };
  // A change mask is almost all zero: each block that holds one repeated byte is compressed
  // once per size and its bytes reused (deflating a 10980² mask's zero tiles one by one took
  // 0.8 s, most of what follows classification).
  const uniform = new Map<string, Buffer>();
  for (const plane of planes) {
    for (let by = 0; by < down; by++) {
      for (let bx = 0; bx < across; bx++) {
        // Tiles are always full size (padded with zeros); the last strip may be short.
        const rows = tiled ? blockH : Math.min(blockH, height - by * blockH);
        const raw = Buffer.alloc(blockW * rows * per * bytes);
        const view = new Ctor(raw.buffer, raw.byteOffset, blockW * rows * per);
        for (let r = 0; r < rows; r++) {
          const y = by * blockH + r;
          if (y >= height) break;
          const x0 = bx * blockW;
          const n = Math.min(blockW, width - x0);
          if (per === 1)
            view.set(plane[0].subarray(y * width + x0, y * width + x0 + n), r * blockW);
          else
            for (let x = 0; x < n; x++)
              for (let s = 0; s < per; s++)
                view[(r * blockW + x) * per + s] = plane[s][y * width + x0 + x];
        }
        if (predictor === 2) {
          // Difference right to left so each value still sees its original left neighbour.
          const mask = bytes === 1 ? 0xff : 0xffff;
          for (let r = 0; r < rows; r++)
            for (let i = (r + 1) * blockW * per - 1; i >= r * blockW * per + per; i--)
              view[i] = (view[i] - view[i - per]) & mask;
        }
        if (!deflate) blocks.push(raw);
        else {
          // All bytes equal ⇔ the block equals itself shifted by one (one memcmp).
          const same = raw.subarray(1).equals(raw.subarray(0, raw.length - 1));
          const key = same ? `${raw[0]}:${raw.length}` : undefined;
          const packed =
            (key ? uniform.get(key) : undefined) ?? deflateSync(raw, { level: opts.level ?? 6 });
          if (key) uniform.set(key, packed);
          blocks.push(packed);
        }
      }
    }
  }
  const n = bands.length;
  const georef = geoKeysOf(grid.crs);
  const entries: Entry[] = [
    { tag: 256, type: LONG, values: [width] },
    { tag: 257, type: LONG, values: [height] },
    { tag: 258, type: SHORT, values: Array(n).fill(bytes * 8) },
    { tag: 259, type: SHORT, values: [deflate ? 8 : 1] },
    { tag: 317, type: SHORT, values: [predictor] },
    { tag: 262, type: SHORT, values: [1] },
    { tag: 277, type: SHORT, values: [n] },
    { tag: 284, type: SHORT, values: [n > 1 && per === 1 ? 2 : 1] },
    { tag: 339, type: SHORT, values: Array(n).fill(format) },
    { tag: 33550, type: DOUBLE, values: [grid.pixelWidth, grid.pixelHeight, 0] },
    { tag: 33922, type: DOUBLE, values: [0, 0, 0, grid.originX, grid.originY, 0] },
    { tag: 34735, type: SHORT, values: georef.keys },
  ];
  // Samples beyond the first of a min-is-black image are declared as unspecified extra
  // samples, as GDAL writes them (without the tag libtiff warns on every open).
  if (n > 1) entries.push({ tag: 338, type: SHORT, values: Array(n - 1).fill(0) });
  if (georef.doubles.length) entries.push({ tag: 34736, type: DOUBLE, values: georef.doubles });
  if (georef.ascii) entries.push({ tag: 34737, type: ASCII, values: `${georef.ascii}\0` });
  if (opts.nodata !== undefined)
    entries.push({ tag: 42113, type: ASCII, values: `${opts.nodata}\0` });
  if (opts.scaling) {
    const { scale, offset } = opts.scaling;
    const items = bands.flatMap((_, s) => [
      `<Item name="OFFSET" sample="${s}" role="offset">${offset}</Item>`,
      `<Item name="SCALE" sample="${s}" role="scale">${scale}</Item>`,
    ]);
    entries.push({
      tag: 42112,
      type: ASCII,
      values: `<GDALMetadata>${items.join('')}</GDALMetadata>\0`,
    });
  }
  const offsets: number[] = [];
  const counts = blocks.map((b) => b.length);
  if (tiled)
    entries.push(
      { tag: 322, type: LONG, values: [blockW] },
      { tag: 323, type: LONG, values: [blockH] },
      { tag: 324, type: LONG, values: offsets },
      { tag: 325, type: LONG, values: counts },
    );
  else
    entries.push(
      { tag: 273, type: LONG, values: offsets },
      { tag: 278, type: LONG, values: [blockH] },
      { tag: 279, type: LONG, values: counts },
    );
  entries.sort((a, b) => a.tag - b.tag);
  // Layout: header (8) | blocks | IFD | out-of-line values.
  let pos = 8;
  for (const b of blocks) {
    offsets.push(pos);
    pos += b.length;
  }
  if (pos % 2) pos++;
  const ifdAt = pos;
  const ifdSize = 2 + entries.length * 12 + 4;
  let extraAt = ifdAt + ifdSize;
  const ifd = Buffer.alloc(ifdSize);
  const extras: Buffer[] = [];
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach((e, i) => {
    const data = encodeValues(e);
    const at = 2 + i * 12;
    ifd.writeUInt16LE(e.tag, at);
    ifd.writeUInt16LE(e.type, at + 2);
    ifd.writeUInt32LE(typeof e.values === 'string' ? e.values.length : e.values.length, at + 4);
    if (data.length <= 4) data.copy(ifd, at + 8);
    else {
      ifd.writeUInt32LE(extraAt, at + 8);
      extras.push(data);
      extraAt += data.length + (data.length % 2);
      if (data.length % 2) extras.push(Buffer.alloc(1));
    }
  });
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(ifdAt, 4);
  const pad = Buffer.alloc(ifdAt - offsets.reduce((_, o, i) => o + counts[i], 8));
  return Buffer.concat([header, ...blocks, pad, ifd, ...extras]);
}

function encodeValues(e: Entry): Buffer {
  if (typeof e.values === 'string') return Buffer.from(e.values, 'latin1');
  const v = e.values;
  const size = e.type === SHORT ? 2 : e.type === LONG ? 4 : 8;
  const b = Buffer.alloc(v.length * size);
  v.forEach((x, i) => {
    if (e.type === SHORT) b.writeUInt16LE(x, i * 2);
    else if (e.type === LONG) b.writeUInt32LE(x, i * 4);
    else b.writeDoubleLE(x, i * 8);
  });
  return b;
}

/**
 * The GeoKeyDirectory declaring `crs` (GeoTIFF 1.1 §7), with its double and ASCII parameters:
 * the EPSG code when the CRS has one; a Transverse Mercator without one (read from a file's
 * user-defined keys or a `.prj`) spelled out as user-defined keys on its datum's geographic
 * CRS, so that a mask carries the CRS of the imagery it was computed on.
 */
export function geoKeysOf(crs: Crs): { keys: number[]; doubles: number[]; ascii?: string } {
  // [key id, tag holding the value (0: the value itself), count, value or index]
  const entries: number[][] = [
    [1024, 0, 1, crs.geographic ? 2 : 1], // GTModelTypeGeoKey: projected / geographic
    [1025, 0, 1, 1], // GTRasterTypeGeoKey: PixelIsArea
  ];
  const doubles: number[] = [];
  let ascii: string | undefined;
  if (crs.epsg !== undefined) entries.push([crs.geographic ? 2048 : 3072, 0, 1, crs.epsg]);
  else if (crs.centralMeridian !== undefined) {
    const param = (id: number, v: number): number[] => [id, 34736, 1, doubles.push(v) - 1];
    // PCSCitationGeoKey: the name, when it is ASCII as the tag requires.
    if (/^[\x20-\x7e]*$/.test(crs.name)) ascii = `${crs.name}|`;
    entries.push(
      [2048, 0, 1, GEOGRAPHIC_EPSG[crs.datum]], // GeographicTypeGeoKey
      [2054, 0, 1, ANGULAR_DEGREE], // GeogAngularUnitsGeoKey
      [3072, 0, 1, USER_DEFINED], // ProjectedCSTypeGeoKey
      ...(ascii ? [[3073, 34737, ascii.length, 0]] : []),
      [3074, 0, 1, USER_DEFINED], // ProjectionGeoKey
      [3075, 0, 1, CT_TRANSVERSE_MERCATOR], // ProjCoordTransGeoKey
      [3076, 0, 1, LINEAR_METRE], // ProjLinearUnitsGeoKey
      param(3080, crs.centralMeridian), // ProjNatOriginLongGeoKey
      param(3081, crs.latitudeOfOrigin ?? 0), // ProjNatOriginLatGeoKey
      param(3082, crs.falseEasting ?? 0), // ProjFalseEastingGeoKey
      param(3083, crs.falseNorthing ?? 0), // ProjFalseNorthingGeoKey
      param(3092, crs.scale ?? 1), // ProjScaleAtNatOriginGeoKey
    );
  } else throw new Error(`cannot declare ${crs.name} in GeoTIFF keys: no EPSG code`);
  return { keys: [1, 1, 0, entries.length, ...entries.flat()], doubles, ascii };
}
