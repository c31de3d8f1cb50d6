import proj4 from 'proj4';
import { GengbaoError } from '../errors.ts';
import type { Position } from './types.ts';
import { childNodes, findNode, parseWkt, type WktNode } from './wkt.ts';

/**
 * Coordinate reference systems Gengbao reads. Inside the domain everything is CGCS2000
 * longitude/latitude (docs/DOMAIN.md "Areas, coordinates and files"); a CRS here only says how to get there.
 *
 * Known on purpose, refused otherwise: guessing a CRS moves polygons by kilometres, and a
 * polygon on the wrong parcel is a wrong accusation. The EPSG ranges below were checked
 * against PROJ 9 (`gdalsrsinfo -o proj4 EPSG:n`).
 */
export type Datum = 'CGCS2000' | 'Xian1980' | 'WGS84';

export interface Crs {
  /** Human name, e.g. "CGCS2000 / 3-degree Gauss-Kruger zone 38". */
  name: string;
  /** EPSG code when one is known. */
  epsg?: number;
  datum: Datum;
  /** true for longitude/latitude in degrees, false for projected metres. */
  geographic: boolean;
  /** proj4 definition of the source system. */
  proj4: string;
  /**
   * Transverse Mercator only: central meridian (°), false easting (m), and the rest of its
   * parameters (what a GeoTIFF writer needs to declare a CRS without an EPSG code).
   */
  centralMeridian?: number;
  falseEasting?: number;
  falseNorthing?: number;
  scale?: number;
  latitudeOfOrigin?: number;
}

/** Ellipsoids in proj4 terms. Xi'an 1980 uses the IAG 1975 ellipsoid (a = 6378140, 1/f = 298.257). */
const ELLIPSOID: Record<Datum, string> = {
  CGCS2000: '+a=6378137 +rf=298.257222101',
  Xian1980: '+a=6378140 +rf=298.257',
  WGS84: '+a=6378137 +rf=298.257223563',
};
const DATUM_NAME: Record<Datum, string> = {
  CGCS2000: 'CGCS2000',
  Xian1980: 'Xian 1980',
  WGS84: 'WGS 84',
};

/**
 * Target of every transform: CGCS2000 longitude/latitude, with no datum shift. CGCS2000 and
 * WGS84 (G1762) agree to a few centimetres, below the accuracy of any parcel survey. Xi'an 1980
 * differs from CGCS2000 by local seven-parameter transforms that each province publishes, not
 * by one national formula; Xi'an 1980 coordinates are therefore taken as CGCS2000 geodetic
 * coordinates on their own ellipsoid (the usual practice when no local parameters are given:
 * residuals of some metres to tens of metres), and the CRS name says so.
 */
const TARGET = `+proj=longlat ${ELLIPSOID.CGCS2000} +no_defs`;

/** The EPSG code of each datum's geographic CRS. */
export const GEOGRAPHIC_EPSG: Record<Datum, number> = {
  CGCS2000: 4490,
  WGS84: 4326,
  Xian1980: 4610,
};

/** The geographic (lon/lat) CRS of a datum. */
export function geographicCrs(datum: Datum): Crs {
  return {
    name: `${DATUM_NAME[datum]} (lon/lat)`,
    epsg: GEOGRAPHIC_EPSG[datum],
    datum,
    geographic: true,
    proj4: `+proj=longlat ${ELLIPSOID[datum]} +no_defs`,
  };
}

/** A Transverse Mercator (Gauss–Krüger, UTM) CRS on `datum`; `epsg` when it is a registered one. */
export function gaussKruger(
  datum: Datum,
  centralMeridian: number,
  falseEasting: number,
  name: string,
  epsg?: number,
  k = 1,
  falseNorthing = 0,
  lat0 = 0,
): Crs {
  return {
    name,
    epsg,
    datum,
    geographic: false,
    proj4: `+proj=tmerc +lat_0=${lat0} +lon_0=${centralMeridian} +k=${k} +x_0=${falseEasting} +y_0=${falseNorthing} ${ELLIPSOID[datum]} +units=m +no_defs`,
    centralMeridian,
    falseEasting,
    falseNorthing,
    scale: k,
    latitudeOfOrigin: lat0,
  };
}

/** Gauss–Krüger families by EPSG range: [first code, last code, datum, zone width °, prefixed, first zone]. */
const GK_RANGES: Array<[number, number, Datum, 3 | 6, boolean, number]> = [
  [4491, 4501, 'CGCS2000', 6, true, 13],
  [4502, 4512, 'CGCS2000', 6, false, 13],
  [4513, 4533, 'CGCS2000', 3, true, 25],
  [4534, 4554, 'CGCS2000', 3, false, 25],
  [2327, 2337, 'Xian1980', 6, true, 13],
  [2338, 2348, 'Xian1980', 6, false, 13],
  [2349, 2369, 'Xian1980', 3, true, 25],
  [2370, 2390, 'Xian1980', 3, false, 25],
];

/**
 * The CRS of an EPSG code: CGCS2000 (4490) and its 3°/6° Gauss–Krüger zones with zone prefix
 * (4491–4501, 4513–4533) and without (4502–4512, 4534–4554), Xi'an 1980 (4610, 2327–2390),
 * WGS84 (4326), UTM north and south (32601–32660, 32701–32760) and Web Mercator (3857).
 * @example crsFromEpsg(4527).proj4 // '+proj=tmerc +lat_0=0 +lon_0=114 ... +x_0=38500000 ...'
 */
export function crsFromEpsg(code: number): Crs {
  const datumOf = (Object.keys(GEOGRAPHIC_EPSG) as Datum[]).find(
    (d) => GEOGRAPHIC_EPSG[d] === code,
  );
  if (datumOf) return geographicCrs(datumOf);
  for (const [first, last, datum, width, prefixed, firstZone] of GK_RANGES) {
    if (code < first || code > last) continue;
    const zone = firstZone + code - first;
    const cm = width === 3 ? 3 * zone : 6 * zone - 3;
    const name = prefixed
      ? `${DATUM_NAME[datum]} / ${width}-degree Gauss-Kruger zone ${zone}`
      : `${DATUM_NAME[datum]} / ${width}-degree Gauss-Kruger CM ${cm}E`;
    return gaussKruger(datum, cm, prefixed ? zone * 1e6 + 500000 : 500000, name, code);
  }
  if (code >= 32601 && code <= 32660) {
    const zone = code - 32600;
    return gaussKruger('WGS84', 6 * zone - 183, 500000, `WGS 84 / UTM zone ${zone}N`, code, 0.9996);
  }
  if (code >= 32701 && code <= 32760) {
    const zone = code - 32700;
    const name = `WGS 84 / UTM zone ${zone}S`;
    return gaussKruger('WGS84', 6 * zone - 183, 500000, name, code, 0.9996, 10_000_000);
  }
  // Web map tiles and imagery exported from web maps.
  if (code === 3857)
    return {
      name: 'WGS 84 / Pseudo-Mercator',
      epsg: 3857,
      datum: 'WGS84',
      geographic: false,
      proj4:
        '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
    };
  throw new GengbaoError(
    'unsupported',
    `EPSG:${code} is not a CRS Gengbao knows (CGCS2000 4490 and its Gauss–Krüger zones 4491–4554, Xi'an 1980 4610 and 2327–2390, WGS84 4326, UTM 32601–32660 and 32701–32760, Web Mercator 3857)`,
    { field: 'crs' },
  );
}

let projected: Crs[] | undefined;
/** Every projected CRS crsFromEpsg knows. */
function knownProjected(): Crs[] {
  projected ??= [
    ...GK_RANGES.flatMap(([first, last]) =>
      Array.from({ length: last - first + 1 }, (_, i) => first + i),
    ),
    ...Array.from({ length: 60 }, (_, i) => 32601 + i),
    ...Array.from({ length: 60 }, (_, i) => 32701 + i),
  ].map(crsFromEpsg);
  return projected;
}

/**
 * `crs` as the registered CRS of the same definition when there is one (EPSG code found),
 * under `name`; otherwise `crs` itself.
 */
export function registeredAs(crs: Crs, name = crs.name): Crs {
  const known = knownProjected().find((c) => c.proj4 === crs.proj4);
  return known ? { ...known, name } : crs;
}

/** Which datum an ellipsoid (semi-major axis, inverse flattening) belongs to, by its numbers. */
export function datumOfEllipsoid(a: number, rf: number): Datum | undefined {
  if (a === 6378137 && Math.abs(rf - 298.257222101) < 1e-8) return 'CGCS2000'; // also GRS80
  if (a === 6378137 && Math.abs(rf - 298.257223563) < 1e-8) return 'WGS84';
  if (a === 6378140 && Math.abs(rf - 298.257) < 1e-8) return 'Xian1980';
  return undefined;
}

/** Parameter value by any of its WKT1 / ESRI / WKT2 names, compared without case, spaces or underscores. */
function param(node: WktNode, names: string[]): number | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_]/g, '');
  const wanted = names.map(norm);
  for (const p of childNodes(node, ['PARAMETER'])) {
    if (
      typeof p.args[0] === 'string' &&
      wanted.includes(norm(p.args[0])) &&
      typeof p.args[1] === 'number'
    )
      return p.args[1];
  }
  return undefined;
}

/** The EPSG code in the top-level AUTHORITY/ID of a WKT, if it is one we know. */
function topEpsg(root: WktNode): number | undefined {
  for (const id of childNodes(root, ['AUTHORITY', 'ID'])) {
    if (String(id.args[0]).toUpperCase() === 'EPSG') {
      const code = Number(id.args[1]);
      try {
        crsFromEpsg(code);
        return code;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The CRS described by a `.prj` / GeoPackage WKT (WKT1, ESRI WKT or WKT2): recognised by its
 * ellipsoid numbers and projection parameters rather than by names, because Chinese `.prj`
 * files name the same system a dozen ways. Only geographic and Transverse Mercator /
 * Gauss–Krüger systems on CGCS2000, Xi'an 1980 or WGS84 are accepted.
 */
export function crsFromWkt(wkt: string): Crs {
  const root = parseWkt(wkt);
  const refuse = (why: string): never => {
    throw new GengbaoError(
      'unsupported',
      `unsupported CRS (${why}); give the layer in CGCS2000, Xi'an 1980, WGS84 or UTM, or pass an explicit CRS`,
      {
        field: 'crs',
      },
    );
  };
  const epsg = topEpsg(root);
  if (epsg !== undefined) return crsFromEpsg(epsg);
  const ellipsoid = findNode(root, ['SPHEROID', 'ELLIPSOID']);
  if (!ellipsoid || typeof ellipsoid.args[1] !== 'number' || typeof ellipsoid.args[2] !== 'number')
    return refuse('no ellipsoid in the WKT');
  const datum = datumOfEllipsoid(ellipsoid.args[1], ellipsoid.args[2]);
  if (!datum)
    return refuse(
      `ellipsoid ${String(ellipsoid.args[0])} a=${ellipsoid.args[1]} 1/f=${ellipsoid.args[2]}`,
    );
  if (root.keyword === 'GEOGCS' || root.keyword === 'GEOGCRS' || root.keyword === 'GEODCRS')
    return geographicCrs(datum);
  if (root.keyword !== 'PROJCS' && root.keyword !== 'PROJCRS')
    return refuse(`${root.keyword} is neither geographic nor projected`);
  const method = findNode(root, ['PROJECTION', 'METHOD']);
  const methodName = String(method?.args[0] ?? '')
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (!['gausskruger', 'transversemercator', 'gauss_kruger'].includes(methodName))
    return refuse(`projection ${String(method?.args[0])}`);
  // WKT2 keeps parameters inside CONVERSION; WKT1 directly inside PROJCS.
  const holder = findNode(root, ['CONVERSION']) ?? root;
  const unit = childNodes(root, ['UNIT', 'LENGTHUNIT']).at(-1) ?? findNode(root, ['LENGTHUNIT']);
  if (unit && typeof unit.args[1] === 'number' && unit.args[1] !== 1)
    return refuse(`linear unit ${String(unit.args[0])} is not the metre`);
  const cm = param(holder, [
    'Central_Meridian',
    'Longitude of natural origin',
    'longitude_of_center',
  ]);
  const fe = param(holder, ['False_Easting', 'False easting']) ?? 0;
  const fn = param(holder, ['False_Northing', 'False northing']) ?? 0;
  const k = param(holder, ['Scale_Factor', 'Scale factor at natural origin']) ?? 1;
  const lat0 = param(holder, ['Latitude_Of_Origin', 'Latitude of natural origin']) ?? 0;
  if (cm === undefined) return refuse('no central meridian');
  const name = typeof root.args[0] === 'string' ? root.args[0] : `${DATUM_NAME[datum]} / TM ${cm}E`;
  // A WKT without an authority code may still be exactly one of ours: give it its EPSG code.
  return registeredAs(gaussKruger(datum, cm, fe, name, undefined, k, fn, lat0), name);
}

/**
 * A CRS from what a user types or a file carries: `EPSG:4527`, `4527`, or WKT.
 * @example parseCrs('EPSG:4490').geographic // true
 */
export function parseCrs(spec: string): Crs {
  const s = spec.trim();
  const m = /^(?:EPSG:)?(\d{4,5})$/i.exec(s);
  if (m) return crsFromEpsg(Number(m[1]));
  if (/^[A-Z]+\s*\[/i.test(s)) return crsFromWkt(s);
  throw new GengbaoError('bad_input', `"${s.slice(0, 40)}" is neither EPSG:<code> nor WKT`, {
    field: 'crs',
  });
}

/** A function from source coordinates to CGCS2000 [lon, lat]. */
export type ToLonLat = (p: Position) => [number, number];

/**
 * The transform from `crs` to CGCS2000 lon/lat. Throws a GengbaoError naming the coordinate
 * when the result is out of range — the usual sign of a wrong CRS, e.g. Gauss–Krüger eastings
 * with a zone prefix under a `.prj` that says "without prefix".
 */
export function toLonLat(crs: Crs): ToLonLat {
  const check = (out: [number, number], p: Position): [number, number] => {
    if (!(Math.abs(out[0]) <= 180 && Math.abs(out[1]) <= 90)) {
      throw new GengbaoError(
        'bad_input',
        `coordinate ${p[0]}, ${p[1]} is outside the valid range of ${crs.name}`,
        { field: 'geometry' },
      );
    }
    return out;
  };
  if (crs.geographic) return (p) => check([p[0], p[1]], p);
  const converter = proj4(crs.proj4, TARGET);
  const fe = crs.falseEasting ?? 0;
  return (p) => {
    // A Transverse Mercator zone spans at most ±~1,000 km of easting around the false easting;
    // anything further is a wrong zone or a missing/extra zone prefix, which proj4 would
    // silently project to a far-away place.
    if (crs.falseEasting !== undefined && !(Math.abs(p[0] - fe) < 1_000_000)) {
      throw new GengbaoError(
        'bad_input',
        `easting ${p[0]} does not belong to ${crs.name} (false easting ${fe}): wrong zone or zone prefix?`,
        { field: 'geometry' },
      );
    }
    return check(converter.forward([p[0], p[1]]) as [number, number], p);
  };
}

/**
 * ESRI-style WKT of CGCS2000 geographic (EPSG:4490), as ArcGIS and GDAL write it in a `.prj`.
 */
export const CGCS2000_PRJ =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
