/**
 * The form of each lifecycle action, described for a person: derived from the action's input
 * schema (inputs.ts, as JSON Schema) and the province configuration (config.ts), with the words
 * of form-labels.ts. The browser renders it as it is — labels, help, widgets and choices all
 * come from here, so the web app lists no field, reason or code of its own, and a reason a
 * province adds to its configuration appears in its forms at once.
 */
import { z } from 'zod';
import type { CasesConfig } from './config.ts';
import { ACTION_EN, choiceOf, wordsOf, type Bilingual } from './form-labels.ts';
import { InputSchemas, type Action } from './inputs.ts';

export const WIDGETS = [
  'text',
  'textarea',
  'number',
  'date',
  'datetime',
  'select',
  'multiselect',
  'checkbox',
  /** A document number (文号): one line, kept as typed. */
  'docno',
  /** Site photos (or their hashes) chosen from the evidence already recorded for the 图斑. */
  'evidence',
  /** Repeatable rows of a party: kind, name, ID number, phone, address. */
  'parties',
  /** Repeatable rows of a measure: kind and, for a fine, the amount. */
  'measures',
  /** A nested object shown as one fieldset. */
  'group',
  /** Free-text list, one item per line. */
  'lines',
  /** A unit (county → township → village) chosen by name; the value is its division code. */
  'unit',
  /** Accounts of the unit in the sibling field `of`, chosen by name; the value is their ids. */
  'users',
] as const;
export type Widget = (typeof WIDGETS)[number];

const BilingualSchema = z.object({ zh: z.string(), en: z.string() });
const FormOptionSchema = z.object({ value: z.string(), label: BilingualSchema });

export interface FormField {
  /** The input key: how the browser builds the input, never shown. */
  name: string;
  label: Bilingual;
  help?: Bilingual;
  widget: Widget;
  required: boolean;
  options?: { value: string; label: Bilingual }[];
  /** Shown (and required, when `required`) only while a sibling field has one of these values. */
  when?: { field: string; in: string[] };
  minItems?: number;
  min?: number;
  max?: number;
  /** For `evidence`: whole photo records (with place and time) or their hashes only. */
  evidence?: 'photo' | 'hash';
  /** Sub-fields of a group, a party row or a measure row. */
  fields?: FormField[];
  /** For `users`: the sibling `unit` field whose accounts are offered. */
  of?: string;
  /** The value the form starts with, suggested from the record (suggested-inputs.ts). */
  value?: unknown;
}

export const FormFieldSchema: z.ZodType<FormField> = z.object({
  name: z.string(),
  label: BilingualSchema,
  help: BilingualSchema.optional(),
  widget: z.enum(WIDGETS),
  required: z.boolean(),
  options: z.array(FormOptionSchema).optional(),
  when: z.object({ field: z.string(), in: z.array(z.string()) }).optional(),
  minItems: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  evidence: z.enum(['photo', 'hash']).optional(),
  of: z.string().optional(),
  value: z.unknown().optional(),
  get fields() {
    return z.array(FormFieldSchema).optional();
  },
});

export interface ActionFormDescription {
  label: Bilingual;
  fields: FormField[];
}
export const ActionFormSchema = z.object({
  label: BilingualSchema,
  fields: z.array(FormFieldSchema),
});

/** The subset of JSON Schema zod produces for the inputs. */
interface Json {
  type?: string;
  enum?: string[];
  const?: unknown;
  format?: string;
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  default?: unknown;
  minItems?: number;
  minimum?: number;
  maximum?: number;
}

/**
 * Fields shown only for one choice of another (the input schemas' refinements, as the form
 * must show them): `action.path` → the sibling field and its values.
 */
const CONDITIONS: Record<string, { field: string; in: string[]; required?: true }> = {
  'determine.approvalDocNo': { field: 'category', in: ['lawful'], required: true },
  'determine.illegalSubtype': { field: 'category', in: ['illegal'], required: true },
  'determine.buildYear': { field: 'category', in: ['illegal'] },
  'determine.ruralHousingReasons': { field: 'category', in: ['illegal'] },
  'determine.otherReason': { field: 'category', in: ['other'], required: true },
  'stop.orderNo': { field: 'method', in: ['stop_order'], required: true },
  'stop_early.orderNo': { field: 'method', in: ['stop_order'], required: true },
  'file_case.jointAgencies': { field: 'mode', in: ['joint'], required: true },
  'file_case.listing': { field: 'mode', in: ['supervised'], required: true },
  'enforce.court': { field: 'method', in: ['court_ordered'], required: true },
  'recheck_pass.imageryDate': { field: 'method', in: ['imagery'], required: true },
  'recheck_pass.photos': { field: 'method', in: ['site'], required: true },
  'decide.measures.amountYuan': { field: 'kind', in: ['fine'], required: true },
  'amend_decision.measures.amountYuan': { field: 'kind', in: ['fine'], required: true },
};

const DOC_NUMBERS = new Set([
  'approvalDocNo',
  'orderNo',
  'caseNo',
  'docNo',
  'decisionNo',
  'investigationReportNo',
  'rulingNo',
  'transferDocNo',
  'receiptNo',
]);
const LONG_TEXT = new Set([
  'description',
  'note',
  'reason',
  'summary',
  'finding',
  'progress',
  'requirements',
  'outcomeNote',
]);
/** The reference layers 套合 reports on (analyse's `layerMu` is an open record of them). */
const LAYER_KEYS = ['farmland', 'pbf', 'redline', 'approval', 'facility', 'temporary', 'homestead'];

/** The configured list behind a field, if its choices are configuration. */
function configuredChoices(action: Action, name: string, config: CasesConfig) {
  const d = config.determination;
  const list =
    action === 'determine' && name === 'illegalSubtype'
      ? d.illegalSubtypes
      : action === 'determine' && name === 'otherReason'
        ? d.otherReasons
        : action === 'determine' && name === 'ruralHousingReasons'
          ? d.ruralHousingReasons
          : action === 'dismiss' && name === 'reason'
            ? config.dismissalReasons
            : undefined;
  return list?.map((x) => ({ value: x.code, label: { zh: x.label, en: x.labelEn ?? x.label } }));
}

const UNNAMED: Bilingual = { zh: '（未命名项）', en: '(unnamed field)' };

function fieldOf(
  action: Action,
  path: string,
  s: Json,
  required: boolean,
  config: CasesConfig,
): FormField {
  const name = path.split('.').pop()!;
  const words = wordsOf(action, path);
  const cond = CONDITIONS[`${action}.${path}`];
  const base = {
    name,
    label: words?.label ?? UNNAMED,
    ...(words?.help ? { help: words.help } : {}),
    required: required || !!cond?.required || (s.type === 'array' && (s.minItems ?? 0) > 0),
    ...(cond ? { when: { field: cond.field, in: cond.in } } : {}),
  };
  const choices = (values: string[]) =>
    values.map((v) => ({ value: v, label: choiceOf(name, v) ?? UNNAMED }));
  const configured = configuredChoices(action, name, config);
  const minItems =
    action === 'verify' && name === 'photos' ? config.verification.minPhotos : s.minItems;
  const sub = (obj: Json, keys: string[], prefix: string) =>
    keys.map((k) =>
      fieldOf(
        action,
        `${prefix}.${k}`,
        obj.properties?.[k] ?? { type: 'number', minimum: 0 },
        (obj.required ?? []).includes(k),
        config,
      ),
    );

  // 下发: the unit by name and its people by name, never a code or a user number.
  if (action === 'push' && name === 'unitCode') return { ...base, widget: 'unit' };
  // The people are optional: an empty list pushes to the unit as a whole.
  if (action === 'push' && name === 'assigneeIds')
    return { ...base, required: (s.minItems ?? 0) > 0, widget: 'users', of: 'unitCode' };
  if (s.type === 'array') {
    const item = s.items ?? {};
    if (name === 'parties')
      return {
        ...base,
        widget: 'parties',
        minItems,
        fields: sub(item, Object.keys(item.properties ?? {}), path),
      };
    if (name === 'measures')
      return {
        ...base,
        widget: 'measures',
        minItems,
        fields: sub(item, Object.keys(item.properties ?? {}), path),
      };
    if (item.type === 'object' && item.properties?.sha256)
      return { ...base, widget: 'evidence', evidence: 'photo', ...(minItems ? { minItems } : {}) };
    if (name === 'attachments') return { ...base, widget: 'evidence', evidence: 'hash' };
    if (configured) return { ...base, widget: 'multiselect', options: configured };
    if (item.enum)
      return {
        ...base,
        widget: 'multiselect',
        options: choices(item.enum),
        ...(minItems ? { minItems } : {}),
      };
    return { ...base, widget: 'lines' };
  }
  if (s.type === 'object') {
    const keys = name === 'layerMu' ? LAYER_KEYS : Object.keys(s.properties ?? {});
    return { ...base, widget: 'group', fields: sub(s, keys, path) };
  }
  if (configured) return { ...base, widget: 'select', options: configured };
  if (s.enum) return { ...base, widget: 'select', options: choices(s.enum) };
  if (s.type === 'boolean')
    return { ...base, required: base.required && s.const === true, widget: 'checkbox' };
  if (s.type === 'integer' || s.type === 'number')
    return {
      ...base,
      widget: 'number',
      ...(s.minimum !== undefined ? { min: s.minimum } : {}),
      ...(s.maximum !== undefined && s.maximum < 1e12 ? { max: s.maximum } : {}),
    };
  if (s.format === 'date') return { ...base, widget: 'date' };
  if (s.format === 'date-time') return { ...base, widget: 'datetime' };
  if (DOC_NUMBERS.has(name)) return { ...base, widget: 'docno' };
  return { ...base, widget: LONG_TEXT.has(name) ? 'textarea' : 'text' };
}

/**
 * The labels of the configured choices, for reading a record: `field` (or `action.field` where
 * the name alone is ambiguous) → code → words. The timeline shows 新增, not the stored `new`.
 */
export function configuredChoiceWords(
  config: CasesConfig,
): Record<string, Record<string, Bilingual>> {
  const words = (list: readonly { code: string; label: string; labelEn?: string }[]) =>
    Object.fromEntries(list.map((x) => [x.code, { zh: x.label, en: x.labelEn ?? x.label }]));
  const d = config.determination;
  return {
    illegalSubtype: words(d.illegalSubtypes),
    otherReason: words(d.otherReasons),
    ruralHousingReasons: words(d.ruralHousingReasons),
    'dismiss.reason': words(config.dismissalReasons),
  };
}

const jsonOf = new Map<Action, Json>();

/**
 * The form of `action` under `config`: every input field but `version` (taken from the case),
 * in the schema's order, each with its words, widget, choices and conditions.
 * @example describeForm('determine', config).fields.find((f) => f.name === 'illegalSubtype')?.options
 */
export function describeForm(
  action: Action,
  config: CasesConfig,
  label: string,
): ActionFormDescription {
  let json = jsonOf.get(action);
  if (!json)
    jsonOf.set(
      action,
      (json = z.toJSONSchema(InputSchemas[action], {
        io: 'input',
        unrepresentable: 'any',
      }) as Json),
    );
  const required = new Set(json.required ?? []);
  const fields = Object.entries(json.properties ?? {})
    .filter(([name]) => name !== 'version')
    .map(([name, s]) => fieldOf(action, name, s, required.has(name), config));
  return { label: { zh: label, en: ACTION_EN[action] ?? label }, fields };
}

/** The form with the suggested values set as the starting values of its top-level fields. */
export function prefilled(
  form: ActionFormDescription,
  values: Record<string, unknown>,
): ActionFormDescription {
  if (!Object.keys(values).length) return form;
  return {
    ...form,
    fields: form.fields.map((f) => (f.name in values ? { ...f, value: values[f.name] } : f)),
  };
}

/** A spot check that drew a 图斑, as a spot-check finding's form offers it. */
export interface DrawnSpotCheck {
  seed: string;
  period: string;
  /** The day it was drawn (YYYY-MM-DD, China time). */
  drawnOn: string;
  /** Who drew it, by name. */
  drawnBy: string | null;
}

/**
 * A spot-check finding's form with its batch (the `sampleSeed` input) chosen among the spot
 * checks that drew the 图斑, by period, day and name — never typed as a seed — the newest first
 * and chosen already.
 */
export function withDrawnSpotChecks(
  form: ActionFormDescription,
  drawn: readonly DrawnSpotCheck[],
): ActionFormDescription {
  return {
    ...form,
    fields: form.fields.map((f) =>
      f.name !== 'sampleSeed'
        ? f
        : {
            ...f,
            label: { zh: '抽查批次', en: 'Spot check' },
            widget: 'select' as const,
            options: drawn.map((d) => ({
              value: d.seed,
              label: {
                zh: `${d.period} 期抽查（${d.drawnOn}${d.drawnBy ? ` ${d.drawnBy}` : ''} 抽取）`,
                en: `Spot check of ${d.period} (drawn ${d.drawnOn}${d.drawnBy ? ` by ${d.drawnBy}` : ''})`,
              },
            })),
            ...(drawn.length ? { value: drawn[0].seed } : {}),
          },
    ),
  };
}
