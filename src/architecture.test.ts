import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The dependency rule of Gengbao, checked on the import statements of every source file:
 *
 *   server (HTTP edge), cli (command edge) → services (use cases) → store (SQL) and the domain
 *   jobs (job edge) → services
 *   domain (pure: geo, raster, detect, analyze, cases, field, grid, accounts) → nothing above
 *
 * Each rule lists its offenders, so a failure says which file to change.
 */

const SRC = dirname(fileURLToPath(import.meta.url));

const DOMAIN = [
  'geo',
  'raster',
  'detect',
  'analyze',
  'cases',
  'field',
  'grid',
  'accounts',
  'oversight',
  'reports',
];

interface Source {
  /** Path under src/, with forward slashes. */
  path: string;
  text: string;
  /** Imported files under src/ (relative specifiers resolved), with forward slashes. */
  imports: string[];
}

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.(ts|mjs)$/.test(e.name)) yield p;
  }
}

// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function sources(): Source[] {
  return [...walk(SRC)].map((file) => {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(SPECIFIER)].map((m) =>
      relative(SRC, resolve(dirname(file), m[1]))
        .split('\\')
        .join('/'),
    );
    return { path: relative(SRC, file).split('\\').join('/'), text, imports };
  });
}

const ALL = sources();
const isTest = (s: Source) => /\.test\.ts$/.test(s.path);
const folderOf = (path: string) => path.split('/')[0];
const under = (path: string, ...folders: string[]) =>
  folders.some((f) => path === f || path.startsWith(`${f}/`));

/** "file → import" for every non-test file under `from` importing from one of `to`. */
function offenders(from: string[], to: string[]): string[] {
  return ALL.filter((s) => !isTest(s) && from.includes(folderOf(s.path))).flatMap((s) =>
    s.imports.filter((i) => under(i, ...to)).map((i) => `${s.path} → ${i}`),
  );
}

/** Non-test files under `folder` (all of src/ when absent) whose text matches `pattern`. */
function matching(folder: string | null, pattern: RegExp): string[] {
  return ALL.filter(
    (s) => !isTest(s) && (folder === null || under(s.path, folder)) && pattern.test(s.text),
  ).map((s) => s.path);
}

describe('the dependency rule', () => {
  it('finds the source files and their imports', () => {
    expect(ALL.length).toBeGreaterThan(100);
    expect(ALL.find((s) => s.path === 'server/app.ts')?.imports).toContain(
      'server/routes/health.ts',
    );
  });

  it('jobs do not import the HTTP server', () => {
    expect(offenders(['jobs'], ['server'])).toEqual([]);
  });

  it('services import neither the HTTP server nor the CLI', () => {
    expect(offenders(['services'], ['server', 'cli'])).toEqual([]);
  });

  it('domain folders import no edge, no service, no job and no store', () => {
    expect(offenders(DOMAIN, ['server', 'services', 'jobs', 'cli', 'store'])).toEqual([]);
  });

  it('routes reach data through the services, never the database', () => {
    expect(matching('server/routes', /deps\.db|\.query\s*\(|\.exec\s*\(/)).toEqual([]);
    expect(
      offenders(['server'], ['store/db.ts']).filter((o) => o.startsWith('server/routes/')),
    ).toEqual([]);
  });

  it('jobs hold no SQL: they parse their payload and call a service', () => {
    expect(matching('jobs', /\.query\s*\(|\.exec\s*\(|\b(SELECT|UPDATE|INSERT|DELETE)\s/)).toEqual(
      [],
    );
  });

  it('the application is wired in one place', () => {
    const constructed = (name: string) => matching(null, new RegExp(`new ${name}\\(`));
    expect(constructed('CaseService')).toEqual(['services/container.ts']);
    expect(constructed('ImageryTiler')).toEqual(['services/container.ts']);
  });
});

/*
 * docs/ARCHITECTURE.md's folder table is the picture a newcomer reads: one row per folder of
 * src/, and a "may import" column that the code obeys. `domain` in that column stands for the
 * pure folders below; errors.ts and random.ts (leaf modules at src/'s root) are open to all.
 */
const DOMAIN_WORD = [...DOMAIN, 'oversight', 'demo', 'threads', 'config', 'contract', 'reports'];

function architectureTable(): Map<string, Set<string>> {
  const doc = readFileSync(resolve(SRC, '../docs/ARCHITECTURE.md'), 'utf8');
  const rows = new Map<string, Set<string>>();
  for (const m of doc.matchAll(/^\|\s*`src\/([a-z-]+)\/`\s*\|[^|]*\|([^|]*)\|/gm)) {
    const allowed = new Set([...m[2].matchAll(/`([a-z-]+)`/g)].map((x) => x[1]));
    if (/\bdomain\b/.test(m[2])) DOMAIN_WORD.forEach((d) => allowed.add(d));
    rows.set(m[1], allowed);
  }
  return rows;
}

describe('docs/ARCHITECTURE.md', () => {
  const table = architectureTable();
  const folders = readdirSync(SRC, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

  it('has a row for every folder of src/, and none for a folder that is gone', () => {
    expect([...table.keys()].sort()).toEqual(folders);
  });

  it('says what each folder may import, and the code keeps to it', () => {
    const breaches = ALL.filter((s) => !isTest(s) && table.has(folderOf(s.path))).flatMap((s) =>
      s.imports
        .filter((i) => i.includes('/') && folderOf(i) !== folderOf(s.path))
        .filter((i) => !table.get(folderOf(s.path))!.has(folderOf(i)))
        .map((i) => `${s.path} → ${i}`),
    );
    expect(breaches).toEqual([]);
  });
});
