import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every response. Everything Gengbao serves comes from its own
 * origin (it runs on bureau intranets without CDNs), so 'self' is the rule; the exceptions are
 * what the apps need:
 * - MapLibre starts its worker from a blob: URL and draws from data:/blob: images;
 * - styles may be inline (MapLibre and the pages set style attributes; CSS cannot run code);
 * - a page served as a string with inline scripts (the public tip page) gets those exact
 *   scripts allowed by their SHA-256, and no other inline script.
 * frame-ancestors 'none' (with X-Frame-Options for old browsers) stops click-jacking of the
 * office app inside another site's frame.
 */
const CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

const INLINE_SCRIPT = /<script(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

/** CSP for one response: the inline scripts of an HTML string allowed by hash. */
export function contentSecurityPolicy(html?: string): string {
  const hashes = html
    ? [...html.matchAll(INLINE_SCRIPT)].map(
        (m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`,
      )
    : [];
  return [...CSP, ["script-src 'self'", ...hashes].join(' ')].join('; ');
}

export function installSecurityHeaders(app: FastifyInstance, opts: { https: boolean }): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    const html =
      typeof payload === 'string' &&
      String(reply.getHeader('content-type') ?? '').startsWith('text/html')
        ? payload
        : undefined;
    reply.header('content-security-policy', contentSecurityPolicy(html));
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    // Receipt codes and 图斑 ids in URLs stay on this server.
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (opts.https) reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });
}
