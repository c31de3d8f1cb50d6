import proj4 from 'proj4';
import { GengbaoError } from '../errors.ts';
import {
  crsFromEpsg as registeredCrs,
  datumOfEllipsoid,
  gaussKruger,
  geographicCrs,
  registeredAs,
  type Crs,
  type Datum,
} from '../geo/crs.ts';

/**
 * The CRS of imagery: what a GeoTIFF declares in its geokeys, as one of the CRSs Gengbao knows
 * (src/geo/crs.ts, shared with the vector formats: a `.prj` and a GeoTIFF in Xi'an 1980
 * Gauss–Krüger read alike). Anything else is refused rather than guessed: a wrong CRS would
 * put every polygon in the wrong place without any error.
 */
export type { Crs };

/** The Crs of an EPSG code, or a GengbaoError('unsupported') naming it and `source`. */
export function crsFromEpsg(epsg: number, source = 'input'): Crs {
  try {
    return registeredCrs(epsg);
  } catch (e) {
    throw new GengbaoError('unsupported', `${source}: ${(e as Error).message}`, { field: 'crs' });
  }
}

/** How a grid names its CRS in messages: the EPSG code, or the definition's name. */
export function crsLabel(crs: Crs): string {
  return crs.epsg !== undefined ? `EPSG:${crs.epsg}` : crs.name;
}

/** Whether two CRSs are the same system (the same definition, whatever they are called). */
export function sameCrs(a: Crs, b: Crs): boolean {
  return a.proj4 === b.proj4;
}

/** GeoTIFF keys as geotiff.js `getGeoKeys()` returns them (GeoTIFF 1.1 §7), those read here. */
export interface GeoKeys {
  GTModelTypeGeoKey?: number;
  GTCitationGeoKey?: string;
  GeographicTypeGeoKey?: number;
  GeogGeodeticDatumGeoKey?: number;
  GeogAngularUnitsGeoKey?: number;
  GeogEllipsoidGeoKey?: number;
  GeogSemiMajorAxisGeoKey?: number;
  GeogSemiMinorAxisGeoKey?: number;
  GeogInvFlatteningGeoKey?: number;
  ProjectedCSTypeGeoKey?: number;
  PCSCitationGeoKey?: string;
  ProjectionGeoKey?: number;
  ProjCoordTransGeoKey?: number;
  ProjLinearUnitsGeoKey?: number;
  ProjNatOriginLongGeoKey?: number;
  ProjNatOriginLatGeoKey?: number;
  ProjFalseEastingGeoKey?: number;
  ProjFalseNorthingGeoKey?: number;
  ProjScaleAtNatOriginGeoKey?: number;
  ProjCenterLongGeoKey?: number;
}

/** GeoTIFF's code for "user-defined": the parameters follow in other keys. */
export const USER_DEFINED = 32767;
/** GeoTIFF codes this module reads and writes. */
export const CT_TRANSVERSE_MERCATOR = 1;
export const LINEAR_METRE = 9001;
export const ANGULAR_DEGREE = 9102;
/** EPSG geodetic datum and ellipsoid codes of the datums Gengbao knows. */
const DATUM_CODES: Record<number, Datum> = { 1043: 'CGCS2000', 6326: 'WGS84', 6610: 'Xian1980' };
const ELLIPSOID_CODES: Record<number, Datum> = {
  1024: 'CGCS2000',
  7019: 'CGCS2000',
  7030: 'WGS84',
  7049: 'Xian1980',
};

/**
 * The CRS a GeoTIFF declares in its geokeys (model type 1 = projected, 2 = geographic): an
 * EPSG code, or a user-defined (32767) system spelled out in keys, as GIS software writes
 * when it matches no code. User-defined systems are read when they are geographic or
 * Transverse Mercator (Gauss–Krüger) in metres on CGCS2000, WGS 84 or Xi'an 1980 — the
 * datum from its EPSG code or the ellipsoid's numbers — and get their EPSG code back when
 * they are one of the registered zones. Files without geokeys and other systems are refused,
 * naming what is missing or not supported.
 */
export function crsFromGeoKeys(keys: GeoKeys | null, source: string): Crs {
  const refuse = (why: string): never => {
    throw new GengbaoError(
      'unsupported',
      `${source}: ${why}; reproject the file to an EPSG CRS Gengbao knows (gdalwarp -t_srs EPSG:4490, or a CGCS2000 Gauss–Krüger zone)`,
      { field: 'crs' },
    );
  };
  if (!keys)
    throw new GengbaoError(
      'bad_input',
      `${source}: the file has no GeoTIFF georeference (geokeys)`,
      { field: 'crs' },
    );
  const geographic = keys.GTModelTypeGeoKey === 2;
  const code = geographic
    ? keys.GeographicTypeGeoKey
    : (keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey);
  if (code !== undefined && code !== USER_DEFINED && code !== 0) return crsFromEpsg(code, source);
  if (keys.GTModelTypeGeoKey !== 1 && keys.GTModelTypeGeoKey !== 2)
    return refuse('no CRS in the geokeys (neither an EPSG code nor a model type)');
  const datum = datumOf(keys, refuse);
  if (geographic) return geographicCrs(datum);
  return transverseMercatorOf(keys, datum, refuse);
}

/** The datum of a user-defined CRS's geographic part: its EPSG code, datum, ellipsoid code or numbers. */
function datumOf(keys: GeoKeys, refuse: (why: string) => never): Datum {
  const g = keys.GeographicTypeGeoKey;
  if (g !== undefined && g !== USER_DEFINED) {
    const base = (() => {
      try {
        return registeredCrs(g);
      } catch {
        return refuse(`geographic CRS EPSG:${g} is not one Gengbao knows`);
      }
    })();
    if (!base.geographic) refuse(`EPSG:${g} is not a geographic CRS`);
    return base.datum;
  }
  const unit = keys.GeogAngularUnitsGeoKey;
  if (unit !== undefined && unit !== ANGULAR_DEGREE)
    refuse(`angular unit ${unit} is not the degree`);
  const byCode =
    DATUM_CODES[keys.GeogGeodeticDatumGeoKey ?? -1] ??
    ELLIPSOID_CODES[keys.GeogEllipsoidGeoKey ?? -1];
  if (byCode) return byCode;
  const a = keys.GeogSemiMajorAxisGeoKey;
  const b = keys.GeogSemiMinorAxisGeoKey;
  const rf =
    keys.GeogInvFlatteningGeoKey ??
    (a !== undefined && b !== undefined && a !== b ? a / (a - b) : undefined);
  if (a === undefined || rf === undefined)
    return refuse(
      `user-defined datum ${keys.GeogGeodeticDatumGeoKey ?? '?'} / ellipsoid ${keys.GeogEllipsoidGeoKey ?? '?'} without its axes`,
    );
  return (
    datumOfEllipsoid(a, rf) ??
    refuse(`ellipsoid a=${a} 1/f=${rf} is not CGCS2000, WGS 84 or Xi'an 1980's`)
  );
}

/** A user-defined projected CRS: Transverse Mercator in metres, from its parameter keys. */
function transverseMercatorOf(keys: GeoKeys, datum: Datum, refuse: (why: string) => never): Crs {
  const name = keys.PCSCitationGeoKey ?? keys.GTCitationGeoKey ?? `${datum} / Transverse Mercator`;
  // A registered projection (EPSG's 16xxx codes: UTM zone N north, 100 + N south) on this datum.
  const projection = keys.ProjectionGeoKey ?? USER_DEFINED;
  const zone = projection % 100;
  if (
    projection !== USER_DEFINED &&
    projection >= 16001 &&
    projection <= 16160 &&
    zone >= 1 &&
    zone <= 60
  ) {
    const south = projection > 16100;
    return registeredAs(
      gaussKruger(datum, 6 * zone - 183, 500000, name, undefined, 0.9996, south ? 10_000_000 : 0),
    );
  }
  const method = keys.ProjCoordTransGeoKey;
  if (method !== CT_TRANSVERSE_MERCATOR)
    refuse(
      method === undefined
        ? 'a user-defined projected CRS without its projection method (ProjCoordTransGeoKey)'
        : `projection method ${method} (GeoTIFF CT code) is not Transverse Mercator / Gauss–Krüger`,
    );
  const unit = keys.ProjLinearUnitsGeoKey;
  if (unit !== undefined && unit !== LINEAR_METRE) refuse(`linear unit ${unit} is not the metre`);
  const cm = keys.ProjNatOriginLongGeoKey ?? keys.ProjCenterLongGeoKey;
  if (cm === undefined) return refuse('Transverse Mercator without its central meridian');
  return registeredAs(
    gaussKruger(
      datum,
      cm,
      keys.ProjFalseEastingGeoKey ?? 0,
      name,
      undefined,
      keys.ProjScaleAtNatOriginGeoKey ?? 1,
      keys.ProjFalseNorthingGeoKey ?? 0,
      keys.ProjNatOriginLatGeoKey ?? 0,
    ),
  );
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
