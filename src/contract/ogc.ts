/**
 * Reply shapes of the OGC API – Features edge (`/ogc`, OGC 17-069r4 "Part 1: Core") as zod:
 * the landing page, conformance declaration, collections and GeoJSON feature collections
 * with their links. Pure zod, like views.ts.
 */
import { z } from 'zod';
import { BBox, Geometry } from './views.ts';

/** Conformance classes Gengbao implements: Core, GeoJSON and the OpenAPI 3.0 definition. */
export const OGC_CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
] as const;

/** WGS 84 longitude/latitude, the only CRS of Part 1 (/req/core/crs84). */
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
/** The Gregorian calendar, the temporal reference of every interval. */
export const GREGORIAN = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian';

/** A link as the spec's link.yaml: href, rel and media type. */
export const OgcLink = z.object({
  href: z.string(),
  rel: z.string(),
  type: z.string().optional(),
  title: z.string().optional(),
});

export const OgcLandingPage = z.object({
  title: z.string(),
  description: z.string(),
  links: z.array(OgcLink),
});

export const OgcConformance = z.object({ conformsTo: z.array(z.string()) });

export const OgcExtent = z.object({
  spatial: z.object({ bbox: z.array(BBox), crs: z.string() }),
  temporal: z
    .object({
      interval: z.array(z.tuple([z.string().nullable(), z.string().nullable()])),
      trs: z.string(),
    })
    .optional(),
});

export const OgcCollection = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  links: z.array(OgcLink),
  extent: OgcExtent.optional(),
  itemType: z.literal('feature'),
  crs: z.array(z.string()),
});

export const OgcCollections = z.object({
  links: z.array(OgcLink),
  collections: z.array(OgcCollection),
});

/** A feature with flat properties (the same keys on every feature of a collection). */
export const OgcFeature = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]),
  geometry: Geometry.nullable(),
  properties: z.record(z.string(), z.unknown()),
  links: z.array(OgcLink).optional(),
});

/** One page of a collection's items (/req/geojson/content, /req/core/fc-links, numberMatched/Returned). */
export const OgcFeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(OgcFeature),
  links: z.array(OgcLink),
  timeStamp: z.string(),
  numberMatched: z.number(),
  numberReturned: z.number(),
});
