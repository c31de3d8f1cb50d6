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

/**
 * Keys that identify rather than inform; the page shows them elsewhere, by name (a spot
 * check's seed: its batch on 抽查结果).
 */
const SKIP = new Set(['version', 'id', 'jurisdictionCode', 'sourceRef', 'sampleSeed']);
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

/** Names of record entries that are not a person's action (the i18n table has the actions). */
export const RECORD_ENTRY_WORDS: Readonly<Record<string, Bilingual>> = {
  imagery_recheck: { zh: '影像自动复核', en: 'Automatic re-check on imagery' },
  'document.issued': { zh: '签发执法文书', en: 'Enforcement document issued' },
};

/** The enforcement documents by kind (src/reports/README.md). */
export const DOCUMENT_KIND_WORDS: Readonly<Record<string, Bilingual>> = {
  stop_notice: { zh: '责令停止违法行为通知书', en: 'Stop notice' },
  filing_approval: { zh: '立案审批表', en: 'Case filing approval' },
  penalty_decision: { zh: '行政处罚决定书', en: 'Administrative penalty decision' },
  demolition_notice: { zh: '责令限期拆除（恢复）通知书', en: 'Demolition (restoration) notice' },
  transfer_letter: { zh: '涉嫌犯罪案件移送书', en: 'Criminal case transfer letter' },
};

const DOC_LABELS = {
  kind: { zh: '文书', en: 'Document' },
  number: { zh: '文号', en: 'Number' },
  pdf: { zh: 'PDF 哈希（SHA-256）', en: 'PDF hash (SHA-256)' },
  docx: { zh: 'Word 哈希（SHA-256）', en: 'docx hash (SHA-256)' },
  template: { zh: '模板哈希', en: 'Template hash' },
} as const;

/** A `document.issued` entry: the document's kind in words, its number and its files' hashes. */
export function documentFacts(payload: Record<string, unknown>, ctx: FactContext): Fact[] {
  const out: Fact[] = [];
  const kind = String(payload.kind ?? '');
  const kindText = DOCUMENT_KIND_WORDS[kind]?.[ctx.lang] ?? String(payload.title ?? kind);
  if (kindText) out.push({ label: DOC_LABELS.kind[ctx.lang], text: kindText });
  if (payload.number)
    out.push({ label: DOC_LABELS.number[ctx.lang], text: String(payload.number) });
  if (payload.pdfSha256)
    out.push({ label: DOC_LABELS.pdf[ctx.lang], text: String(payload.pdfSha256) });
  if (payload.docxSha256)
    out.push({ label: DOC_LABELS.docx[ctx.lang], text: String(payload.docxSha256) });
  return out;
}

/** The part of a bilingual server sentence ("中文 / English") in the reader's language. */
const sideOf = (text: string, lang: 'zh' | 'en') => {
  const cut = text.indexOf(' / ');
  if (cut < 0) return text;
  return lang === 'zh' ? text.slice(0, cut).trim() : text.slice(cut + 3).trim();
};

/**
 * An automatic re-check (影像自动复核) read as a person would: the result in words, the scene
 * dates, the shares as percentages, the reasons in the reader's language, the chips by the
 * start of their hashes (the numbers of the result and the scene are left out).
 */
function recheckFacts(input: Record<string, unknown>, ctx: FactContext): Fact[] {
  const pct = (x: unknown) => (typeof x === 'number' ? `${ctx.num(x * 100, 1)}%` : null);
  const rest = { ...input };
  delete rest.recheckId;
  delete rest.imageryId;
  const facts: Fact[] = [];
  for (const [key, v] of Object.entries(rest)) {
    const words = wordsOf('imagery_recheck', key);
    if (!words) continue;
    let text: string | null;
    if (key === 'result')
      text =
        choiceText('imagery_recheck', key, String(v), ctx) ??
        (v === 'inconclusive' ? (ctx.lang === 'zh' ? '无法判断' : 'Inconclusive') : String(v));
    else if (key === 'gone' || key === 'residual') text = pct(v);
    else if (key === 'reasons' && Array.isArray(v))
      text = v.map((r) => sideOf(String(r), ctx.lang)).join(ctx.lang === 'zh' ? '；' : '; ');
    else if (key === 'chips' && Array.isArray(v))
      text = v
        .filter(Boolean)
        .map((h) => `${String(h).slice(0, 12)}…`)
        .join(' ');
    else text = valueText('imagery_recheck', key, v, ctx);
    if (text) facts.push({ label: words.label[ctx.lang], text });
  }
  return facts;
}

/** The readable facts of an event's input, in the input's order. */
export function factsOf(action: string, input: Record<string, unknown>, ctx: FactContext): Fact[] {
  if (action === 'imagery_recheck') return recheckFacts(input, ctx);
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
