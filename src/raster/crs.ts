import proj4 from 'proj4';
import { GengbaoError } from '../errors.ts';

/** A coordinate reference system known to Gengbao: an EPSG code and its proj4 definition. */
export interface Crs {
  epsg: number;
  proj4: string;
  /** true when coordinates are degrees of longitude/latitude. */
  geographic: boolean;
}

const GK = (lon0: number, x0: number): string =>
  `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`;

/**
 * proj4 definition of the EPSG codes imagery for Chinese farmland arrives in: WGS 84 and
 * CGCS2000 geographic, Web Mercator, WGS 84 UTM zones, and the CGCS2000 Gauss–Krüger 3° and 6°
 * zones (EPSG:4491–4554). Anything else is refused rather than guessed: a wrong CRS would put
 * every polygon in the wrong place without any error.
 */
function proj4Of(epsg: number): string | undefined {
  if (epsg === 4326) return '+proj=longlat +datum=WGS84 +no_defs';
  if (epsg === 4490) return '+proj=longlat +ellps=GRS80 +no_defs';
  if (epsg === 3857)
    return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';
  if (epsg >= 32601 && epsg <= 32660)
    return `+proj=utm +zone=${epsg - 32600} +datum=WGS84 +units=m +no_defs`;
  if (epsg >= 32701 && epsg <= 32760)
    return `+proj=utm +zone=${epsg - 32700} +south +datum=WGS84 +units=m +no_defs`;
  // CGCS2000 Gauss–Krüger: 6° zones 13–23 with and without the zone prefix, 3° zones 25–45 likewise.
  if (epsg >= 4491 && epsg <= 4501) {
    const zone = 13 + epsg - 4491;
    return GK(zone * 6 - 3, zone * 1e6 + 500000);
  }
  if (epsg >= 4502 && epsg <= 4512) return GK((13 + epsg - 4502) * 6 - 3, 500000);
  if (epsg >= 4513 && epsg <= 4533) {
    const zone = 25 + epsg - 4513;
    return GK(zone * 3, zone * 1e6 + 500000);
  }
  if (epsg >= 4534 && epsg <= 4554) return GK(75 + 3 * (epsg - 4534), 500000);
  return undefined;
}

/** The Crs of an EPSG code, or a GengbaoError('unsupported') naming it and `source`. */
export function crsFromEpsg(epsg: number, source = 'input'): Crs {
  const def = proj4Of(epsg);
  if (!def)
    throw new GengbaoError(
      'unsupported',
      `${source}: CRS EPSG:${epsg} is not supported (supported: EPSG:4326, 4490, 3857, WGS 84 UTM 326xx/327xx, CGCS2000 Gauss–Krüger 4491–4554)`,
      { field: 'crs' },
    );
  return { epsg, proj4: def, geographic: def.startsWith('+proj=longlat') };
}

/** GeoTIFF keys as geotiff.js `getGeoKeys()` returns them. */
export interface GeoKeys {
  GTModelTypeGeoKey?: number;
  ProjectedCSTypeGeoKey?: number;
  GeographicTypeGeoKey?: number;
}

/**
 * The CRS a GeoTIFF declares in its geokeys (GeoTIFF 1.1 §7: model type 1 = projected, 2 =
 * geographic). User-defined CRSs (32767) and files without geokeys are refused.
 */
export function crsFromGeoKeys(keys: GeoKeys | null, source: string): Crs {
  if (!keys)
    throw new GengbaoError(
      'bad_input',
      `${source}: the file has no GeoTIFF georeference (geokeys)`,
      { field: 'crs' },
    );
  const code =
    keys.GTModelTypeGeoKey === 2
      ? keys.GeographicTypeGeoKey
      : (keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey);
  if (code === undefined || code === 32767 || code === 0)
    throw new GengbaoError(
      'unsupported',
      `${source}: user-defined or missing CRS in the geokeys; reproject the file to an EPSG CRS`,
      {
        field: 'crs',
      },
    );
  return crsFromEpsg(code, source);
}

/** A function projecting CRS coordinates to lon/lat (CGCS2000 ≈ WGS 84 to well under a metre). */
export function toLonLat(crs: Crs): (x: number, y: number) => [number, number] {
  if (crs.geographic) return (x, y) => [x, y];
  const p = proj4(crs.proj4, 'EPSG:4326');
  return (x, y) => p.forward([x, y]) as [number, number];
}

/** Inverse of `toLonLat`: lon/lat to CRS coordinates. */
export function fromLonLat(crs: Crs): (lon: number, lat: number) => [number, number] {
  if (crs.geographic) return (x, y) => [x, y];
  const p = proj4(crs.proj4, 'EPSG:4326');
  return (x, y) => p.inverse([x, y]) as [number, number];
}
