import type { FastifyRequest } from 'fastify';

/*
 * Links of the OGC API – Features documents. Hrefs are absolute: GDAL's OAPIF driver fetches
 * a `next` href as it stands, and a document saved by a client stays usable. The origin is
 * the one the client used (Host, or X-Forwarded-* from a trusted proxy: GENGBAO_TRUST_PROXY).
 */

export const JSON_TYPE = 'application/json';
export const GEOJSON_TYPE = 'application/geo+json';

export interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

/** The origin and the /ogc root as the client addressed this server. */
export function ogcRoot(req: FastifyRequest): { origin: string; root: string } {
  const origin = `${req.protocol}://${req.host}`;
  return { origin, root: `${origin}/ogc` };
}

/** A URL with query parameters, skipping the absent ones. */
export function withQuery(
  url: string,
  params: Record<string, string | number | undefined>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `${url}?${s}` : url;
}
