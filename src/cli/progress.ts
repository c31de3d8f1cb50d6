import { SingleBar, Presets } from 'cli-progress';

/**
 * A progress bar on stderr for long CLI work (imports, detection). Silent when stderr is not
 * a terminal, so logs and tests get the final report only.
 */
export function progressBar(
  label: string,
  total?: number,
): { update(done: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {value}${total ? '/{total}' : ''}`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total ?? 0, 0);
  return {
    update(done) {
      if (!total && done > bar.getTotal()) bar.setTotal(done);
      bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}
