import { Command, CommanderError } from 'commander';
import { exitCodeOf, isGengbaoError } from '../errors.ts';
import { registrarsFor } from './commands.ts';

/**
 * The `gengbao` command line. Each command lives in its own file under src/cli/ and exports
 * `register(program)`; src/cli/commands.ts lists them and loads only the one asked for.
 */
const program = new Command('gengbao')
  .description('耕保 Gengbao — farmland protection: detect early, stop early, investigate strictly')
  .showHelpAfterError()
  .exitOverride();

for (const m of await Promise.all(registrarsFor(process.argv).map((load) => load())))
  m.register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (isGengbaoError(e)) {
    console.error(`gengbao: ${e.message}${e.field ? ` (${e.field})` : ''} [${e.code}]`);
    process.exit(exitCodeOf(e.code));
  }
  console.error(e);
  process.exit(1);
}
