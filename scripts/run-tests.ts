/**
 * `npm test`: runs Vitest, and reruns once the test files whose worker process died under them.
 *
 * Why: now and then a test process dies in native code with no JavaScript error — Node's
 * WebAssembly runtime is known to SIGSEGV while several processes start PGlite at once
 * (nodejs/node#64500, electric-sql/pglite#1053, no fix released), and a file that opens no
 * PGlite (src/cli/detect.test.ts) has died the same way. Vitest then reports "Worker exited
 * unexpectedly" and counts the file's unfinished tests as pending, so one crash in ~160 files
 * fails a green suite. A rerun
 * is the honest answer to a crash, and only to a crash: any failed assertion, or any error that
 * is not a worker exit, ends the run with Vitest's own exit code, and files that crash again
 * fail. Arguments are passed to Vitest (`npm test -- test/cli.test.ts`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const CRASH = 'Worker exited unexpectedly';
/** More crashed files than this is not the intermittent fault: report it as it is. */
const MAX_RERUN = 5;

interface JsonReport {
  numFailedTests: number;
  testResults: { name: string; assertionResults: { status: string }[] }[];
}

interface VitestRun {
  code: number;
  output: string;
  report: JsonReport | null;
}

function runVitest(args: string[], reportFile: string): Promise<VitestRun> {
  const vitest = join(import.meta.dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');
  const child = spawn(
    process.execPath,
    [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile=${reportFile}`, ...args],
    { stdio: ['inherit', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    process.stdout.write(d);
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    process.stderr.write(d);
    output += d.toString();
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      let report: JsonReport | null = null;
      try {
        report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
      } catch {
        report = null;
      }
      resolve({ code: code ?? 1, output, report });
    }),
  );
}

/**
 * The files a worker exit cut short, or null when the failure was anything else. A crashed
 * file's tests that never ran are reported 'pending' (a skipped test is 'skipped'), and a file
 * that crashed while loading reports no tests at all.
 */
function crashedFiles(run: VitestRun): string[] | null {
  if (!run.report || run.report.numFailedTests > 0) return null;
  const plain = stripVTControlCharacters(run.output);
  const crashes = plain.split(`Caused by: Error: ${CRASH}`).length - 1;
  const errors = Number(/Errors\s+(\d+) errors?/.exec(plain)?.[1] ?? 0);
  if (crashes === 0 || crashes !== errors) return null;
  const files = run.report.testResults
    .filter(
      (f) =>
        f.assertionResults.length === 0 || f.assertionResults.some((a) => a.status === 'pending'),
    )
    .map((f) => relative(process.cwd(), f.name));
  return files.length > 0 && files.length <= MAX_RERUN ? files : null;
}

async function main(args: string[], dir: string): Promise<number> {
  const first = await runVitest(args, join(dir, 'first.json'));
  const crashed = first.code === 0 ? null : crashedFiles(first);
  if (!crashed) return first.code;
  console.log(
    `\n${crashed.length} test file(s) lost their worker process (${CRASH}, no test failed); ` +
      `running them once more: ${crashed.join(' ')}\n`,
  );
  // Options written as --name=value carry over (a --config, say); file filters do not.
  const options = args.filter((a) => a.startsWith('--') && a.includes('='));
  return (await runVitest([...options, ...crashed], join(dir, 'again.json'))).code;
}

const dir = mkdtempSync(join(tmpdir(), 'gengbao-tests-'));
const code = await main(process.argv.slice(2), dir);
rmSync(dir, { recursive: true, force: true });
process.exit(code);
