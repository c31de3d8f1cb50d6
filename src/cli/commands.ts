import type { Command } from 'commander';
import { register as analyze } from './analyze.ts';
import { register as audit } from './audit.ts';
import { register as demo } from './demo.ts';
import { register as detect } from './detect.ts';
import { register as exportCmd } from './export.ts';
import { register as importCmd } from './import.ts';
import { register as migrate } from './migrate.ts';
import { register as start } from './start.ts';
import { register as user } from './user.ts';
import { register as worker } from './worker.ts';

/** Every `gengbao` sub-command: one file each, one line here. */
export const commands: Array<(program: Command) => void> = [
  start,
  worker,
  migrate,
  demo,
  user,
  audit,
  detect,
  analyze,
  exportCmd,
  importCmd,
];
