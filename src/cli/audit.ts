import type { Command } from 'commander';
import { anchorDirOf, loadEnv } from '../config/env.ts';
import { GengbaoError } from '../errors.ts';
import { writeAnchor } from '../services/record-anchors.ts';
import { auditRecord } from '../services/record-audit.ts';
import { openMigratedDb } from '../store/open.ts';

const ANCHOR = /^(\d+):([0-9a-f]{64})$/;

export function register(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident record (执法全过程记录)');
  audit
    .command('verify')
    .description(
      'Walk the hash chain against the newest anchor and check every case’s state against its record; exit 1 naming what was modified, deleted, inserted or reordered',
    )
    .option(
      '--anchor <seq:hash>',
      'a head printed earlier by `gengbao audit anchor` (default: the newest in the anchor folder)',
    )
    .action(async (opts: { anchor?: string }) => {
      const m = opts.anchor ? ANCHOR.exec(opts.anchor) : null;
      if (opts.anchor && !m) {
        throw new GengbaoError('bad_input', 'an anchor looks like 1234:<64 hex digits>', {
          field: '--anchor',
        });
      }
      const env = loadEnv();
      const db = await openMigratedDb(env);
      try {
        const r = await auditRecord(db, {
          anchor: m ? { seq: Number(m[1]), hash: m[2] } : undefined,
          anchorDir: anchorDirOf(env),
        });
        const against = r.anchor
          ? ` (against anchor ${r.anchor.seq}:${r.anchor.hash.slice(0, 12)}…)`
          : ' (no anchor written yet: deletion of the last events cannot be ruled out)';
        if (r.chain.ok)
          console.log(
            `record intact: ${r.chain.count} events, head ${r.chain.head.seq}:${r.chain.head.hash}${against}`,
          );
        else {
          console.error(
            `record TAMPERED at event ${r.chain.seq}: ${r.chain.kind} — ${r.chain.message} (${r.chain.verified} events verified before it)`,
          );
          process.exitCode = 1;
        }
        if (r.mismatches.length) {
          console.error(
            `case state differs from its record in ${r.mismatches.length} of ${r.casesChecked} cases:`,
          );
          for (const x of r.mismatches.slice(0, 20))
            console.error(
              `  ${x.code} (id ${x.id}): ${x.what} stored ${x.stored}, record says ${x.recorded}`,
            );
          process.exitCode = 1;
        } else console.log(`case states match their records: ${r.casesChecked} cases`);
      } finally {
        await db.close();
      }
    });
  audit
    .command('anchor')
    .description(
      'Write the head of the record (seq:hash) to the anchor folder and print it, for notarisation outside Gengbao',
    )
    .action(async () => {
      const env = loadEnv();
      const db = await openMigratedDb(env);
      try {
        const a = await writeAnchor(db, anchorDirOf(env));
        console.log(a ? `${a.seq}:${a.hash}` : '0:(empty record)');
      } finally {
        await db.close();
      }
    });
}
