/**
 * What a page must never show a person: a camelCase or snake_case word (a code identifier) or
 * a JSON object. Returns the offending snippets of `text`.
 */
export function codesIn(text: string): string[] {
  const camel = text.match(/\b[a-z]+(?:[A-Z][a-z0-9]+)+\b/g) ?? [];
  const snake = text.match(/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g) ?? [];
  const json = text.match(/[{[]\s*"[^"\n]{1,40}"\s*:/g) ?? [];
  return [...camel, ...snake, ...json];
}
