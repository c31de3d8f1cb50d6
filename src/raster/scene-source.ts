/**
 * I/O: open a GeoTIFF / COG scene — one multiband file, or a folder holding one file per band
 * (B02.tif, B03.tif, …), a local path or an http(s) URL read by range requests — and read
 * pixel windows as Float32 bands. Everything downstream (src/detect) only sees windows.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fromFile, fromUrl, type GeoTIFF, type GeoTIFFImage } from 'geotiff';
import { GengbaoError } from '../errors.ts';
import { crsFromGeoKeys, sameCrs, type GeoKeys } from './crs.ts';
import { describeGrid, type PixelWindow, type RasterGrid } from './grid.ts';
import { registerDecoders } from './decoders.ts';
import { blockReaderFor, type BlockReader, type InterleavedBlock } from './block-reader.ts';
import { declaredScaling, type BandScaling } from './band-scaling.ts';
import {
  bandResampling,
  coarseWindow,
  coarserFactor,
  repeatOnFine,
  resampleOnFine,
  sourceWindow,
  type BandResampling,
} from './band-grids.ts';
import { jpeg2000Refusal, noBandFilesRefusal, rpcOnlyRefusal } from './unread-inputs.ts';

/** Where one named band lives: a sample of an image in a file. */
interface BandRef {
  file: string;
  image: GeoTIFFImage;
  sample: number;
  /** The direct block reader, when the file allows it (block-reader.ts). */
  blocks?: BlockReader;
  /** Pixels of the scene's grid a side per pixel of this band (band-grids.ts); 1 for most. */
  factor: number;
  /** Set for a band on any other grid: how it is resampled onto the scene's (band-grids.ts). */
  resample?: { map: BandResampling; nodata: number | null };
}

/** An opened scene: its grid, its band names and a window reader. */
export interface RasterScene {
  location: string;
  grid: RasterGrid;
  /** Band names: file stems for a folder (B02, B8A, SCL, B4 from LC08_…_B4.TIF), "1".."n" for a multiband file. */
  bandNames: string[];
  /** Rows per tile or strip of the first band: windows aligned to it decode each block once. */
  blockHeight: number;
  /** Columns per tile of the first band (the image width for strips). */
  blockWidth: number;
  /** The declared nodata value (GDAL_NODATA), if any. */
  nodata: number | null;
  /**
   * What was done to read the scene on one grid, for the run's output: a band folder's bands on
   * grids that are not whole multiples of the finest, resampled onto it (band-grids.ts).
   */
  notes?: string[];
  /**
   * Per band name, the scaling its file declares (band-scaling.ts), for the bands that declare
   * one: what the stored numbers mean physically, such as Sentinel-2's offset from processing
   * baseline 04.00. Values are read as stored; the detector applies it (detect/radiometry.ts).
   */
  scaling?: Record<string, BandScaling>;
  /**
   * Read the named bands over a window of this scene's own grid, as Float32. `into`: arrays
   * of the window's size that may be filled and returned instead of new ones (a reader that
   * cannot fill them returns new arrays).
   */
  readBands(names: string[], window: PixelWindow, into?: Float32Array[]): Promise<Float32Array[]>;
  /**
   * The named bands over a window as one decoded block of a pixel-interleaved 4-band UInt16
   * file (see BlockReader.readBlock), with each name's sample index; undefined when the file
   * or the window does not allow it. Valid until the scene is read again.
   */
  readBlock?(
    names: string[],
    window: PixelWindow,
  ): (InterleavedBlock & { order: number[] }) | undefined;
  /** Whether readBlock can serve these bands (one pixel-interleaved 4-band UInt16 image). */
  canReadBlock?(names: string[]): boolean;
  /**
   * Keep the decoded blocks of about `rows` rows of the whole width per file for readBands
   * (BlockReader.retain), for windows read with margins that overlap their neighbours'; the
   * values read are the same.
   */
  retainBlocks?(rows: number): void;
  close(): Promise<void>;
}

/** Whether a scene location is an http(s) URL (read by range requests) rather than a local path. */
export const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/**
 * Band name from a file name: "B02.tif" → "B02", "LC08_L2SP_..._SR_B4.TIF" → "B4", "SCL.tif" →
 * "SCL", "LC09_L1TP_…_QA_PIXEL.TIF" → "QA_PIXEL".
 */
export function bandNameOf(file: string): string {
  const stem = basename(file, extname(file)).toUpperCase();
  const m = /(?:^|_)(B\d+A?|SCL|QA_PIXEL)$/.exec(stem);
  return m ? m[1] : stem;
}

function wrap(e: unknown, file: string, what: string): GengbaoError {
  if (e instanceof GengbaoError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const code = /compression/i.test(msg) ? 'unsupported' : 'bad_input';
  return new GengbaoError(code, `${file}: ${what}: ${msg}`, { field: 'image', cause: e });
}

async function openTiff(location: string): Promise<GeoTIFF> {
  registerDecoders();
  try {
    return isUrl(location)
      ? await fromUrl(location, { allowFullFile: false })
      : await fromFile(location);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (isUrl(location))
      throw new GengbaoError('bad_input', `${location}: cannot read the URL (${msg})`, {
        field: 'image',
        cause: e,
      });
    if (/ENOENT/.test(msg))
      throw new GengbaoError('not_found', `${location}: no such file`, {
        field: 'image',
        cause: e,
      });
    throw jpeg2000Refusal(location, e) ?? wrap(e, location, 'not a readable GeoTIFF');
  }
}

const SUPPORTED = new Set(['1:8', '1:16', '2:16', '3:32']);

async function describeImage(
  tiff: GeoTIFF,
  file: string,
  checkDecode: boolean,
): Promise<{
  image: GeoTIFFImage;
  grid: RasterGrid;
  nodata: number | null;
  blockHeight: number;
  blockWidth: number;
}> {
  let image: GeoTIFFImage;
  try {
    image = await tiff.getImage(0);
  } catch (e) {
    throw wrap(e, file, 'cannot read the first image directory');
  }
  const fmt = `${image.getSampleFormat(0) ?? 1}:${image.getBitsPerSample(0)}`;
  if (!SUPPORTED.has(fmt))
    throw new GengbaoError(
      'unsupported',
      `${file}: sample type ${fmt} (format:bits) is not supported; use UInt8, UInt16, Int16 or Float32`,
      {
        field: 'image',
      },
    );
  const keys = image.getGeoKeys() as GeoKeys | null;
  const rpc = keys ? undefined : rpcOnlyRefusal(image, file, !isUrl(file));
  if (rpc) throw rpc;
  const crs = crsFromGeoKeys(keys, file);
  let origin: number[];
  let res: number[];
  try {
    origin = image.getOrigin();
    res = image.getResolution();
  } catch (e) {
    throw wrap(e, file, 'no affine georeference (tiepoint/pixel scale)');
  }
  const grid: RasterGrid = {
    width: image.getWidth(),
    height: image.getHeight(),
    crs,
    originX: origin[0],
    originY: origin[1],
    pixelWidth: Math.abs(res[0]),
    pixelHeight: Math.abs(res[1]),
  };
  // Decode one pixel now so that an unsupported compression or a truncated file fails at open.
  try {
    if (checkDecode) await image.readRasters({ window: [0, 0, 1, 1], samples: [0] });
  } catch (e) {
    throw wrap(e, file, 'cannot decode pixels');
  }
  return {
    image,
    grid,
    nodata: image.getGDALNoData(),
    blockHeight: image.getTileHeight(),
    blockWidth: image.getTileWidth(),
  };
}

/**
 * Open a scene: a multiband GeoTIFF (local or http(s) URL) or a local folder of per-band
 * GeoTIFFs. A folder is read on its finest band's grid; bands with pixels a whole number of
 * times larger from the same corner (Sentinel-2's 20 m B11, B12 and SCL beside its 10 m bands)
 * are read repeated onto it, bands on any other grid of the same CRS that overlaps it are
 * resampled onto it (nearest from coarser pixels, area-average from finer; band-grids.ts) and
 * named in the scene's `notes`; a band sharing no ground with it is refused. A first pixel is decoded
 * unless `checkDecode` is false (a worker reopening files the main thread has opened).
 */
export async function openScene(
  location: string,
  opts: { checkDecode?: boolean } = {},
): Promise<RasterScene> {
  const tiffs: GeoTIFF[] = [];
  const readers: BlockReader[] = [];
  const refs = new Map<string, BandRef>();
  const scaling: Record<string, BandScaling> = {};
  let grid: RasterGrid | undefined;
  let nodata: number | null = null;
  let blockHeight = 1;
  let blockWidth = 0;
  // Bands resampled onto the finest grid, by how (the note the run prints).
  const resampled = new Map<string, string[]>();
  try {
    let files: string[];
    const isDir = !isUrl(location) && statSafe(location)?.isDirectory();
    if (isDir) {
      files = readdirSync(location)
        .filter((f) => /\.tiff?$/i.test(f))
        .sort()
        .map((f) => join(location, f));
      if (files.length === 0) throw noBandFilesRefusal(location);
    } else files = [location];
    const opened = [];
    for (const file of files) {
      const tiff = await openTiff(file);
      tiffs.push(tiff);
      opened.push({ file, tiff, d: await describeImage(tiff, file, opts.checkDecode ?? true) });
    }
    const finest = opened.reduce((a, b) =>
      b.d.grid.pixelWidth * b.d.grid.pixelHeight < a.d.grid.pixelWidth * a.d.grid.pixelHeight
        ? b
        : a,
    );
    grid = finest.d.grid;
    for (const { file, tiff, d } of opened) {
      const factor = coarserFactor(grid, d.grid);
      let resample: BandRef['resample'];
      if (factor === undefined) {
        const map = bandResampling(grid, d.grid);
        if (!map)
          throw new GengbaoError(
            'bad_input',
            `${file}: its grid (${describeGrid(d.grid)}) does not overlap the grid of the folder's finest band ${finest.file} (${describeGrid(grid)})${sameCrs(grid.crs, d.grid.crs) ? '' : ': they are in different CRSs; reproject the bands onto one (gdalwarp -t_srs)'}`,
            { field: 'image' },
          );
        resample = { map, nodata: d.nodata };
        const what = `${d.grid.width}×${d.grid.height} px of ${round(d.grid.pixelWidth)}×${round(d.grid.pixelHeight)}`;
        const key = `${what} → ${basename(finest.file)}'s ${grid.width}×${grid.height} px of ${round(grid.pixelWidth)}×${round(grid.pixelHeight)} by ${map.method}${map.covered < 1 ? ` (covering ${(map.covered * 100).toFixed(1)} % of it; the rest nodata)` : ''}`;
        resampled.set(key, [...(resampled.get(key) ?? []), isDir ? bandNameOf(file) : file]);
      }
      nodata ??= d.nodata;
      if (factor === 1 && !resample) {
        blockHeight = Math.max(blockHeight, d.blockHeight);
        blockWidth ||= d.blockWidth;
      }
      const blocks = isUrl(file)
        ? undefined
        : await blockReaderFor(file, d.image, tiff.littleEndian);
      if (blocks) readers.push(blocks);
      const bands = isDir
        ? [{ name: bandNameOf(file), sample: 0 }]
        : Array.from({ length: d.image.getSamplesPerPixel() }, (_, s) => ({
            name: String(s + 1),
            sample: s,
          }));
      for (const { name, sample } of bands) {
        refs.set(name, { file, image: d.image, sample, blocks, factor: factor ?? 1, resample });
        const declared = await declaredScaling(d.image, sample);
        if (declared) scaling[name] = declared;
      }
    }
  } catch (e) {
    readers.forEach((r) => r.close());
    await Promise.all(tiffs.map((t) => t.close()));
    throw e;
  }
  const g = grid as RasterGrid;
  return {
    location,
    grid: g,
    bandNames: [...refs.keys()],
    nodata,
    ...(resampled.size > 0
      ? {
          notes: [...resampled].map(
            ([how, bands]) =>
              `${location}: ${bands.join(', ')} resampled from ${how} (not a whole-number multiple of the finest band's grid from its corner)`,
          ),
        }
      : {}),
    ...(Object.keys(scaling).length > 0 ? { scaling } : {}),
    blockHeight,
    blockWidth,
    readBands: (names, window, into) => readBands(location, refs, names, window, into),
    canReadBlock: (names) => canReadBlock(refs, names),
    retainBlocks: (rows) => readers.forEach((r) => r.retain(rows)),
    readBlock: (names, window) => {
      if (!canReadBlock(refs, names)) return undefined;
      const r = names.map((n) => refs.get(n) as BandRef);
      const block = r[0].blocks?.readBlock(window);
      return block && { ...block, order: r.map((x) => x.sample) };
    },
    close: async () => {
      readers.forEach((r) => r.close());
      await Promise.all(tiffs.map((t) => t.close()));
    },
  };
}

/** The named bands are samples of one pixel-interleaved 4-band UInt16 image with a block reader. */
function canReadBlock(refs: Map<string, BandRef>, names: string[]): boolean {
  const r = names.map((n) => refs.get(n));
  return Boolean(r[0]?.blocks?.interleaved4 && r.every((x) => x?.image === r[0]?.image));
}

const alphaOf = new WeakMap<GeoTIFFImage, Promise<number | undefined>>();

/**
 * The sample holding an alpha channel (TIFF ExtraSamples 1 or 2), as orthophotos from drone
 * photogrammetry (OpenDroneMap, GDAL's -dstalpha) mark where the mosaic has no data: the
 * other samples read NaN where it is 0 (readBands), whatever colour the fill holds.
 */
function alphaSample(image: GeoTIFFImage): Promise<number | undefined> {
  let found = alphaOf.get(image);
  if (!found) {
    found = (async () => {
      const fd = image.fileDirectory;
      const extra = fd.hasTag('ExtraSamples')
        ? ((await fd.loadValue('ExtraSamples')) as ArrayLike<number> | number)
        : [];
      const kinds = typeof extra === 'number' ? [extra] : Array.from(extra);
      const j = kinds.findIndex((k) => k === 1 || k === 2);
      return j < 0 ? undefined : image.getSamplesPerPixel() - kinds.length + j;
    })();
    alphaOf.set(image, found);
  }
  return found;
}

/** TIFF PhotometricInterpretation 6: the samples are Y, Cb, Cr (JPEG-compressed RGB imagery). */
function isYCbCr(image: GeoTIFFImage): boolean {
  return image.fileDirectory.getValue('PhotometricInterpretation') === 6;
}

/** The planes at `samples` of a list of planes. */
function pick(planes: ArrayLike<ArrayLike<number>>, samples: number[]): ArrayLike<number>[] {
  return samples.map((k) => planes[k]);
}

/** A pixel size for a note: 10, 19.97. */
const round = (v: number): string => String(Number(v.toPrecision(4)));

function statSafe(p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

async function readBands(
  location: string,
  refs: Map<string, BandRef>,
  names: string[],
  w: PixelWindow,
  into?: Float32Array[],
): Promise<Float32Array[]> {
  const out: Float32Array[] = new Array(names.length);
  // Group the requested samples by image so that a pixel-interleaved multiband file is decoded once per window.
  const byImage = new Map<
    GeoTIFFImage,
    {
      file: string;
      blocks?: BlockReader;
      factor: number;
      resample?: BandRef['resample'];
      samples: number[];
      slots: number[];
    }
  >();
  names.forEach((name, slot) => {
    const ref = refs.get(name);
    if (!ref)
      throw new GengbaoError(
        'bad_input',
        `${location}: band ${name} is missing (has ${[...refs.keys()].join(', ')})`,
        { field: 'bands' },
      );
    const g = byImage.get(ref.image) ?? {
      file: ref.file,
      blocks: ref.blocks,
      factor: ref.factor,
      resample: ref.resample,
      samples: [],
      slots: [],
    };
    g.samples.push(ref.sample);
    g.slots.push(slot);
    byImage.set(ref.image, g);
  });
  await Promise.all(
    [...byImage].map(async ([image, g]) => {
      let rasters;
      let alpha: ArrayLike<number> | undefined;
      let a: number | undefined;
      // A band on another grid is read over the window of its own pixels that `w` takes.
      if (g.resample) {
        const rs = g.resample;
        const sw = sourceWindow(rs.map, w);
        let raw: ArrayLike<number>[] | undefined;
        try {
          if (sw)
            raw = g.blocks
              ? g.blocks.read(g.samples, sw)
              : ((await image.readRasters({
                  window: [sw.x0, sw.y0, sw.x0 + sw.width, sw.y0 + sw.height],
                  samples: g.samples,
                })) as unknown as ArrayLike<number>[]);
        } catch (e) {
          throw wrap(e, g.file, `cannot decode window ${w.x0},${w.y0} ${w.width}×${w.height}`);
        }
        g.slots.forEach((slot, i) => {
          out[slot] = resampleOnFine(raw?.[i], sw, rs.map, w, rs.nodata);
        });
        return;
      }
      // A coarser band is read over the window of its own pixels that holds `w`.
      const r = g.factor > 1 ? coarseWindow(w, g.factor) : w;
      try {
        const window = [r.x0, r.y0, r.x0 + r.width, r.y0 + r.height];
        // The alpha sample, when the image has one, is read along with the others.
        a = await alphaSample(image);
        const samples = a !== undefined && !g.samples.includes(a) ? [...g.samples, a] : g.samples;
        rasters = g.blocks
          ? g.blocks.read(
              samples,
              r,
              g.factor === 1 ? into && g.slots.map((slot) => into[slot]) : undefined,
            )
          : isYCbCr(image)
            ? // readRasters hands back Y, Cb, Cr themselves, which detection would take for red,
              // green and blue; readRGB converts them (JPEG/YCbCr is how most aerial and drone
              // orthophotos are stored).
              pick(await image.readRGB({ window, interleave: false }), g.samples)
            : await image.readRasters({ window, samples });
        if (a !== undefined) alpha = rasters[samples.indexOf(a)] as ArrayLike<number> | undefined;
        if (alpha && g.factor > 1) alpha = repeatOnFine(alpha, r, g.factor, w);
      } catch (e) {
        throw wrap(e, g.file, `cannot decode window ${w.x0},${w.y0} ${w.width}×${w.height}`);
      }
      g.slots.forEach((slot, i) => {
        const band = rasters[i] as ArrayLike<number>;
        const f =
          g.factor > 1
            ? repeatOnFine(band, r, g.factor, w)
            : band instanceof Float32Array
              ? band
              : new Float32Array(band as unknown as Uint16Array);
        if (alpha && g.samples[i] !== a)
          for (let k = 0; k < f.length; k++) if (alpha[k] === 0) f[k] = NaN;
        out[slot] = f;
      });
    }),
  );
  return out;
}
