import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DOCUMENT_KINDS, type DocumentKind } from '../reports/documents-template.ts';
import { Scope } from '../store/scope.ts';
import { withServices } from './services.ts';

/**
 * `gengbao document`: issues an enforcement document (执法文书) for a 图斑's case as the
 * operator — numbered, stored as evidence and recorded like one issued in the office app (the
 * record names no user: the operator) — and writes the PDF or the docx.
 */
export function register(program: Command): void {
  program
    .command('document')
    .description(
      '签发执法文书: fill the province template from the case, number it, record it, write PDF or docx',
    )
    .requiredOption('--polygon <code>', 'the 图斑 code')
    .requiredOption('--kind <kind>', DOCUMENT_KINDS.join(' | '))
    .option('--format <pdf|docx>', 'the file to write', 'pdf')
    .option('--transfer <docNo>', 'transfer_letter: which transfer (default the latest)')
    .requiredOption('--out <file>', 'where to write it')
    .action(
      async (opts: {
        polygon: string;
        kind: string;
        format: string;
        transfer?: string;
        out: string;
      }) => {
        if (!(DOCUMENT_KINDS as readonly string[]).includes(opts.kind))
          throw new Error(`--kind must be one of ${DOCUMENT_KINDS.join(', ')}`);
        if (opts.format !== 'pdf' && opts.format !== 'docx')
          throw new Error('--format must be pdf or docx');
        await withServices(async (services) => {
          const scope = Scope.system();
          const id = await services.dossiers.idOf(scope, opts.polygon);
          const doc = await services.documents.issue(
            { id: null, role: 'system', scope },
            id,
            opts.kind as DocumentKind,
            {
              transferDocNo: opts.transfer,
            },
          );
          const f = await services.documents.file(scope, id, doc.id, opts.format as 'pdf' | 'docx');
          await writeFile(opts.out, f.bytes);
          console.log(
            `${doc.title} ${doc.number} → ${opts.out} (${f.bytes.length} bytes, SHA-256 ${f.sha256}, record #${doc.eventSeq})`,
          );
        });
      },
    );
}
