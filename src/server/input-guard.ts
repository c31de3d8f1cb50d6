import type { FastifyInstance } from 'fastify';
import { GengbaoError } from '../errors.ts';

/**
 * Malformed input is the caller's mistake and is answered 400 with a clear body before any
 * route runs. PostgreSQL refuses NUL in text (and lone UTF-16 surrogates in jsonb); left to the
 * database, such a string fails the query and surfaced as a 500 on whichever route stored it.
 * Checking once here, for every route, leaves no route to forget.
 */
export function installInputGuard(app: FastifyInstance): void {
  // NUL in the path or query (params and querystrings are decoded from these).
  app.addHook('onRequest', async (req) => {
    if (/%00/i.test(req.url) || req.url.includes('\0')) {
      throw new GengbaoError(
        'bad_input',
        '网址含有空字符 (NUL) · the URL contains a NUL character (%00)',
        { field: 'url' },
      );
    }
  });

  // JSON bodies: strict UTF-8 (a replacement character would silently change what was sent),
  // the default parser's defences against __proto__ / constructor keys, then every string checked.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      done(
        new GengbaoError(
          'bad_input',
          '请求内容不是有效的 UTF-8 编码 · the request body is not valid UTF-8',
          { field: 'body' },
        ),
        undefined,
      );
      return;
    }
    parseJson(req, text, (err, value) => {
      if (err) {
        const empty = (err as { code?: string }).code === 'FST_ERR_CTP_EMPTY_JSON_BODY';
        done(
          new GengbaoError(
            'bad_input',
            empty
              ? '请求内容为空 · the JSON body is empty'
              : `请求内容不是有效的 JSON · the request body is not valid JSON: ${err.message}`,
            { field: 'body' },
          ),
          undefined,
        );
        return;
      }
      const bad = badString(value, 'body');
      if (bad)
        done(
          new GengbaoError('bad_input', `${bad.path} ${bad.why}`, {
            field: bad.path.replace(/^body\.?/, '') || 'body',
          }),
          undefined,
        );
      else done(null, value);
    });
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first string (value or key) that the database cannot store, with its path and why. */
function badString(v: unknown, path: string): { path: string; why: string } | null {
  if (typeof v === 'string') {
    if (v.includes('\0'))
      return { path, why: '含有空字符 (NUL) · contains a NUL character (\\u0000)' };
    if (LONE_SURROGATE.test(v))
      return { path, why: '含有不成对的代理字符 · contains an unpaired UTF-16 surrogate' };
    return null;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = badString(v[i], `${path}.${i}`);
      if (bad) return bad;
    }
    return null;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const bad =
        badString(k, `${path}.${k.replace(/\0/g, '\\0')}`) ?? badString(x, `${path}.${k}`);
      if (bad) return bad;
    }
  }
  return null;
}
