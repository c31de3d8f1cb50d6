import type { Command } from 'commander';
import { loadEnv } from '../config/env.ts';
import { exitOnSignals, startServer } from '../server/start.ts';

export function register(program: Command): void {
  program
    .command('start')
    .description(
      'Run the Gengbao server (embedded PostgreSQL unless DATABASE_URL is set; loads the demo region into an empty database)',
    )
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 8080)')
    .option('--no-demo', 'do not load the demo region into an empty database')
    .action(async (opts: { port?: string; demo: boolean }) => {
      const env = loadEnv({
        ...process.env,
        ...(opts.port ? { PORT: opts.port } : {}),
        ...(opts.demo ? {} : { GENGBAO_DEMO: 'off' }),
      });
      exitOnSignals(await startServer(env));
    });
}
