import type { Command } from 'commander';
import { loadEnv } from '../config/env.ts';
import { GengbaoError } from '../errors.ts';
import { initInstallation } from '../services/installation.ts';
import { openMigratedDb } from '../store/open.ts';
import { levelOf, type JurisdictionLevel } from '../grid/index.ts';
import { readStdin } from './stdin.ts';

const LEVELS: JurisdictionLevel[] = ['province', 'city', 'county'];

export function register(program: Command): void {
  program
    .command('init')
    .description(
      'Set up a real installation: the bureau’s top unit and its first administrator with a generated password; no demo data',
    )
    .requiredOption(
      '-j, --jurisdiction <code>',
      'the bureau’s 6-digit administrative code (GB/T 2260), e.g. 140525',
    )
    .requiredOption('-n, --name <name>', 'its name, e.g. 泽州县')
    .option('--level <level>', `${LEVELS.join(', ')} (default: from the code's trailing zeros)`)
    .option('-u, --username <username>', 'the administrator’s login name', 'admin')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(
      async (opts: {
        jurisdiction: string;
        name: string;
        level?: string;
        username: string;
        passwordStdin?: boolean;
      }) => {
        if (!/^\d{6}$/.test(opts.jurisdiction))
          throw new GengbaoError(
            'bad_input',
            '--jurisdiction must be a 6-digit code such as 140525',
            { field: '--jurisdiction' },
          );
        if (opts.level && !(LEVELS as string[]).includes(opts.level))
          throw new GengbaoError('bad_input', `--level must be one of ${LEVELS.join(', ')}`, {
            field: '--level',
          });
        const password = opts.passwordStdin ? (await readStdin()).trim() : undefined;
        const env = loadEnv();
        const db = await openMigratedDb(env);
        try {
          const out = await initInstallation(db, {
            jurisdictionCode: opts.jurisdiction,
            jurisdictionName: opts.name,
            level:
              (opts.level as JurisdictionLevel | undefined) ??
              levelOf(opts.jurisdiction) ??
              'county',
            username: opts.username,
            password,
          });
          console.log(
            `已创建 ${opts.name}（${opts.jurisdiction}）及管理员账号 ${out.username}。Created ${opts.name} (${opts.jurisdiction}) and the administrator ${out.username}.`,
          );
          if (out.generated)
            console.log(`初始密码（只显示这一次）/ initial password (shown once): ${out.password}`);
          console.log(
            '`gengbao start` now serves this installation on every interface (HOST to change); the demo is not loaded into it.',
          );
        } finally {
          await db.close();
        }
      },
    );
}
