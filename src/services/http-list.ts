import { GengbaoError } from '../errors.ts';

/**
 * The http(s) addresses of a comma-separated setting (`field` names it in the error), in
 * order, blanks skipped; anything else refuses the whole setting, naming the entry.
 * `noun` is what the setting lists: 'address' (STAC catalogs) or 'origin' (webhook hosts).
 */
export function parseHttpList(
  text: string | undefined,
  field: string,
  noun: 'address' | 'origin',
): { entry: string; url: URL }[] {
  const out: { entry: string; url: URL }[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      /* refused below */
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw new GengbaoError(
        'bad_input',
        `${field} 的条目 "${entry}" 不是 http(s) 地址 / entry "${entry}" is not an http(s) ${noun}`,
        { field },
      );
    out.push({ entry, url });
  }
  return out;
}
