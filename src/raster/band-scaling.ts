/**
 * What a GeoTIFF declares about the physical values of its stored numbers, read from GDAL's
 * metadata tag (TIFF tag 42112, GDAL_METADATA).
 */
import type { GeoTIFFImage } from 'geotiff';

/** A band's declared linear scaling: physical value = stored · scale + offset (GDAL's convention). */
export interface BandScaling {
  scale: number;
  offset: number;
}

const loads = new WeakMap<GeoTIFFImage, Promise<boolean>>();

/**
 * Whether the image has GDAL metadata, loaded once per image. geotiff.js answers `hasTag` false
 * while a deferred tag is being loaded, so a second reader during the first's load found no
 * metadata (seen with four bands asked for at once).
 */
function metadataLoaded(image: GeoTIFFImage): Promise<boolean> {
  let load = loads.get(image);
  if (!load) {
    const fd = image.fileDirectory;
    load = fd.hasTag('GDAL_METADATA')
      ? fd.loadValue('GDAL_METADATA').then(() => true)
      : Promise.resolve(false);
    loads.set(image, load);
  }
  return load;
}

const num = (v: unknown): number | undefined => {
  const x = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(x) ? x : undefined;
};

/**
 * The scaling GDAL metadata declares for one sample of an image, or undefined when it declares
 * none. Two spellings are read:
 * - GDAL's own band scale and offset (`<Item name="SCALE" sample="0" role="scale">`, written by
 *   `gdal_translate -a_scale/-a_offset`, by rasterio's `scales`/`offsets`, and by GDAL's
 *   Sentinel-2 and Landsat drivers when they know the product's);
 * - ESA's Sentinel-2 metadata names copied onto the band or the whole file, as tools converting
 *   SAFE products keep them: `BOA_ADD_OFFSET` (Level-2A) or `RADIO_ADD_OFFSET` (Level-1C) and
 *   `BOA_QUANTIFICATION_VALUE` / `QUANTIFICATION_VALUE`, for which reflectance =
 *   (stored + ADD_OFFSET) / QUANTIFICATION_VALUE.
 * A band's own item wins over the file's.
 */
export async function declaredScaling(
  image: GeoTIFFImage,
  sample: number,
): Promise<BandScaling | undefined> {
  if (!(await metadataLoaded(image))) return undefined;
  const file = (await image.getGDALMetadata(null)) ?? {};
  const band = (await image.getGDALMetadata(sample)) ?? {};
  const item = (name: string): number | undefined => num(band[name]) ?? num(file[name]);
  const scale = item('SCALE');
  const offset = item('OFFSET');
  if (scale !== undefined || offset !== undefined) {
    const s = scale ?? 1;
    return s !== 0 ? { scale: s, offset: offset ?? 0 } : undefined;
  }
  const add = item('BOA_ADD_OFFSET') ?? item('RADIO_ADD_OFFSET');
  if (add === undefined) return undefined;
  const q = item('BOA_QUANTIFICATION_VALUE') ?? item('QUANTIFICATION_VALUE') ?? 10000;
  return q > 0 ? { scale: 1 / q, offset: add / q } : undefined;
}
