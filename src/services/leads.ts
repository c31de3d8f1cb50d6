import { GengbaoError } from '../errors.ts';
import { prefixAt } from '../grid/index.ts';
import {
  HANDOVER_SOURCE_LABELS,
  LEAD_OUTCOME_LABELS,
  leadOutcome,
  leadOutcomeCounts,
  SOURCE_ZH,
  STATUS_ZH,
  type HandoverDocument,
  type HandoverSource,
  type LeadOutcome,
} from '../oversight/index.ts';
import { insertNotifications } from '../store/cases.ts';
import type { Db } from '../store/db.ts';
import { appendEvent } from '../store/events.ts';
import { recordEvidenceFile } from '../store/field.ts';
import type { EvidenceFiles } from '../store/field-evidence-files.ts';
import { countCodesWithPrefix } from '../store/polygon-upkeep.ts';
import { insertPolygons } from '../store/polygons.ts';
import { insertHandover, listHandovers, unitNames } from '../store/supervision.ts';
import type { Principal } from '../store/users.ts';
import { actorOf, type CaseService } from './cases.ts';
import { placeGeometry } from './geometry-input.ts';
import { xlsxSheet } from './xlsx-sheet.ts';

/** The handing-over document's file: what offices send (scans and PDFs), at most 20 MB. */
export const HANDOVER_FILE_MAX_BYTES = 20 * 1024 * 1024;

/** The media type by the file's own first bytes, never by its name: PDF, OFD (a zip), JPEG, PNG. */
export function handoverMediaType(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    return 'application/ofd';
  return null;
}

const CODE_PREFIX: Record<HandoverSource, string> = {
  inspectorate: 'DC',
  media: 'MT',
  higher_authority: 'SJ',
  manual: 'SG',
};
const monthOf = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 7);

export interface NewLead {
  source: HandoverSource;
  geometry: unknown;
  document: HandoverDocument;
  file?: { name: string; contentBase64: string };
}

export interface LeadReportRow {
  polygonId: number;
  polygonCode: string;
  source: string;
  docNo: string;
  docDate: string;
  issuingBody: string;
  jurisdictionCode: string;
  status: string;
  outcome: LeadOutcome;
  caseNo: string | null;
  fileSha256: string | null;
}

/**
 * Leads from above (docs/DOMAIN.md "Leads from above"): a place handed over by the
 * inspectorate, the media or a higher authority — or drawn by an office — with its
 * handing-over document, becomes a 图斑 of that source placed in its village by the grid; its
 * case opens (the `found` event) and the county is notified, in one transaction with the
 * document and its event. The report says what became of each lead.
 */
export class LeadService {
  constructor(
    private readonly db: Db,
    private readonly files: EvidenceFiles,
    private readonly cases: CaseService,
    private readonly now: () => Date,
  ) {}

  async create(
    p: Principal,
    lead: NewLead,
  ): Promise<{
    polygonId: number;
    code: string;
    jurisdictionCode: string;
    countyCode: string;
    fileSha256: string | null;
  }> {
    const placed = await placeGeometry(this.db, lead.geometry, [p.scope.prefix]);
    const countyCode = prefixAt(placed.jurisdictionCode, 'county');
    const at = this.now();
    let file: { sha256: string; name: string; mediaType: string } | null = null;
    if (lead.file) {
      const bytes = Buffer.from(lead.file.contentBase64, 'base64');
      if (bytes.length === 0 || bytes.length > HANDOVER_FILE_MAX_BYTES)
        throw new GengbaoError(
          'bad_input',
          `交办文件为空或超过 20 MB / the document file is empty or over 20 MB`,
          { field: 'file' },
        );
      const mediaType = handoverMediaType(bytes);
      if (!mediaType)
        throw new GengbaoError(
          'bad_input',
          '交办文件须为 PDF、OFD、JPEG 或 PNG / the document file must be PDF, OFD, JPEG or PNG',
          { field: 'file' },
        );
      const sha256 = await this.files.put(bytes);
      file = { sha256, name: lead.file.name.slice(0, 200), mediaType };
    }
    const period = monthOf(at);
    const stored = await this.db.transaction(async (tx) => {
      // 图斑 codes start with the county and the period, as detected ones do (then the
      // source's letters and a sequence within the county), so a code says where and when.
      const prefix = `${countyCode}${period.replace('-', '')}${CODE_PREFIX[lead.source]}`;
      const code = `${prefix}${String((await countCodesWithPrefix(tx, prefix)) + 1).padStart(4, '0')}`;
      if (file)
        await recordEvidenceFile(tx, p.scope, {
          sha256: file.sha256,
          mediaType: file.mediaType,
          bytes: Buffer.byteLength(lead.file!.contentBase64, 'base64'),
          jurisdictionCode: placed.jurisdictionCode,
          at,
        });
      const [id] = await insertPolygons(tx, p.scope, [
        {
          code,
          source: lead.source,
          period,
          jurisdictionCode: placed.jurisdictionCode,
          geometry: placed.geometry,
          properties: {
            lead: {
              kind: lead.source,
              ...lead.document,
              fileSha256: file?.sha256 ?? null,
              receivedBy: p.id,
            },
          },
        },
      ]);
      await this.cases.openCases(
        tx,
        p.scope,
        actorOf(p),
        [{ id, jurisdictionCode: placed.jurisdictionCode, source: lead.source, period }],
        at,
      );
      await insertHandover(tx, p.scope, {
        polygonId: id,
        source: lead.source,
        jurisdictionCode: placed.jurisdictionCode,
        ...lead.document,
        fileSha256: file?.sha256 ?? null,
        fileName: file?.name ?? null,
        fileMediaType: file?.mediaType ?? null,
        receivedBy: p.id,
        receivedAt: at,
      });
      await appendEvent(tx, p.scope, {
        actorId: p.id,
        entityType: 'lead_handover',
        entityId: String(id),
        jurisdictionCode: placed.jurisdictionCode,
        type: 'lead.handed_over',
        payload: { source: lead.source, polygonCode: code, ...lead.document, file: file ?? null },
        at,
      });
      await insertNotifications(tx, [
        {
          jurisdictionCode: countyCode,
          polygonId: id,
          kind: 'lead_handed_over',
          audience: 'county',
          payload: {
            source: lead.source,
            docNo: lead.document.docNo,
            issuingBody: lead.document.issuingBody,
          },
          at,
        },
      ]);
      return { id, code };
    });
    return {
      polygonId: stored.id,
      code: stored.code,
      jurisdictionCode: placed.jurisdictionCode,
      countyCode,
      fileSha256: file?.sha256 ?? null,
    };
  }

  /** What became of the leads handed over in [from, to] (document dates): each lead, and counts per source and outcome. */
  async report(p: Principal, f: { from?: string; to?: string; source?: string }) {
    const leads = await listHandovers(this.db, p.scope, f);
    const items: LeadReportRow[] = leads.map((l) => ({
      polygonId: l.polygonId,
      polygonCode: l.polygonCode,
      source: l.source,
      docNo: l.docNo,
      docDate: l.docDate,
      issuingBody: l.issuingBody,
      jurisdictionCode: l.caseJurisdictionCode,
      status: l.state?.status ?? 'found',
      outcome: leadOutcome(l.state),
      caseNo: l.state?.caseFile?.caseNo ?? null,
      fileSha256: l.fileSha256,
    }));
    return { from: f.from ?? null, to: f.to ?? null, items, counts: leadOutcomeCounts(leads) };
  }

  async reportXlsx(
    p: Principal,
    f: { from?: string; to?: string; source?: string },
  ): Promise<{ name: string; bytes: Buffer }> {
    const r = await this.report(p, f);
    const units = await unitNames(
      this.db,
      r.items.map((i) => i.jurisdictionCode),
    );
    const at = this.now();
    const bytes = await xlsxSheet(
      '交办线索办理情况',
      [
        { header: '图斑编号', value: (x: LeadReportRow) => x.polygonCode, width: 28 },
        {
          header: '线索来源',
          value: (x) =>
            HANDOVER_SOURCE_LABELS[x.source as HandoverSource] ?? SOURCE_ZH[x.source] ?? x.source,
        },
        { header: '交办文号', value: (x) => x.docNo, width: 24 },
        { header: '交办日期', value: (x) => x.docDate },
        { header: '交办机关', value: (x) => x.issuingBody, width: 22 },
        {
          header: '所在单位',
          value: (x) => units.get(x.jurisdictionCode) ?? x.jurisdictionCode,
          width: 20,
        },
        { header: '案件状态', value: (x) => STATUS_ZH[x.status] ?? x.status },
        { header: '办理结果', value: (x) => LEAD_OUTCOME_LABELS[x.outcome] },
        { header: '立案编号', value: (x) => x.caseNo, width: 22 },
        { header: '交办文件 SHA-256', value: (x) => x.fileSha256, width: 66 },
      ],
      r.items,
      at,
    );
    return { name: `交办线索办理情况-${at.toISOString().slice(0, 10)}.xlsx`, bytes };
  }
}
