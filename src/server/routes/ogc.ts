import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CRS84,
  GREGORIAN,
  OGC_CONFORMANCE,
  OgcCollection,
  OgcCollections,
  OgcConformance,
  OgcFeature,
  OgcFeatureCollection,
  OgcLandingPage,
} from '../../contract/ogc.ts';
import { GengbaoError } from '../../errors.ts';
import type { OgcCollectionInfo } from '../../services/ogc.ts';
import { principalOf } from '../guards.ts';
import { GEOJSON_TYPE, JSON_TYPE, ogcRoot, withQuery, type Link } from '../ogc/links.ts';
import { ItemsQuerystring, JsonQuerystring } from '../ogc/params.ts';
import { wmtsCapabilities } from '../ogc/wmts.ts';
import { binary } from '../../contract/binary.ts';
import { ErrorBody } from '../schemas.ts';

/** A JSON reply of one media type, documented as such in the OpenAPI document. */
const json = <T extends z.ZodType>(schema: T, description: string, type = JSON_TYPE) => ({
  description,
  content: { [type]: { schema } },
});

const CollectionParams = z.object({
  collectionId: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'collection ids are lower-case letters, digits and -'),
});

/**
 * OGC API – Features, Part 1 Core (OGC 17-069r4) with GeoJSON, at /ogc: what QGIS, GDAL/OGR
 * (`OAPIF:` datasets) and a province's platform read directly. The collections and their
 * features come from `services.ogc`, scoped like the rest of the API: the caller's session or
 * `Authorization: Bearer <token>` decides what exists (src/services/ogc.ts lists the
 * collections and why they are cut as they are). Unauthenticated requests get 401 with a
 * `WWW-Authenticate: Bearer` challenge, so desktop clients know to ask for the token.
 * The stored imagery is offered to the same clients as WMTS capabilities at /ogc/wmts.
 */
export const ogcRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ogc } = app.services;

  // Encapsulated in this plugin: only the /ogc routes answer with the challenge.
  app.addHook('onRequest', async (req, reply) => {
    if (!req.principal) {
      reply.header('www-authenticate', 'Bearer realm="gengbao"');
      throw new GengbaoError(
        'unauthenticated',
        'log in first: Authorization: Bearer <API token from /api/tokens>',
      );
    }
  });

  const describe = (root: string, c: OgcCollectionInfo): z.infer<typeof OgcCollection> => ({
    id: c.id,
    title: c.title,
    description: c.description,
    links: [
      { href: `${root}/collections/${c.id}`, rel: 'self', type: JSON_TYPE, title: c.title },
      {
        href: `${root}/collections/${c.id}/items`,
        rel: 'items',
        type: GEOJSON_TYPE,
        title: `${c.title} (GeoJSON)`,
      },
    ],
    // /req/core/fc-md-extent: CRS84 box, Gregorian intervals; no extent without outlines.
    ...(c.bbox
      ? {
          extent: {
            spatial: { bbox: [c.bbox], crs: CRS84 },
            ...(c.interval ? { temporal: { interval: [c.interval], trs: GREGORIAN } } : {}),
          },
        }
      : {}),
    itemType: 'feature' as const,
    crs: [CRS84],
  });

  app.get(
    '/ogc',
    {
      schema: {
        tags: ['ogc'],
        summary:
          'OGC API – Features landing page (links to the API definition, conformance and collections)',
        querystring: JsonQuerystring,
        response: { 200: json(OgcLandingPage, 'the landing page'), 401: ErrorBody },
      },
    },
    async (req, reply) => {
      const { origin, root } = ogcRoot(req);
      const links: Link[] = [
        { href: root, rel: 'self', type: JSON_TYPE, title: 'this document' },
        // The whole API's OpenAPI 3.0 document, /ogc included (/req/oas30/oas-definition-1).
        {
          href: `${origin}/api/openapi.json`,
          rel: 'service-desc',
          type: JSON_TYPE,
          title: 'the API definition (OpenAPI 3.0)',
        },
        {
          href: `${root}/conformance`,
          rel: 'conformance',
          type: JSON_TYPE,
          title: 'conformance classes implemented',
        },
        { href: `${root}/collections`, rel: 'data', type: JSON_TYPE, title: 'the collections' },
      ];
      return reply.type(JSON_TYPE).send({
        title: '耕保 Gengbao — OGC API Features',
        description: `图斑, reference layers and jurisdictions of ${principalOf(req).jurisdictionCode} and below, as GeoJSON in CRS84.`,
        links,
      });
    },
  );

  app.get(
    '/ogc/conformance',
    {
      schema: {
        tags: ['ogc'],
        summary: 'OGC API – Features conformance classes implemented',
        querystring: JsonQuerystring,
        response: { 200: json(OgcConformance, 'the conformance declaration'), 401: ErrorBody },
      },
    },
    async (_req, reply) => reply.type(JSON_TYPE).send({ conformsTo: [...OGC_CONFORMANCE] }),
  );

  app.get(
    '/ogc/collections',
    {
      schema: {
        tags: ['ogc'],
        summary: 'OGC API – Features collections in my jurisdiction, with CRS84 extents',
        querystring: JsonQuerystring,
        response: { 200: json(OgcCollections, 'the collections'), 401: ErrorBody },
      },
    },
    async (req, reply) => {
      const { root } = ogcRoot(req);
      const collections = await ogc.collections(principalOf(req).scope);
      return reply.type(JSON_TYPE).send({
        links: [
          { href: `${root}/collections`, rel: 'self', type: JSON_TYPE, title: 'this document' },
        ],
        collections: collections.map((c) => describe(root, c)),
      });
    },
  );

  app.get(
    '/ogc/collections/:collectionId',
    {
      schema: {
        tags: ['ogc'],
        summary: 'One OGC API – Features collection',
        params: CollectionParams,
        querystring: JsonQuerystring,
        response: { 200: json(OgcCollection, 'the collection'), 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const { root } = ogcRoot(req);
      const c = await ogc.collection(principalOf(req).scope, req.params.collectionId);
      return reply.type(JSON_TYPE).send(describe(root, c));
    },
  );

  app.get(
    '/ogc/collections/:collectionId/items',
    {
      schema: {
        tags: ['ogc'],
        summary:
          'Features of a collection in my jurisdiction, a page at a time (follow the next link)',
        params: CollectionParams,
        querystring: ItemsQuerystring,
        response: {
          200: json(OgcFeatureCollection, 'a page of features', GEOJSON_TYPE),
          400: ErrorBody,
          401: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const { root } = ogcRoot(req);
      const id = req.params.collectionId;
      const q = req.query;
      const page = await ogc.items(principalOf(req).scope, id, q);
      const items = `${root}/collections/${id}/items`;
      // The client's own parameters carry over to the next page; only the cursor moves.
      const asked = Object.fromEntries(new URLSearchParams(req.url.split('?')[1] ?? ''));
      const links: Link[] = [
        { href: withQuery(items, asked), rel: 'self', type: GEOJSON_TYPE, title: 'this page' },
        {
          href: `${root}/collections/${id}`,
          rel: 'collection',
          type: JSON_TYPE,
          title: 'the collection',
        },
      ];
      if (page.next !== null)
        links.push({
          href: withQuery(items, { ...asked, limit: q.limit, cursor: page.next }),
          rel: 'next',
          type: GEOJSON_TYPE,
          title: 'the next page',
        });
      return reply.type(GEOJSON_TYPE).send({
        type: 'FeatureCollection' as const,
        features: page.features,
        links,
        timeStamp: new Date().toISOString(),
        numberMatched: page.numberMatched,
        numberReturned: page.features.length,
      });
    },
  );

  app.get(
    '/ogc/collections/:collectionId/items/:featureId',
    {
      schema: {
        tags: ['ogc'],
        summary: 'One feature of a collection in my jurisdiction',
        params: CollectionParams.extend({ featureId: z.string().max(40) }),
        querystring: JsonQuerystring,
        response: {
          200: json(OgcFeature, 'the feature', GEOJSON_TYPE),
          401: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const { root } = ogcRoot(req);
      const { collectionId: id, featureId } = req.params;
      const feature = await ogc.item(principalOf(req).scope, id, featureId);
      return reply.type(GEOJSON_TYPE).send({
        ...feature,
        links: [
          {
            href: `${root}/collections/${id}/items/${encodeURIComponent(featureId)}`,
            rel: 'self',
            type: GEOJSON_TYPE,
            title: 'this feature',
          },
          {
            href: `${root}/collections/${id}`,
            rel: 'collection',
            type: JSON_TYPE,
            title: 'the collection',
          },
        ],
      });
    },
  );

  // Anything else under /ogc (queryables, schemas, tiles of Part 2+) is a JSON 404 here rather
  // than the office app's HTML fallback, which a GIS client would try to parse.
  app.get('/ogc/*', { schema: { hide: true } }, async (req) => {
    throw new GengbaoError(
      'not_found',
      `no OGC resource ${req.url.split('?')[0]}; this server implements OGC API – Features Part 1 Core`,
    );
  });

  // WMTS GetCapabilities for the stored scenes (src/server/ogc/wmts.ts): the RESTful address,
  // and the KVP one QGIS and GDAL build from a bare service URL.
  const capabilities = async (req: FastifyRequest, reply: FastifyReply) => {
    const scenes = await app.services.imagery.list(principalOf(req).scope);
    const xml = wmtsCapabilities(ogcRoot(req).origin, scenes);
    return reply.type('application/xml; charset=utf-8').send(Buffer.from(xml));
  };
  const XML = binary('the WMTS 1.0.0 capabilities document', 'application/xml');

  app.get(
    '/ogc/wmts/1.0.0/WMTSCapabilities.xml',
    {
      schema: {
        tags: ['ogc'],
        summary: 'WMTS capabilities of the imagery in my jurisdiction (RESTful)',
        response: { 200: XML, 401: ErrorBody },
      },
    },
    capabilities,
  );

  app.get(
    '/ogc/wmts',
    {
      schema: {
        tags: ['ogc'],
        summary:
          'WMTS capabilities of the imagery in my jurisdiction (KVP: SERVICE=WMTS&REQUEST=GetCapabilities)',
        // OWS parameter names are case-insensitive, so they are checked in the handler.
        querystring: z.looseObject({}),
        response: { 200: XML, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (req, reply) => {
      const kvp = Object.fromEntries(
        Object.entries(req.query as Record<string, unknown>).map(([k, v]) => [
          k.toUpperCase(),
          String(v).toUpperCase(),
        ]),
      );
      if (
        (kvp.SERVICE ?? 'WMTS') !== 'WMTS' ||
        (kvp.REQUEST ?? 'GETCAPABILITIES') !== 'GETCAPABILITIES'
      ) {
        throw new GengbaoError(
          'bad_input',
          'only SERVICE=WMTS&REQUEST=GetCapabilities is served here; tiles come from the ResourceURL template',
          { field: 'REQUEST' },
        );
      }
      return capabilities(req, reply);
    },
  );
};
