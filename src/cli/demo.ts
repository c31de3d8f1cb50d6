import type { Command } from 'commander';
import { loadEnv } from '../config/env.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, ensureDemo, loadDemo } from '../demo/load.ts';
import { openMigratedDb } from '../store/open.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description('Load the Jincheng (晋城市 140500) demo region into an empty database')
    .option('--reset', 'DELETE ALL DATA and load the demo region again')
    .action(async (opts: { reset?: boolean }) => {
      const env = loadEnv();
      const db = await openMigratedDb(env);
      try {
        const summary = opts.reset
          ? await loadDemo(db, { dataDir: env.GENGBAO_DATA_DIR, reset: true, log: console.log })
          : await ensureDemo(db, { dataDir: env.GENGBAO_DATA_DIR, log: console.log });
        if (!summary) {
          console.log(
            'the database already holds data; use --reset to replace it with the demo region',
          );
          return;
        }
        console.log(
          `loaded ${summary.jurisdictions} jurisdictions, ${summary.features} reference features, ${summary.polygons} 图斑, ${summary.imagery} images`,
        );
        console.log(
          `demo accounts (password ${DEMO_PASSWORD}): ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')}`,
        );
      } finally {
        await db.close();
      }
    });
}
