/**
 * The field app's language: Chinese unless the user switched to English — the same choice as the
 * office app's (one origin, one localStorage key), so a chief who reads English in one reads it
 * in both. Labels are never shown doubled.
 */
const KEY = 'gengbao.lang';

export type Lang = 'zh' | 'en';

export const lang = (): Lang => (localStorage.getItem(KEY) === 'en' ? 'en' : 'zh');

export function setLang(l: Lang): void {
  localStorage.setItem(KEY, l);
}

/** The text in the current language. */
export const tr = (zh: string, en: string): string => (lang() === 'en' ? en : zh);

/**
 * One language out of a label the server sends in both ("现场情况 What is on the ground", or
 * "on_site 现场制止" with a stored code first): the Chinese words, or the English ones.
 */
export function pick(label: string): string {
  const zh =
    label
      .match(/[\u4e00-\u9fff][\u4e00-\u9fff（）()、，,·\s\d]*/g)
      ?.join('')
      .trim() ?? '';
  const en = label
    .replace(/[\u4e00-\u9fff（）、，]+/g, ' ')
    .replace(/\b[a-z]+_[a-z_]+\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (lang() === 'en') return en || zh || label;
  return zh || label;
}
