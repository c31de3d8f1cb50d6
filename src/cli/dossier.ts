import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Scope } from '../store/scope.ts';
import { withServices } from './services.ts';

/**
 * `gengbao dossier`: the 图斑 dossier (图斑档案) as PDF — place, imagery, figures, verdict,
 * photos and the record with its hashes and the chain head — for the operator (whole store).
 */
export function register(program: Command): void {
  program
    .command('dossier')
    .description(
      '图斑档案: one 图斑 as a PDF with imagery, figures, decisions, photos and its hash-chained record',
    )
    .requiredOption('--polygon <code>', 'the 图斑 code')
    .requiredOption('--out <file.pdf>', 'where to write the PDF')
    .action(async (opts: { polygon: string; out: string }) => {
      await withServices(async (services) => {
        const scope = Scope.system();
        const f = await services.dossiers.pdf(
          scope,
          await services.dossiers.idOf(scope, opts.polygon),
        );
        await writeFile(opts.out, f.bytes);
        console.log(`图斑档案 ${opts.polygon} → ${opts.out} (${f.bytes.length} bytes)`);
      });
    });
}
