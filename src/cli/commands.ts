import type { Command } from 'commander';

type Registrar = () => Promise<{ register: (program: Command) => void }>;

/**
 * Every `gengbao` sub-command: one file each, one line here, keyed by the command's name.
 * Modules load on demand (main.ts loads only the command asked for): a command file imports
 * its engine — the store, the server, the detector — and loading all of them cost every
 * command 2–5 s of start-up.
 */
export const commands: Record<string, Registrar> = {
  start: () => import('./start.ts'),
  worker: () => import('./worker.ts'),
  migrate: () => import('./migrate.ts'),
  demo: () => import('./demo.ts'),
  user: () => import('./user.ts'),
  audit: () => import('./audit.ts'),
  detect: () => import('./detect.ts'),
  analyze: () => import('./analyze.ts'),
  export: () => import('./export.ts'),
  import: () => import('./import.ts'),
  init: () => import('./init.ts'),
  report: () => import('./report.ts'),
  dossier: () => import('./dossier.ts'),
  document: () => import('./document.ts'),
  exchange: () => import('./exchange.ts'),
};

/** The registrars to load for `argv`: the named command's alone, or all (help, unknown commands). */
export function registrarsFor(argv: string[]): Registrar[] {
  const name = argv[2];
  return name && Object.hasOwn(commands, name) ? [commands[name]] : Object.values(commands);
}
