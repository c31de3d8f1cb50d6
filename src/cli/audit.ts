import type { Command } from 'commander';
import { loadEnv } from '../config/env.ts';
import { GengbaoError } from '../errors.ts';
import { verifyRecord } from '../store/audit.ts';
import { chainHeadOf } from '../store/events.ts';
import { openMigratedDb } from '../store/open.ts';

const ANCHOR = /^(\d+):([0-9a-f]{64})$/;

export function register(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident record (执法全过程记录)');
  audit
    .command('verify')
    .description('Walk the hash chain; exit 1 naming the first event that was modified, deleted, inserted or reordered')
    .option('--anchor <seq:hash>', 'a head printed earlier by `gengbao audit anchor`: the chain must still contain it')
    .action(async (opts: { anchor?: string }) => {
      const m = opts.anchor ? ANCHOR.exec(opts.anchor) : null;
      if (opts.anchor && !m) {
        throw new GengbaoError('bad_input', 'an anchor looks like 1234:<64 hex digits>', { field: '--anchor' });
      }
      const db = await openMigratedDb(loadEnv());
      try {
        const verdict = await verifyRecord(db, m ? { seq: Number(m[1]), hash: m[2] } : undefined);
        if (verdict.ok) {
          console.log(`record intact: ${verdict.count} events, head ${verdict.head.seq}:${verdict.head.hash}`);
        } else {
          console.error(`record TAMPERED at event ${verdict.seq}: ${verdict.kind} — ${verdict.message} (${verdict.verified} events verified before it)`);
          process.exitCode = 1;
        }
      } finally {
        await db.close();
      }
    });
  audit
    .command('anchor')
    .description('Print the head of the record (seq:hash) for notarisation outside Gengbao')
    .action(async () => {
      const db = await openMigratedDb(loadEnv());
      try {
        const head = await chainHeadOf(db);
        console.log(`${head.seq}:${head.hash}`);
      } finally {
        await db.close();
      }
    });
}
