import { spawnSync } from 'node:child_process';

/**
 * Whether a command-line tool (e.g. GDAL's `ogrinfo`) is on PATH. Tests use GDAL as an
 * independent reader of our exports when it is installed (CI installs `gdal-bin`).
 */
export function onPath(command: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}
