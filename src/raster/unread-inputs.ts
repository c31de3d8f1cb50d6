/**
 * Imagery Gengbao does not read, recognised so that the refusal says what to do instead of
 * "not a readable GeoTIFF": Sentinel-2's JPEG 2000 bands and Level-1 products located only by
 * rational polynomial coefficients (RPC) before orthorectification.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import type { GeoTIFFImage } from 'geotiff';
import { GengbaoError } from '../errors.ts';

/** A JPEG 2000 file name (Sentinel-2 SAFE bands are .jp2). */
const isJpeg2000 = (name: string): boolean => /\.(jp2|j2k)$/i.test(name);

const JPEG2000 =
  'JPEG 2000 (the bands of Sentinel-2 SAFE products) is not read; convert each band to a GeoTIFF or COG first, keeping its band name, e.g. gdal_translate -of COG T50SKF_20230415T030539_B02_10m.jp2 B02.tif';

/** The refusal of a file that failed to open as a TIFF, when it is JPEG 2000; else undefined. */
export function jpeg2000Refusal(location: string, cause: unknown): GengbaoError | undefined {
  return isJpeg2000(location)
    ? new GengbaoError('unsupported', `${location}: ${JPEG2000}`, { field: 'image', cause })
    : undefined;
}

/** Why a band folder holding no GeoTIFF is refused, with the conversion when it holds a SAFE product's JPEG 2000. */
export function noBandFilesRefusal(folder: string): GengbaoError {
  const safe = readdirSync(folder).some((f) => isJpeg2000(f) || f === 'GRANULE');
  return new GengbaoError(
    'bad_input',
    `${folder}: the folder holds no .tif band files${safe ? `; ${JPEG2000}` : ''}`,
    { field: 'image' },
  );
}

/**
 * The refusal of an image without georeference that carries RPCs instead — the TIFF RPC tag
 * (50844, as GDAL writes it) or a sidecar `.rpb` / `_rpc.txt`, as Gaofen, ZY-3 and other Level-1
 * products come before orthorectification (sidecars looked for beside `local` files only) — or
 * undefined.
 */
export function rpcOnlyRefusal(
  image: GeoTIFFImage,
  file: string,
  local: boolean,
): GengbaoError | undefined {
  const stem = file.replace(/\.tiff?$/i, '');
  const sidecar =
    local && [`${stem}.rpb`, `${stem}.RPB`, `${stem}_rpc.txt`, `${stem}_RPC.TXT`].some(existsSync);
  if (!image.fileDirectory.hasTag(50844) && !sidecar) return undefined;
  return new GengbaoError(
    'bad_input',
    `${file}: a Level-1 product located only by rational polynomial coefficients (RPC), not orthorectified: orthorectify it first, e.g. gdalwarp -rpc -to RPC_DEM=dem.tif -t_srs EPSG:4490 ${basename(file)} ortho.tif`,
    { field: 'image' },
  );
}
