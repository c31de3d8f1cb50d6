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

const DOMAIN = ['geo', 'raster', 'detect', 'analyze', 'cases', 'field', 'grid', 'accounts', 'oversight', 'reports'];

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
