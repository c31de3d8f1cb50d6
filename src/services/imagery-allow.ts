import { realpath } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { GengbaoError } from '../errors.ts';

/**
 * Where imagery named by path or URL may come from: folders and http(s) origins an
 * administrator lists in GENGBAO_IMAGERY_ALLOW. Without it only registered scenes (imagery
 * ids) are read. A job submitted by a user must not make the server open any local file or
 * fetch any URL (a request to an internal service, a probe for which files exist).
 */
export interface ImageryAllowList {
  /** Absolute folders, normalised, without a trailing separator. */
  folders: string[];
  /** `https://host[:port]` origins, as URL.origin writes them. */
  origins: string[];
}

export const NO_IMAGERY_ALLOWED: ImageryAllowList = { folders: [], origins: [] };

/** Parses the comma-separated list; a relative folder or a non-http(s) entry is refused. */
export function parseImageryAllow(text: string | undefined): ImageryAllowList {
  const out: ImageryAllowList = { folders: [], origins: [] };
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw allowListError(entry);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw allowListError(entry);
      out.origins.push(url.origin);
    } else if (isAbsolute(entry)) {
      out.folders.push(resolve(entry));
    } else throw allowListError(entry);
  }
  return out;
}

function allowListError(entry: string): GengbaoError {
  return new GengbaoError(
    'bad_input',
    `GENGBAO_IMAGERY_ALLOW 的条目 "${entry}" 既不是绝对路径也不是 http(s) 地址 / entry "${entry}" is neither an absolute folder nor an http(s) origin`,
    { field: 'GENGBAO_IMAGERY_ALLOW' },
  );
}

/**
 * The refusal, the same whatever the location: it never says whether a file exists or a
 * host answers.
 */
export function imageryRefusal(field: string): GengbaoError {
  return new GengbaoError(
    'forbidden',
    '影像路径或地址不在管理员允许的范围内：请使用已登记的影像（beforeImagery/afterImagery），或请管理员把其文件夹或主机加入 GENGBAO_IMAGERY_ALLOW / ' +
      'this imagery location is not allowed: use registered imagery (beforeImagery/afterImagery), or ask an administrator to add its folder or host to GENGBAO_IMAGERY_ALLOW',
    { field },
  );
}

const inside = (path: string, folder: string) =>
  path === folder || path.startsWith(folder === sep ? sep : folder + sep);

/** Lexical check, no file or network access: throws `forbidden` unless the location is allowed. */
export function assertImageryAllowed(
  location: string,
  allow: ImageryAllowList,
  field: string,
): void {
  if (location.includes('\0')) throw imageryRefusal(field);
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location)) {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw imageryRefusal(field);
    }
    const ok =
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !url.username &&
      !url.password &&
      allow.origins.includes(url.origin);
    if (!ok) throw imageryRefusal(field);
    return;
  }
  if (!isAbsolute(location)) throw imageryRefusal(field);
  const path = resolve(location);
  if (!allow.folders.some((f) => inside(path, f))) throw imageryRefusal(field);
}

/**
 * At run time, after the lexical check: a path must still lie inside an allowed folder once
 * links are followed (a link in an allowed folder pointing elsewhere is refused). A path that
 * cannot be resolved is refused with the same words as any other.
 */
export async function assertImageryReal(
  location: string,
  allow: ImageryAllowList,
  field: string,
): Promise<void> {
  assertImageryAllowed(location, allow, field);
  if (/^https?:\/\//i.test(location)) return;
  const real = await realpath(location).catch(() => null);
  const folders = await Promise.all(allow.folders.map((f) => realpath(f).catch(() => f)));
  if (!real || !folders.some((f) => inside(real, f))) throw imageryRefusal(field);
}
