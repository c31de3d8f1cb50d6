import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Debian's Chromium for the browser tests, resolved at run time. CI installs it, so its
 * absence is a failure with the fix in the message, never a skip.
 */
export function chromiumPath(): string {
  let path = '';
  try {
    path = execSync('command -v chromium', { shell: '/bin/sh', encoding: 'utf8' }).trim();
  } catch {
    /* reported below */
  }
  if (!path || !existsSync(path)) {
    throw new Error(
      'browser tests need Chromium: `command -v chromium` found nothing. Install it with `apt-get install chromium` (.ci/run does).',
    );
  }
  return path;
}

/** Flags for headless Chromium on this machine kind: no sandbox as root, no calls home. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
