/**
 * Replies that are files, not JSON (tiles, chips, photos, exports), in fastify-swagger's
 * per-content-type form: the document says what comes back, and the zod serializer is never
 * asked to encode bytes (Fastify sends Buffers as they are).
 */
import { z } from 'zod';

/** A binary reply of one or more media types. */
export function binary(description: string, ...mediaTypes: string[]) {
  // Typed as the bytes the handler sends; documented as a binary string.
  const schema = z.custom<Uint8Array>(() => true).meta({ type: 'string', format: 'binary' });
  return { description, content: Object.fromEntries(mediaTypes.map((t) => [t, { schema }])) };
}

/** A reply with no body (204 outside a scene, 304 not modified). */
export const NoBody = z.undefined().meta({ description: 'no body' });
