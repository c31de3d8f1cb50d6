import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { GengbaoError } from '../errors.ts';
import { assertImageryAllowed, imageryRefusal, type ImageryAllowList } from './imagery-allow.ts';

/**
 * Reading from a STAC catalog's server with bounds: every address — the one asked for and
 * each redirect — is checked against GENGBAO_IMAGERY_ALLOW before anything is sent to it
 * (lexically, src/services/imagery-allow.ts: http(s) origins only, so `file://` and the like
 * never are); a body larger than the limit is cut off and refused; every request has a time
 * limit. Nothing is read from anywhere else.
 */
export interface BoundedFetch {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

/** A failure worth trying again on the next poll (a timeout, a 5xx, a refused connection). */
export class TransientFetchError extends Error {}

/** The same refusal whatever the address: it never says whether something is there. */
function allowedUrl(raw: string, allow: ImageryAllowList, field: string): URL {
  assertImageryAllowed(raw, allow, field);
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw imageryRefusal(field);
  return url;
}

/**
 * Follows redirects by hand, each hop allowed first; returns the final 2xx response. A 4xx is a
 * `bad_input` with the status (the address is allowed, so saying so leaks nothing); a 5xx,
 * timeout or network failure is transient.
 */
async function openAllowed(
  start: string,
  allow: ImageryAllowList,
  limits: BoundedFetch,
  field: string,
  signal: AbortSignal,
  accept: string,
): Promise<{ response: Response; url: string }> {
  let url = allowedUrl(start, allow, field);
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'manual', signal, headers: { accept } });
    } catch (e) {
      if (signal.aborted)
        throw new TransientFetchError(`超时（${limits.timeoutMs} ms）/ timed out: ${url.href}`);
      throw new TransientFetchError(`无法连接 / cannot reach ${url.href}: ${(e as Error).message}`);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
      await response.body?.cancel();
      if (hop >= limits.maxRedirects)
        throw new GengbaoError(
          'bad_input',
          `重定向次数超过 ${limits.maxRedirects} 次 / more than ${limits.maxRedirects} redirects from ${start}`,
          { field },
        );
      let next: string;
      try {
        next = new URL(response.headers.get('location')!, url).href;
      } catch {
        throw imageryRefusal(field);
      }
      url = allowedUrl(next, allow, field);
      continue;
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      throw new TransientFetchError(`服务器暂时不可用 / ${url.href} answered ${response.status}`);
    }
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel();
      throw new GengbaoError(
        'bad_input',
        `服务器回答 ${response.status}，无法获取 / ${url.href} answered ${response.status}`,
        { field },
      );
    }
    return { response, url: url.href };
  }
}

function tooLarge(what: string, max: number, field: string): GengbaoError {
  return new GengbaoError(
    'bad_input',
    `${what}超过大小上限 ${max} 字节 / ${what === '目录' ? 'the catalog document' : 'the asset'} is larger than ${max} bytes`,
    { field },
  );
}

const withTimeout = async <T>(ms: number, f: (signal: AbortSignal) => Promise<T>): Promise<T> => {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), ms);
  try {
    return await f(ctl.signal);
  } finally {
    clearTimeout(timer);
  }
};

/** A JSON document (catalog, collection, item) no larger than `maxBytes`; its final address too. */
export async function fetchJson(
  url: string,
  allow: ImageryAllowList,
  limits: BoundedFetch,
  field: string,
): Promise<{ json: unknown; url: string }> {
  return withTimeout(limits.timeoutMs, async (signal) => {
    const { response, url: final } = await openAllowed(
      url,
      allow,
      limits,
      field,
      signal,
      'application/json, application/geo+json',
    );
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > limits.maxBytes) {
      await response.body?.cancel();
      throw tooLarge('目录', limits.maxBytes, field);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += (chunk as Uint8Array).length;
        if (size > limits.maxBytes) throw tooLarge('目录', limits.maxBytes, field);
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
    } catch (e) {
      if (e instanceof GengbaoError) throw e;
      throw new TransientFetchError(`读取中断 / reading ${final} failed: ${(e as Error).message}`);
    }
    try {
      return { json: JSON.parse(Buffer.concat(chunks).toString('utf8')), url: final };
    } catch {
      throw new GengbaoError('bad_input', `不是有效的 JSON / ${final} is not valid JSON`, {
        field,
      });
    }
  });
}

/** Streams an asset into `path` (removed again on any failure), with its size and SHA-256. */
export async function downloadAsset(
  url: string,
  path: string,
  allow: ImageryAllowList,
  limits: BoundedFetch,
  field: string,
): Promise<{ size: number; sha256: string }> {
  try {
    return await withTimeout(limits.timeoutMs, async (signal) => {
      const { response } = await openAllowed(url, allow, limits, field, signal, 'image/tiff, */*');
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > limits.maxBytes) {
        await response.body?.cancel();
        throw tooLarge('影像文件', limits.maxBytes, field);
      }
      const hash = createHash('sha256');
      const out = createWriteStream(path, { flags: 'wx' });
      let size = 0;
      try {
        for await (const chunk of response.body ?? []) {
          const buf = chunk as Uint8Array;
          size += buf.length;
          if (size > limits.maxBytes) throw tooLarge('影像文件', limits.maxBytes, field);
          hash.update(buf);
          if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
      } catch (e) {
        if (e instanceof GengbaoError) throw e;
        if (signal.aborted)
          throw new TransientFetchError(`超时（${limits.timeoutMs} ms）/ timed out: ${url}`);
        throw new TransientFetchError(
          `下载中断 / downloading ${url} failed: ${(e as Error).message}`,
        );
      } finally {
        await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
      }
      return { size, sha256: hash.digest('hex') };
    });
  } catch (e) {
    await unlink(path).catch(() => {});
    throw e;
  }
}
