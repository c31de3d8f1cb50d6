/**
 * The action form's data side, pure so it is tested in Node: what a field holds while the
 * user fills it in, the input the server receives, the checks made before sending, and the
 * server's error reduced to the words a user may see. The form description itself comes from
 * the server (src/cases/forms.ts); nothing here knows a particular action.
 */
import type { FormField } from '../../../src/contract/types.ts';

export type { FormField };
export type Bilingual = { zh: string; en: string };
export type Row = Record<string, unknown>;
export type Values = Record<string, unknown>;

/** A site photo of the record that a form may cite. */
export interface RecordPhoto {
  sha256: string;
  lon: number;
  lat: number;
  takenAt: string;
  azimuth?: number;
}

/** "YYYY-MM-DDTHH:mm" of `d` in the browser's time zone (what datetime-local inputs hold). */
export function localDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The starting value of each field: empty, one row for party and measure lists, now for times. */
export function initialValues(fields: readonly FormField[], now = new Date()): Values {
  const out: Values = {};
  for (const f of fields) {
    // A value suggested from the record (src/cases/suggested-inputs.ts) is where it starts.
    if (f.value !== undefined) out[f.name] = f.value;
    else if (f.widget === 'multiselect' || f.widget === 'evidence' || f.widget === 'users')
      out[f.name] = [];
    else if (f.widget === 'checkbox') out[f.name] = false;
    else if (f.widget === 'parties' || f.widget === 'measures')
      out[f.name] = [initialValues(f.fields ?? [], now)];
    else if (f.widget === 'group') out[f.name] = initialValues(f.fields ?? [], now);
    else if (f.widget === 'datetime') out[f.name] = localDateTime(now);
    else out[f.name] = '';
  }
  return out;
}

/** Whether a field is shown now (a conditional one only for its sibling's values). */
export function isShown(f: FormField, siblings: Values): boolean {
  return !f.when || f.when.in.includes(String(siblings[f.when.field] ?? ''));
}

const isEmpty = (v: unknown) =>
  v === undefined ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

function valueOf(f: FormField, v: unknown, photos: readonly RecordPhoto[]): unknown {
  const text = typeof v === 'string' ? v.trim() : '';
  switch (f.widget) {
    case 'number':
      return text ? Number(text) : undefined;
    case 'datetime':
      return text ? new Date(text).toISOString() : undefined;
    case 'checkbox':
      return v === true;
    case 'multiselect':
    case 'users':
      return Array.isArray(v) ? v : [];
    case 'evidence': {
      const chosen = Array.isArray(v) ? (v as string[]) : [];
      if (f.evidence === 'hash') return chosen;
      return chosen
        .map((sha) => photos.find((p) => p.sha256 === sha))
        .filter((p): p is RecordPhoto => !!p);
    }
    case 'parties':
    case 'measures':
      return (Array.isArray(v) ? (v as Row[]) : [])
        .map((r) => objectOf(f.fields ?? [], r, photos))
        .filter((o) => !isEmpty(o));
    case 'group': {
      const o = objectOf(f.fields ?? [], (v ?? {}) as Values, photos, true);
      return isEmpty(o) ? undefined : o;
    }
    case 'lines':
      return text
        .split(/[\n,，、;；]/)
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return text || undefined;
  }
}

/** The object of a field list; in a group, unticked boxes alone do not make it filled in. */
function objectOf(
  fields: readonly FormField[],
  values: Values,
  photos: readonly RecordPhoto[],
  group = false,
): Row {
  const out: Row = {};
  let filled = false;
  for (const f of fields) {
    if (!isShown(f, values)) continue;
    const v = valueOf(f, values[f.name], photos);
    if (v === undefined) continue;
    out[f.name] = v;
    if (!(f.widget === 'checkbox' && v === false) && !(Array.isArray(v) && v.length === 0))
      filled = true;
  }
  return group && !filled ? {} : out;
}

/** The input for the server: every shown, filled field in its type, and the version seen. */
export function inputFrom(
  fields: readonly FormField[],
  values: Values,
  version: number,
  photos: readonly RecordPhoto[] = [],
): Row {
  return { version, ...objectOf(fields, values, photos) };
}

const REQUIRED: Bilingual = { zh: '必填', en: 'Required' };

/**
 * What is missing before sending, by field name (the row or group's name for what is inside
 * it): required fields shown and left empty, and too few photos.
 */
export function missingFields(
  fields: readonly FormField[],
  values: Values,
): Record<string, Bilingual> {
  const out: Record<string, Bilingual> = {};
  for (const f of fields) {
    if (!isShown(f, values)) continue;
    const v = values[f.name];
    if (f.widget === 'evidence' || f.widget === 'multiselect' || f.widget === 'users') {
      const n = Array.isArray(v) ? v.length : 0;
      const min = f.minItems ?? (f.required && f.widget !== 'users' ? 1 : 0);
      if (n < min)
        out[f.name] =
          f.widget === 'evidence'
            ? { zh: `至少选择 ${min} 张照片`, en: `Choose at least ${min} photo(s)` }
            : { zh: `至少选择 ${min} 项`, en: `Choose at least ${min}` };
    } else if (f.widget === 'parties' || f.widget === 'measures') {
      const rows = (Array.isArray(v) ? v : []) as Values[];
      const problems = rows.map((r) => missingFields(f.fields ?? [], r));
      if (f.required && rows.length === 0) out[f.name] = REQUIRED;
      const first = problems.flatMap((p) => Object.entries(p))[0];
      if (first)
        out[f.name] = {
          zh: `${labelOf(f.fields, first[0]).zh}：${first[1].zh}`,
          en: `${labelOf(f.fields, first[0]).en}: ${first[1].en}`,
        };
    } else if (f.widget === 'group') {
      const inner = missingFields(f.fields ?? [], (v ?? {}) as Values);
      const first = Object.entries(inner)[0];
      if (f.required && first)
        out[f.name] = {
          zh: `${labelOf(f.fields, first[0]).zh}：${first[1].zh}`,
          en: `${labelOf(f.fields, first[0]).en}: ${first[1].en}`,
        };
    } else if (f.widget === 'checkbox') {
      if (f.required && v !== true) out[f.name] = { zh: '须确认', en: 'Must be confirmed' };
    } else if (f.required && (typeof v !== 'string' || !v.trim())) out[f.name] = REQUIRED;
  }
  return out;
}

function labelOf(fields: readonly FormField[] | undefined, name: string): Bilingual {
  return fields?.find((f) => f.name === name)?.label ?? { zh: '', en: '' };
}

/** When the server's message has no words for a person, what the user reads instead, by error code. */
const BY_CODE: Record<string, Bilingual> = {
  bad_input: { zh: '填写有误，请检查', en: 'Please check this entry' },
  conflict: {
    zh: '图斑状态已变化，请刷新后重试',
    en: 'The polygon has changed; reload and try again',
  },
  forbidden: { zh: '您无权办理此事项', en: 'You may not take this action' },
  forbidden_jurisdiction: { zh: '不在您的辖区内', en: 'Outside your jurisdiction' },
  not_found: { zh: '未找到', en: 'Not found' },
  unauthenticated: { zh: '请重新登录', en: 'Please log in again' },
};
const CJK = /[\u4e00-\u9fff]/;

/**
 * The server's error message as a user may read it: the API writes "中文 / English" after
 * a prefix naming the action and field ("determine: illegalSubtype: "), which is dropped;
 * a message without Chinese is replaced by a plain one for its code.
 */
export function errorWords(code: string, message: string): Bilingual {
  const text = message.replace(/^(?:[A-Za-z_][\w.()]*: )+/, '');
  const cut = text.indexOf(' / ');
  const zh = cut >= 0 ? text.slice(0, cut) : text;
  const en = cut >= 0 ? text.slice(cut + 3) : text;
  const plain = BY_CODE[code] ?? {
    zh: '办理失败，请稍后重试',
    en: 'It did not go through; try again later',
  };
  return { zh: CJK.test(zh) ? zh : plain.zh, en: CJK.test(en) || !en ? plain.en : en };
}

/** The top-level field a server error names ("parties.0.idNumber" → "parties"). */
export const fieldOfError = (field: string | undefined) => field?.split('.')[0];
