/**
 * The facts of one event of the record, as a person reads them: each input field by its label
 * (the form words of src/cases/form-labels.ts), each value in words — choices by their label,
 * configured reasons by the province's label, times in China time, photos counted, parties
 * and measures as sentences. A field without words is left out rather than shown as a code.
 * Pure, so it is tested in Node.
 */
import { choiceOf, wordsOf, type Bilingual } from '../../../src/contract/vocabulary.ts';

export interface FactContext {
  lang: 'zh' | 'en';
  /** Labels of the configured choices (GET /api/polygons/:id/actions `choices`). */
  choices: Record<string, Record<string, Bilingual>>;
  /** Names of the units the 图斑 lies in, for unit codes in the record. */
  places: readonly { code: string; name: string }[];
  t(key: string): string;
  num(n: number, digits?: number): string;
  /** An instant in China time. */
  time(iso: string): string;
}

export interface Fact {
  label: string;
  text: string;
}

/** Keys that identify rather than inform; the page shows them elsewhere, by name. */
const SKIP = new Set(['version', 'id', 'jurisdictionCode', 'sourceRef']);
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function choiceText(action: string, key: string, v: string, ctx: FactContext): string | undefined {
  const configured = ctx.choices[`${action}.${key}`]?.[v] ?? ctx.choices[key]?.[v];
  return (configured ?? choiceOf(key, v))?.[ctx.lang];
}

function valueText(action: string, path: string, v: unknown, ctx: FactContext): string | null {
  const key = path.split('.').pop()!;
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return ctx.t(v ? 'yes' : 'no');
  if (typeof v === 'number') return ctx.num(v, Number.isInteger(v) ? 0 : 2);
  if (typeof v === 'string') {
    const choice = choiceText(action, key, v, ctx);
    if (choice) return choice;
    if (INSTANT.test(v)) return ctx.time(v);
    if (key === 'unitCode') return ctx.places.find((p) => p.code === v)?.name ?? v;
    if (key === 'source') return ctx.t(`src_${v}`);
    return v;
  }
  if (Array.isArray(v)) {
    if (key === 'photos' || key === 'attachments')
      return v.length ? `${v.length} ${ctx.t('nPhotos')}` : null;
    if (key === 'assigneeIds') return v.length ? `${v.length} ${ctx.t('nPeople')}` : null;
    const parts = v.map((x) => valueText(action, path, x, ctx)).filter(Boolean);
    return parts.length ? parts.join(ctx.lang === 'zh' ? '；' : '; ') : null;
  }
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([k, x]) => !(key === 'layerMu' && x === 0) && !SKIP.has(k))
      .map(([k, x]) => {
        const words = wordsOf(action, `${path}.${k}`);
        const text = valueText(action, `${path}.${k}`, x, ctx);
        if (!words || !text) return null;
        // A party or measure reads best with its kind and name bare: 张三（个人）
        return k === 'kind' || k === 'name' ? text : `${words.label[ctx.lang]} ${text}`;
      })
      .filter(Boolean);
    return parts.length ? parts.join(ctx.lang === 'zh' ? '，' : ', ') : null;
  }
  return null;
}

/** The readable facts of an event's input, in the input's order. */
export function factsOf(action: string, input: Record<string, unknown>, ctx: FactContext): Fact[] {
  const out: Fact[] = [];
  for (const [key, v] of Object.entries(input)) {
    if (SKIP.has(key)) continue;
    const words =
      key === 'source'
        ? { label: { zh: ctx.t('source'), en: ctx.t('source') } }
        : wordsOf(action, key);
    const text = valueText(action, key, v, ctx);
    if (words && text) out.push({ label: words.label[ctx.lang], text });
  }
  return out;
}
