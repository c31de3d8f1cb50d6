import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, qs, type Jurisdiction, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { inLang } from '../server-words.ts';
import './paper-settings.css';

/** Who may edit templates and the exchange mapping (src/services/documents.ts, exchange.ts). */
export const PAPER_EDITORS: readonly string[] = ['admin', 'province_monitor'];

/** This page's words (kept here, not in the shared dictionary): Chinese first. */
const TEXT = {
  nav: { zh: '文书模板', en: 'Templates' },
  title: { zh: '执法文书模板与交换字段', en: 'Document templates and exchange fields' },
  templates: { zh: '执法文书模板', en: 'Enforcement document templates' },
  kind: { zh: '文书种类', en: 'Document' },
  source: { zh: '来源', en: 'Source' },
  national: { zh: '国家默认', en: 'National default' },
  province: { zh: '本省模板', en: 'This province' },
  default: { zh: '默认映射', en: 'Default mapping' },
  docTitle: { zh: '文书标题', en: 'Title' },
  number: { zh: '编号规则', en: 'Number scheme' },
  numberHelp: {
    zh: '可用占位符：{county简称} {county} {year} {seq}（{seq:3} 补足三位），须含 {seq}',
    en: 'Placeholders: {county简称} {county} {year} {seq} ({seq:3} pads to three); {seq} is required',
  },
  blocks: { zh: '正文段落', en: 'Blocks' },
  blocksHelp: {
    zh: '正文用 {占位符}，如 {当事人}、{地点}、{违法事实}；表格每行写“标签｜内容”。',
    en: 'Text uses {placeholders} such as {当事人}, {地点}, {违法事实}; a table row is “label｜value”.',
  },
  heading: { zh: '标题段', en: 'Heading' },
  paragraph: { zh: '正文段', en: 'Paragraph' },
  fields: { zh: '表格（审批表）', en: 'Table' },
  signature: { zh: '落款', en: 'Signature' },
  addBlock: { zh: '添加段落', en: 'Add a block' },
  remove: { zh: '删除', en: 'Remove' },
  up: { zh: '上移', en: 'Up' },
  docx: { zh: '同时生成可编辑的 Word 文件', en: 'Also make a docx to edit' },
  save: { zh: '保存模板', en: 'Save the template' },
  reset: { zh: '恢复国家默认', en: 'Back to the national default' },
  saved: { zh: '已保存，并记入记录。', en: 'Saved and recorded.' },
  abbreviations: { zh: '县（市、区）简称', en: 'County short names' },
  abbrHelp: {
    zh: '编号中的 {county简称}；留空则用县名去掉“县、市、区、旗”。',
    en: '{county简称} in numbers; empty means the name without 县/市/区/旗.',
  },
  saveAbbr: { zh: '保存简称', en: 'Save the short names' },
  exchange: { zh: '交换字段映射', en: 'Exchange field mapping' },
  exchangeHelp: {
    zh: '与省级卫片执法平台交换时的字段名（至多 10 个字母、数字或下划线）、含义和代码；须有图斑编号字段。',
    en: "The province's field names (up to 10 letters, digits or _), what they hold and their codes; a 图斑 code field is required.",
  },
  fieldName: { zh: '字段名', en: 'Field' },
  fieldLabel: { zh: '中文名', en: 'Label' },
  fieldSource: { zh: '取值', en: 'Value' },
  fieldType: { zh: '类型', en: 'Type' },
  fieldCodes: { zh: '代码（值=代码，分号分隔）', en: 'Codes (value=code; …)' },
  string: { zh: '文本', en: 'Text' },
  real: { zh: '小数', en: 'Real' },
  integer: { zh: '整数', en: 'Integer' },
  addField: { zh: '添加字段', en: 'Add a field' },
  saveMapping: { zh: '保存映射', en: 'Save the mapping' },
  resetMapping: { zh: '恢复默认映射', en: 'Back to the default mapping' },
} as const;
type Key = keyof typeof TEXT;

type Block =
  | { type: 'heading' | 'paragraph' | 'signature'; text: string }
  | { type: 'fields'; rows: { label: string; value: string }[] };
interface Template {
  title: string;
  number: string;
  blocks: Block[];
  docx: boolean;
}
interface KindView {
  kind: string;
  label: string;
  source: 'national' | 'province';
  template: Template;
}
interface Field {
  name: string;
  label: string;
  source: string;
  type: 'string' | 'real' | 'integer';
  codes?: Record<string, string>;
}
interface MappingReply {
  province: string;
  source: 'default' | 'province';
  mapping: { fields: Field[] };
  sources: Record<string, string>;
}

/** A table block as the clerk edits it: one row per line, label｜value. */
const rowsToText = (rows: { label: string; value: string }[]) =>
  rows.map((r) => `${r.label}｜${r.value}`).join('\n');
const textToRows = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const i = l.search(/[｜|]/);
      return i < 0
        ? { label: l.trim(), value: '' }
        : { label: l.slice(0, i).trim(), value: l.slice(i + 1).trim() };
    });
const codesToText = (c?: Record<string, string>) =>
  c
    ? Object.entries(c)
        .map(([k, v]) => `${k}=${v}`)
        .join('; ')
    : '';
const textToCodes = (s: string): Record<string, string> | undefined => {
  const parts = s
    .split(/[;；]/)
    .map((x) => x.trim())
    .filter(Boolean);
  if (!parts.length) return undefined;
  return Object.fromEntries(
    parts.map((p) => [p.split('=')[0].trim(), p.split('=').slice(1).join('=').trim()]),
  );
};

/** The server's complaint, and the input field it blames (`blocks.2.text` → `blocks`). */
interface Complaint {
  field: string;
  message: string;
}
function complaintOf(e: unknown, lang: 'zh' | 'en'): Complaint {
  if (e instanceof ApiError)
    return {
      field: e.field ?? '',
      // A schema refusal names its place first (body.fields.3.name: …): the field shows it.
      message: inLang(e.message.replace(/^(body|querystring|params)(\.[\w.]+)?:\s*/, ''), lang),
    };
  return { field: '', message: (e as Error).message };
}

function FieldError({
  complaint,
  field,
  prefix = false,
}: {
  complaint: Complaint | null;
  field: string;
  prefix?: boolean;
}) {
  if (!complaint) return null;
  const hit = prefix
    ? complaint.field === field || complaint.field.startsWith(`${field}.`)
    : complaint.field === field;
  if (!hit) return null;
  return (
    <small className="field-error" role="alert" data-error-for={field}>
      {complaint.message}
    </small>
  );
}

/**
 * 文书模板与交换字段: a province's enforcement-document templates per kind (PUT / DELETE
 * /api/documents/templates/:kind), its county short names (PUT /api/documents/abbreviations)
 * and its exchange field mapping (PUT / DELETE /api/exchange/mapping), for the roles the API
 * lets edit them. The server checks every placeholder and field name; its refusal is shown
 * beside the field it names.
 */
export function PaperSettingsPage({ user }: { user: User }) {
  const { lang } = useI18n();
  const tx = (k: Key) => TEXT[k][lang];
  if (!PAPER_EDITORS.includes(user.role)) return <p className="error">403</p>;
  return (
    <div className="page paper-settings" data-testid="paper-settings">
      <h2>{tx('title')}</h2>
      <TemplatesEditor />
      <Abbreviations />
      <MappingEditor />
    </div>
  );
}

function TemplatesEditor() {
  const { lang } = useI18n();
  const tx = (k: Key) => TEXT[k][lang];
  const [kinds, setKinds] = useState<KindView[]>([]);
  const [kind, setKind] = useState('');
  const [draft, setDraft] = useState<Template | null>(null);
  const [complaint, setComplaint] = useState<Complaint | null>(null);
  const [saved, setSaved] = useState(false);

  const load = useCallback(
    (keep?: string) =>
      api.get<{ kinds: KindView[] }>('/api/documents/templates').then((r) => {
        setKinds(r.kinds);
        const k = r.kinds.find((x) => x.kind === keep) ?? r.kinds[0];
        if (k) {
          setKind(k.kind);
          setDraft(structuredClone(k.template));
        }
      }),
    [],
  );
  useEffect(() => {
    load().catch((e) => setComplaint(complaintOf(e, lang)));
  }, [load]);

  const current = kinds.find((k) => k.kind === kind);
  const choose = (k: string) => {
    setKind(k);
    setDraft(structuredClone(kinds.find((x) => x.kind === k)!.template));
    setComplaint(null);
    setSaved(false);
  };
  const setBlock = (i: number, b: Block) =>
    setDraft((d) => d && { ...d, blocks: d.blocks.map((x, j) => (j === i ? b : x)) });
  const run = async (f: () => Promise<unknown>) => {
    setComplaint(null);
    setSaved(false);
    try {
      await f();
      await load(kind);
      setSaved(true);
    } catch (e) {
      setComplaint(complaintOf(e, lang));
    }
  };
  if (!draft || !current) return complaint ? <p className="error">{complaint.message}</p> : null;
  return (
    <section className="card" data-testid="template-editor">
      <h3>{tx('templates')}</h3>
      <div className="row">
        <label>
          {tx('kind')}{' '}
          <select value={kind} onChange={(e) => choose(e.target.value)} data-testid="template-kind">
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>{' '}
        <span className="muted" data-testid="template-source">
          {tx('source')}：{tx(current.source === 'province' ? 'province' : 'national')}
        </span>
      </div>
      <label className="stack">
        {tx('docTitle')}
        <input
          value={draft.title}
          onChange={(e) => setDraft({ ...draft, title: e.target.value })}
          name="title"
          data-testid="template-title"
        />
        <FieldError complaint={complaint} field="title" />
      </label>
      <label className="stack">
        {tx('number')}
        <input
          value={draft.number}
          onChange={(e) => setDraft({ ...draft, number: e.target.value })}
          name="number"
          data-testid="template-number"
        />
        <small className="muted">{tx('numberHelp')}</small>
        <FieldError complaint={complaint} field="number" />
      </label>
      <fieldset className="blocks">
        <legend>{tx('blocks')}</legend>
        <small className="muted">{tx('blocksHelp')}</small>
        <FieldError complaint={complaint} field="blocks" prefix />
        {draft.blocks.map((b, i) => (
          <div className="block" key={i} data-block={i}>
            <select
              value={b.type}
              onChange={(e) => {
                const type = e.target.value as Block['type'];
                const text = b.type === 'fields' ? rowsToText(b.rows) : b.text;
                setBlock(i, type === 'fields' ? { type, rows: textToRows(text) } : { type, text });
              }}
            >
              {(['heading', 'paragraph', 'fields', 'signature'] as const).map((ty) => (
                <option key={ty} value={ty}>
                  {tx(ty)}
                </option>
              ))}
            </select>
            <textarea
              rows={
                b.type === 'fields' ? Math.max(3, b.rows.length) : b.type === 'paragraph' ? 4 : 2
              }
              value={b.type === 'fields' ? rowsToText(b.rows) : b.text}
              data-testid={`template-block-${i}`}
              onChange={(e) =>
                setBlock(
                  i,
                  b.type === 'fields'
                    ? { type: 'fields', rows: textToRows(e.target.value) }
                    : { type: b.type, text: e.target.value },
                )
              }
            />
            <span className="block-tools">
              {i > 0 && (
                <button
                  type="button"
                  onClick={() => {
                    const blocks = [...draft.blocks];
                    [blocks[i - 1], blocks[i]] = [blocks[i], blocks[i - 1]];
                    setDraft({ ...draft, blocks });
                  }}
                >
                  {tx('up')}
                </button>
              )}
              <button
                type="button"
                onClick={() =>
                  setDraft({ ...draft, blocks: draft.blocks.filter((_, j) => j !== i) })
                }
              >
                {tx('remove')}
              </button>
            </span>
            <FieldError complaint={complaint} field={`blocks.${i}`} prefix />
          </div>
        ))}
        <button
          type="button"
          onClick={() =>
            setDraft({ ...draft, blocks: [...draft.blocks, { type: 'paragraph', text: '' }] })
          }
        >
          {tx('addBlock')}
        </button>
      </fieldset>
      <label>
        <input
          type="checkbox"
          checked={draft.docx}
          onChange={(e) => setDraft({ ...draft, docx: e.target.checked })}
        />{' '}
        {tx('docx')}
      </label>
      <div className="row actions">
        <button
          className="primary"
          data-testid="template-save"
          onClick={() => void run(() => api.put(`/api/documents/templates/${kind}`, draft))}
        >
          {tx('save')}
        </button>{' '}
        {current.source === 'province' && (
          <button
            data-testid="template-reset"
            onClick={() => void run(() => api.del(`/api/documents/templates/${kind}`))}
          >
            {tx('reset')}
          </button>
        )}
        {saved && (
          <span className="ok" data-testid="template-saved">
            {tx('saved')}
          </span>
        )}
        {complaint &&
          !['title', 'number'].includes(complaint.field) &&
          !complaint.field.startsWith('blocks') && (
            <span className="error" role="alert">
              {complaint.message}
            </span>
          )}
      </div>
    </section>
  );
}

function Abbreviations() {
  const { lang } = useI18n();
  const tx = (k: Key) => TEXT[k][lang];
  const [counties, setCounties] = useState<Jurisdiction[]>([]);
  const [abbr, setAbbr] = useState<Record<string, string>>({});
  const [complaint, setComplaint] = useState<Complaint | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    api
      .getAll<Jurisdiction>(`/api/jurisdictions${qs({ level: 'county', limit: 1000 })}`)
      .then(setCounties)
      .catch(() => undefined);
    api
      .get<{ abbreviations: Record<string, string> }>('/api/documents/templates')
      .then((r) => setAbbr(r.abbreviations))
      .catch(() => undefined);
  }, []);
  const save = async () => {
    setComplaint(null);
    setSaved(false);
    const body = Object.fromEntries(Object.entries(abbr).filter(([, v]) => v.trim()));
    try {
      setAbbr(await api.put<Record<string, string>>('/api/documents/abbreviations', body));
      setSaved(true);
    } catch (e) {
      setComplaint(complaintOf(e, lang));
    }
  };
  if (!counties.length) return null;
  return (
    <section className="card" data-testid="abbreviations">
      <h3>{tx('abbreviations')}</h3>
      <small className="muted">{tx('abbrHelp')}</small>
      <table className="list compact">
        <tbody>
          {counties.map((c) => (
            <tr key={c.code}>
              <td>{c.name}</td>
              <td>
                <input
                  size={8}
                  maxLength={10}
                  value={abbr[c.code] ?? ''}
                  placeholder={c.name.replace(/(县|市|区|旗)$/, '')}
                  data-abbr={c.code}
                  onChange={(e) => setAbbr({ ...abbr, [c.code]: e.target.value })}
                />
                <FieldError complaint={complaint} field={c.code} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FieldError complaint={complaint} field="abbreviations" />
      <button onClick={() => void save()}>{tx('saveAbbr')}</button>
      {saved && <span className="ok"> {tx('saved')}</span>}
      {complaint && complaint.field !== 'abbreviations' && !/^\d{6}$/.test(complaint.field) && (
        <span className="error"> {complaint.message}</span>
      )}
    </section>
  );
}

function MappingEditor() {
  const { lang } = useI18n();
  const tx = (k: Key) => TEXT[k][lang];
  const [reply, setReply] = useState<MappingReply | null>(null);
  const [fields, setFields] = useState<(Field & { codesText: string })[]>([]);
  const [complaint, setComplaint] = useState<Complaint | null>(null);
  const [saved, setSaved] = useState(false);
  const take = (r: MappingReply) => {
    setReply(r);
    setFields(r.mapping.fields.map((f) => ({ ...f, codesText: codesToText(f.codes) })));
  };
  useEffect(() => {
    api
      .get<MappingReply>('/api/exchange/mapping')
      .then(take, (e) => setComplaint(complaintOf(e, lang)));
  }, []);
  const run = async (f: () => Promise<MappingReply>) => {
    setComplaint(null);
    setSaved(false);
    try {
      take(await f());
      setSaved(true);
    } catch (e) {
      setComplaint(complaintOf(e, lang));
    }
  };
  const body = () => ({
    fields: fields.map(({ codesText, ...f }) => {
      const codes = textToCodes(codesText);
      const { codes: _old, ...rest } = f;
      return codes ? { ...rest, codes } : rest;
    }),
  });
  const set = (i: number, patch: Partial<Field & { codesText: string }>) =>
    setFields(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  if (!reply) return complaint ? <p className="error">{complaint.message}</p> : null;
  return (
    <section className="card" data-testid="mapping-editor">
      <h3>
        {tx('exchange')}{' '}
        <small className="muted">
          {tx('source')}：{tx(reply.source === 'province' ? 'province' : 'default')}
        </small>
      </h3>
      <small className="muted">{tx('exchangeHelp')}</small>
      <FieldError complaint={complaint} field="fields" />
      <table className="list compact">
        <thead>
          <tr>
            <th>{tx('fieldName')}</th>
            <th>{tx('fieldLabel')}</th>
            <th>{tx('fieldSource')}</th>
            <th>{tx('fieldType')}</th>
            <th>{tx('fieldCodes')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {fields.map((f, i) => (
            <tr key={i} data-field={i}>
              <td>
                <input
                  size={10}
                  value={f.name}
                  onChange={(e) => set(i, { name: e.target.value })}
                  data-testid={`mapping-name-${i}`}
                />
                <FieldError complaint={complaint} field={`fields.${i}.name`} />
              </td>
              <td>
                <input
                  size={12}
                  value={f.label}
                  onChange={(e) => set(i, { label: e.target.value })}
                />
                <FieldError complaint={complaint} field={`fields.${i}.label`} />
              </td>
              <td>
                <select value={f.source} onChange={(e) => set(i, { source: e.target.value })}>
                  {Object.entries(reply.sources).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  value={f.type}
                  onChange={(e) => set(i, { type: e.target.value as Field['type'] })}
                >
                  {(['string', 'real', 'integer'] as const).map((ty) => (
                    <option key={ty} value={ty}>
                      {tx(ty)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  size={24}
                  value={f.codesText}
                  onChange={(e) => set(i, { codesText: e.target.value })}
                />
                <FieldError complaint={complaint} field={`fields.${i}.codes`} prefix />
              </td>
              <td>
                <button type="button" onClick={() => setFields(fields.filter((_, j) => j !== i))}>
                  {tx('remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        onClick={() =>
          setFields([
            ...fields,
            { name: '', label: '', source: 'code', type: 'string', codesText: '' },
          ])
        }
      >
        {tx('addField')}
      </button>{' '}
      <button
        className="primary"
        data-testid="mapping-save"
        onClick={() => void run(() => api.put<MappingReply>('/api/exchange/mapping', body()))}
      >
        {tx('saveMapping')}
      </button>{' '}
      {reply.source === 'province' && (
        <button onClick={() => void run(() => api.del<MappingReply>('/api/exchange/mapping'))}>
          {tx('resetMapping')}
        </button>
      )}
      {saved && <span className="ok"> {tx('saved')}</span>}
      {complaint && !complaint.field.startsWith('fields') && (
        <span className="error"> {complaint.message}</span>
      )}
    </section>
  );
}

export const PAPER_NAV = TEXT.nav;
