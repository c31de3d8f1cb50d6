import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { binary } from '../../contract/binary.ts';
import { ErrorBody } from '../../contract/views.ts';
import { DocumentTemplate, DOCUMENT_KINDS } from '../../reports/documents-template.ts';
import { DOCUMENT_MEDIA } from '../../services/documents.ts';
import { principalOf } from '../guards.ts';

/**
 * Enforcement documents (执法文书) of a 图斑's case: issue one of a kind, list them, download
 * the PDF or the docx; and the province's templates, read by everyone in it and edited by
 * its administrator and monitors (every edit in the record).
 */
const Errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const Kind = z
  .enum(DOCUMENT_KINDS)
  .describe(
    'stop_notice 责令停止违法行为通知书, filing_approval 立案审批表, penalty_decision 行政处罚决定书, demolition_notice 责令限期拆除（恢复）通知书, transfer_letter 移送书',
  );
const Params = z.object({ id: z.coerce.number().int().positive() });

const DocumentView = z.object({
  id: z.number(),
  polygonId: z.number(),
  kind: z.string(),
  title: z.string(),
  number: z.string(),
  year: z.number(),
  seq: z.number(),
  pdfSha256: z.string(),
  docxSha256: z.string().nullable(),
  templateSha256: z.string(),
  issuedBy: z.number().nullable(),
  issuedAt: z.string(),
  eventSeq: z.number().nullable().describe('the record event that issued it'),
});
const view = (d: z.infer<typeof DocumentView>) => ({
  id: d.id,
  polygonId: d.polygonId,
  kind: d.kind,
  title: d.title,
  number: d.number,
  year: d.year,
  seq: d.seq,
  pdfSha256: d.pdfSha256,
  docxSha256: d.docxSha256,
  templateSha256: d.templateSha256,
  issuedBy: d.issuedBy,
  issuedAt: d.issuedAt,
  eventSeq: d.eventSeq,
});

const TemplateView = z.object({
  kind: Kind,
  label: z.string(),
  roles: z.array(z.string()),
  source: z.enum(['national', 'province']),
  template: DocumentTemplate,
});
const Province = z.object({
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .describe('2-digit province code; a nation-wide account names it'),
});

export const documentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/polygons/:id/documents',
    {
      schema: {
        tags: ['documents'],
        summary:
          '签发执法文书: fill the province template from the case, number it, store PDF (and docx) as evidence, record it',
        params: Params,
        body: z.object({
          kind: Kind,
          transferDocNo: z
            .string()
            .max(100)
            .optional()
            .describe('移送书: which transfer (default the latest)'),
        }),
        response: { 201: DocumentView, ...Errors },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const d = await app.services.documents.issue(p, req.params.id, req.body.kind, {
        transferDocNo: req.body.transferDocNo,
      });
      return reply.code(201).send(view(d));
    },
  );

  app.get(
    '/api/polygons/:id/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'The enforcement documents issued on a 图斑, oldest first',
        params: Params,
        response: { 200: z.object({ items: z.array(DocumentView) }), ...Errors },
      },
    },
    async (req) => ({
      items: (await app.services.documents.list(principalOf(req).scope, req.params.id)).map(view),
    }),
  );

  app.get(
    '/api/polygons/:id/documents/:docId/file',
    {
      schema: {
        tags: ['documents'],
        summary: 'One document as PDF or docx, checked against its recorded SHA-256',
        params: Params.extend({ docId: z.coerce.number().int().positive() }),
        querystring: z.object({ format: z.enum(['pdf', 'docx']).default('pdf') }),
        response: {
          200: binary('the document, as an attachment', ...Object.values(DOCUMENT_MEDIA)),
          ...Errors,
        },
      },
    },
    async (req, reply) => {
      const f = await app.services.documents.file(
        principalOf(req).scope,
        req.params.id,
        req.params.docId,
        req.query.format,
      );
      return reply
        .type(f.mediaType)
        .header('x-content-sha256', f.sha256)
        .header(
          'content-disposition',
          `attachment; filename="document.${req.query.format}"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
        )
        .send(f.bytes);
    },
  );

  app.get(
    '/api/documents/templates',
    {
      schema: {
        tags: ['documents'],
        summary:
          "The province's document templates in force (its own or the national default), and county short names",
        querystring: Province,
        response: {
          200: z.object({
            province: z.string(),
            abbreviations: z.record(z.string(), z.string()),
            kinds: z.array(TemplateView),
          }),
          ...Errors,
        },
      },
    },
    async (req) => app.services.documents.templates(principalOf(req), req.query.province),
  );

  app.put(
    '/api/documents/templates/:kind',
    {
      schema: {
        tags: ['documents'],
        summary:
          "Replace the province's template of a kind ({占位符} checked); recorded with its hash",
        params: z.object({ kind: Kind }),
        querystring: Province,
        body: DocumentTemplate,
        response: { 200: TemplateView, ...Errors },
      },
    },
    async (req) =>
      app.services.documents.setTemplate(
        principalOf(req),
        req.params.kind,
        req.body,
        req.query.province,
      ),
  );

  app.delete(
    '/api/documents/templates/:kind',
    {
      schema: {
        tags: ['documents'],
        summary: 'Back to the national default template of a kind; recorded',
        params: z.object({ kind: Kind }),
        querystring: Province,
        response: { 200: TemplateView, ...Errors },
      },
    },
    async (req) =>
      app.services.documents.setTemplate(
        principalOf(req),
        req.params.kind,
        null,
        req.query.province,
      ),
  );

  app.put(
    '/api/documents/abbreviations',
    {
      schema: {
        tags: ['documents'],
        summary:
          'County short names used by {county简称} in numbers (e.g. {"140525": "泽州"}); recorded',
        querystring: Province,
        body: z.record(z.string().regex(/^\d{6}$/), z.string().trim().min(1).max(10)),
        response: { 200: z.record(z.string(), z.string()), ...Errors },
      },
    },
    async (req) =>
      app.services.documents.setAbbreviations(principalOf(req), req.body, req.query.province),
  );
};
