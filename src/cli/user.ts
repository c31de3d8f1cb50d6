import type { Command } from 'commander';
import { Scope } from '../store/scope.ts';
import { ROLES, type Role } from '../store/users.ts';
import { withServices } from './services.ts';
import { readStdin } from './stdin.ts';

export function register(program: Command): void {
  const user = program.command('user').description('Manage accounts');
  user
    .command('add')
    .description('Create an account (operator command: the machine owner may create any account)')
    .requiredOption('-u, --username <username>', 'login name')
    .requiredOption('-r, --role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption(
      '-j, --jurisdiction <code>',
      'home jurisdiction code (6, 9 or 12 digits): the account sees only data under it',
    )
    .option('-n, --name <displayName>', 'display name (default: the username)')
    .option('--phone <phone>', 'phone number')
    .option(
      '--password-stdin',
      'read the password from standard input instead of $GENGBAO_PASSWORD',
    )
    .action(
      async (opts: {
        username: string;
        role: Role;
        jurisdiction: string;
        name?: string;
        phone?: string;
        passwordStdin?: boolean;
      }) => {
        const password = opts.passwordStdin
          ? (await readStdin()).trim()
          : (process.env.GENGBAO_PASSWORD ?? '');
        // The operator of the machine may create an account anywhere: the system scope.
        const created = await withServices((s) =>
          s.accounts.create(Scope.system(), {
            username: opts.username,
            displayName: opts.name ?? opts.username,
            password,
            role: opts.role,
            jurisdictionCode: opts.jurisdiction,
            phone: opts.phone,
          }),
        );
        console.log(
          `created ${created.username} (${created.role}) in ${created.jurisdictionName} ${created.jurisdictionCode}`,
        );
      },
    );
}
