import type { Command } from 'commander';
import { loadEnv } from '../config/env.ts';
import { migrate } from '../store/migrate.ts';
import { openDb } from '../store/open.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (all in one transaction) and exit')
    .action(async () => {
      const db = await openDb(loadEnv());
      try {
        const applied = await migrate(db);
        console.log(
          applied.length ? `applied migrations ${applied.join(', ')}` : 'schema is up to date',
        );
      } finally {
        await db.close();
      }
    });
}
