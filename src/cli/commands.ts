import type { Command } from 'commander';

/** Every `gengbao` sub-command: one file each, one line here. */
export const commands: Array<(program: Command) => void> = [];
