import type { Lang } from './i18n.ts';

/**
 * The part of a server message in the UI's language. The server writes refusals people see
 * Chinese first and English second ("密码不符合要求：…。Password refused: …." or "中文 / English");
 * a message with no Chinese is returned whole (the caller should prefer its own words then).
 */
export function inLang(message: string, lang: Lang): string {
  const hasZh = /[\u4e00-\u9fff]/.test(message);
  if (!hasZh) return message;
  const cut = message.search(/。\s*[A-Za-z]|\s\/\s[A-Za-z]/);
  if (cut < 0) return message;
  const zh = message.slice(0, cut + (message[cut] === '。' ? 1 : 0)).trim();
  const en = message
    .slice(cut + 1)
    .replace(/^\s*\/?\s*/, '')
    .trim();
  return lang === 'zh' ? zh : en;
}

/** Whether a message has Chinese in it (else the page should say it in its own words). */
export const hasChinese = (message: string) => /[\u4e00-\u9fff]/.test(message);
