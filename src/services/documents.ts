import { canonicalJson, type Role } from '../cases/index.ts';
import { GengbaoError } from '../errors.ts';
import { prefixAt } from '../grid/index.ts';
import { DEFAULT_TEMPLATES } from '../reports/documents-defaults.ts';
import { DOCUMENT_RULES, documentFields } from '../reports/documents-fill.ts';
import { documentDocx, documentPdf, fillTemplate } from '../reports/documents-render.ts';
import {
  checkTemplate,
  countyShortName,
  DOCUMENT_KINDS,
  DocumentTemplate,
  formatNumber,
  ProvinceDocuments,
  type DocumentKind,
} from '../reports/documents-template.ts';
import type { Db, Queryable } from '../store/db.ts';
import { caseStateOf, unitChainOf } from '../store/dossier-data.ts';
import {
  documentsOf,
  getDocument,
  insertDocument,
  nextDocumentSeq,
  setDocumentEvent,
  type DocumentRecord,
} from '../store/documents.ts';
import { appendEvent } from '../store/events.ts';
import { sha256Hex, type EvidenceFiles } from '../store/field-evidence-files.ts';
import { getPolygon } from '../store/polygons.ts';
import type { Scope } from '../store/scope.ts';
import { getSetting, putSetting } from '../store/settings.ts';

/** The setting holding each province's templates and county short names, by province code. */
const SETTING = 'documents.provinces';

/** Who issues or edits: a signed-in user, or the operator at the CLI (`id` null, role system). */
export interface DocumentActor {
  id: number | null;
  role: Role | 'system';
  scope: Scope;
}

/** Who may change a province's templates: its administrator and its monitoring analysts. */
const TEMPLATE_EDITORS: readonly string[] = ['admin', 'province_monitor'];

export const DOCUMENT_MEDIA = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;
export type DocumentFormat = keyof typeof DOCUMENT_MEDIA;

/** China-time year of an instant (documents are numbered by the year they are signed in). */
const chinaYear = (d: Date) => new Date(d.getTime() + 8 * 3600_000).getUTCFullYear();

export interface TemplateView {
  kind: DocumentKind;
  label: string;
  roles: string[];
  source: 'national' | 'province';
  template: DocumentTemplate;
}

/**
 * Enforcement documents (执法文书): issued from the province's templates, filled from the
 * case, numbered from the county's sequence, stored as evidence (PDF, and docx to edit) and
 * entered in the hash-chained record with their number and hashes — in one transaction.
 */
export class DocumentService {
  constructor(
    private readonly db: Db,
    private readonly evidence: EvidenceFiles,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async provinces(q: Queryable): Promise<Record<string, ProvinceDocuments>> {
    return (await getSetting<Record<string, ProvinceDocuments>>(q, SETTING)) ?? {};
  }

  /** The province a caller's templates belong to; a nation-wide caller names it. */
  private provinceOf(actor: DocumentActor, province?: string): string {
    const own = actor.scope.prefix.slice(0, 2);
    const p = province ?? own;
    if (!/^\d{2}$/.test(p))
      throw new GengbaoError('bad_input', '须指定省级代码 / name the province (2 digits)', {
        field: 'province',
      });
    if (own && own !== p)
      throw new GengbaoError(
        'forbidden_jurisdiction',
        `省 ${p} 不在你的辖区 / province ${p} is outside your jurisdiction`,
        {
          field: 'province',
        },
      );
    return p;
  }

  /** Every kind's template in force in a province, and where it comes from. */
  async templates(
    actor: DocumentActor,
    province?: string,
  ): Promise<{ province: string; abbreviations: Record<string, string>; kinds: TemplateView[] }> {
    const p = this.provinceOf(actor, province);
    const mine = (await this.provinces(this.db))[p];
    return {
      province: p,
      abbreviations: mine?.abbreviations ?? {},
      kinds: DOCUMENT_KINDS.map((kind) => ({
        kind,
        label: DOCUMENT_RULES[kind].label,
        roles: [...DOCUMENT_RULES[kind].roles],
        source: mine?.templates[kind] ? 'province' : 'national',
        template: mine?.templates[kind] ?? DEFAULT_TEMPLATES[kind],
      })),
    };
  }

  /**
   * Replaces a province's template of one kind (or, with `null`, goes back to the national
   * default), recorded in the hash-chained record with the template and its hash.
   */
  async setTemplate(
    actor: DocumentActor,
    kind: DocumentKind,
    input: unknown,
    province?: string,
  ): Promise<TemplateView> {
    if (!TEMPLATE_EDITORS.includes(actor.role) && actor.role !== 'system')
      throw new GengbaoError(
        'forbidden',
        '只有省级管理员和监测人员可修改文书模板 / only province administrators and monitors edit templates',
      );
    const p = this.provinceOf(actor, province);
    const template = input === null ? null : DocumentTemplate.parse(input);
    if (template) checkTemplate(template);
    await this.db.transaction(async (tx) => {
      const all = await this.provinces(tx);
      const mine = ProvinceDocuments.parse(all[p] ?? {});
      if (template) mine.templates[kind] = template;
      else delete mine.templates[kind];
      await putSetting(tx, SETTING, { ...all, [p]: mine });
      await appendEvent(tx, actor.scope, {
        actorId: actor.id,
        entityType: 'document_template',
        entityId: `${p}/${kind}`,
        jurisdictionCode: `${p}0000`,
        type: template ? 'document_template.updated' : 'document_template.reset',
        payload: {
          province: p,
          kind,
          template,
          sha256: template ? sha256Hex(Buffer.from(canonicalJson(template))) : null,
        },
        at: this.now(),
      });
    });
    return (await this.templates(actor, p)).kinds.find((k) => k.kind === kind)!;
  }

  /** Sets a province's county short names (泽州县 → 泽州) used by `{county简称}`; recorded. */
  async setAbbreviations(
    actor: DocumentActor,
    abbreviations: Record<string, string>,
    province?: string,
  ): Promise<Record<string, string>> {
    if (!TEMPLATE_EDITORS.includes(actor.role) && actor.role !== 'system')
      throw new GengbaoError(
        'forbidden',
        '只有省级管理员和监测人员可修改文书模板 / only province administrators and monitors edit templates',
      );
    const p = this.provinceOf(actor, province);
    for (const code of Object.keys(abbreviations))
      if (!code.startsWith(p))
        throw new GengbaoError(
          'bad_input',
          `${code} 不在省 ${p} / ${code} is not in province ${p}`,
          { field: 'abbreviations' },
        );
    await this.db.transaction(async (tx) => {
      const all = await this.provinces(tx);
      const mine = ProvinceDocuments.parse({ ...(all[p] ?? {}), abbreviations });
      await putSetting(tx, SETTING, { ...all, [p]: mine });
      await appendEvent(tx, actor.scope, {
        actorId: actor.id,
        entityType: 'document_template',
        entityId: `${p}/abbreviations`,
        jurisdictionCode: `${p}0000`,
        type: 'document_template.abbreviations',
        payload: { province: p, abbreviations },
        at: this.now(),
      });
    });
    return abbreviations;
  }

  /**
   * Issues a document of `kind` for a 图斑's case: refused unless the actor's role issues it
   * and the case is where the document makes sense. Number, files, row and record event are
   * made in one transaction, so a failure leaves no number used and no document half issued.
   */
  async issue(
    actor: DocumentActor,
    polygonId: number,
    kind: DocumentKind,
    opts: { transferDocNo?: string } = {},
  ): Promise<DocumentRecord> {
    const rule = DOCUMENT_RULES[kind];
    if (actor.role !== 'system' && !rule.roles.includes(actor.role))
      throw new GengbaoError(
        'forbidden',
        `${rule.label}由县级执法人员签发 / ${kind} is issued by ${rule.roles.join(', ')}`,
      );
    const at = this.now();
    return this.db.transaction(async (tx) => {
      const polygon = await getPolygon(tx, actor.scope, polygonId);
      const state = polygon ? await caseStateOf(tx, actor.scope, polygonId) : null;
      if (!polygon || !state)
        throw new GengbaoError('not_found', `no polygon ${polygonId} in your jurisdiction`, {
          field: 'id',
        });
      const refusal = rule.refusal(state);
      if (refusal)
        throw new GengbaoError('conflict', `${rule.label}：${refusal}`, { field: 'kind' });
      if (
        kind === 'transfer_letter' &&
        opts.transferDocNo &&
        !state.transfers.some((t) => t.docNo === opts.transferDocNo)
      )
        throw new GengbaoError(
          'bad_input',
          `没有移送文号 ${opts.transferDocNo} / no transfer ${opts.transferDocNo}`,
          { field: 'transferDocNo' },
        );

      const county = prefixAt(polygon.jurisdictionCode, 'county');
      const province = county.slice(0, 2);
      const mine = (await this.provinces(tx))[province];
      const template = mine?.templates[kind] ?? DEFAULT_TEMPLATES[kind];
      const places = await unitChainOf(tx, polygon.jurisdictionCode);
      const countyName = places.find((u) => u.code === county)?.name ?? county;
      const year = chinaYear(at);
      const seq = await nextDocumentSeq(tx, county, year, kind);
      const number = formatNumber(template.number, {
        countyShort: countyShortName(county, countyName, mine?.abbreviations ?? {}),
        county: countyName,
        year,
        seq,
      });
      const fields = documentFields(
        { code: polygon.code, period: polygon.period, areaMu: polygon.areaMu, places, state },
        { number, issuedAt: at.toISOString(), transferDocNo: opts.transferDocNo },
      );
      const filled = fillTemplate(template, fields, {
        number,
        issuedAt: at.toISOString(),
        footer: `图斑 ${polygon.code}`,
      });
      const pdf = await documentPdf(filled);
      const docx = template.docx ? await documentDocx(filled) : null;
      const pdfSha256 = await this.evidence.put(pdf);
      const docxSha256 = docx ? await this.evidence.put(docx) : null;
      const templateSha256 = sha256Hex(Buffer.from(canonicalJson(template)));
      const doc = await insertDocument(tx, actor.scope, {
        polygonId,
        jurisdictionCode: polygon.jurisdictionCode,
        countyCode: county,
        kind,
        year,
        seq,
        number,
        title: filled.title,
        pdfSha256,
        docxSha256,
        templateSha256,
        fields,
        issuedBy: actor.id,
        issuedAt: at.toISOString(),
      });
      // The record names the document by number and hashes, not its text: the parties' ID
      // numbers stay in the documents table, whose reader is checked by scope and role.
      const event = await appendEvent(tx, actor.scope, {
        actorId: actor.id,
        entityType: 'polygon_document',
        entityId: String(polygonId),
        jurisdictionCode: polygon.jurisdictionCode,
        type: 'document.issued',
        payload: {
          documentId: doc.id,
          kind,
          title: filled.title,
          number,
          pdfSha256,
          docxSha256,
          templateSha256,
        },
        at,
      });
      await setDocumentEvent(tx, doc.id, event.seq);
      return { ...doc, eventSeq: event.seq };
    });
  }

  /** The documents issued on a 图斑 in the caller's scope, oldest first. */
  async list(scope: Scope, polygonId: number): Promise<DocumentRecord[]> {
    if (!(await getPolygon(this.db, scope, polygonId)))
      throw new GengbaoError('not_found', `no polygon ${polygonId} in your jurisdiction`, {
        field: 'id',
      });
    return documentsOf(this.db, scope, polygonId);
  }

  /** One document's file, read from the evidence store and checked against its recorded hash. */
  async file(
    scope: Scope,
    polygonId: number,
    id: number,
    format: DocumentFormat,
  ): Promise<{ name: string; bytes: Buffer; mediaType: string; sha256: string }> {
    const d = await getDocument(this.db, scope, polygonId, id);
    if (!d)
      throw new GengbaoError('not_found', `no document ${id} on polygon ${polygonId}`, {
        field: 'id',
      });
    const sha = format === 'pdf' ? d.pdfSha256 : d.docxSha256;
    if (!sha)
      throw new GengbaoError('not_found', `${d.title} 没有 docx / no docx of this document`, {
        field: 'format',
      });
    const bytes = await this.evidence.read(sha);
    if (sha256Hex(bytes) !== sha)
      throw new GengbaoError(
        'internal',
        `文书 ${d.number} 的文件与记录的哈希不符 / the stored file does not match its hash`,
      );
    return {
      name: `${d.title}-${d.number}.${format}`,
      bytes,
      mediaType: DOCUMENT_MEDIA[format],
      sha256: sha,
    };
  }
}
