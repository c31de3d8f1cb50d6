/**
 * I/O: the file-level GDAL metadata items (TIFF tag 42112) of a GeoTIFF, for scene-facts.ts.
 * A file that is not a TIFF, or has no such tag, gives no items (the intake then reads the
 * sidecar and the name).
 */
import { fromFile } from 'geotiff';

export async function gdalMetadataItems(file: string): Promise<Record<string, string>> {
  try {
    const tiff = await fromFile(file);
    try {
      const image = await tiff.getImage();
      const fd = image.fileDirectory;
      if (!fd.hasTag('GDAL_METADATA')) return {};
      await fd.loadValue('GDAL_METADATA');
      const items = (await image.getGDALMetadata(null)) ?? {};
      return Object.fromEntries(Object.entries(items).map(([k, v]) => [k, String(v)]));
    } finally {
      await tiff.close?.();
    }
  } catch {
    return {};
  }
}
