import { readFile } from 'node:fs/promises';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';

let sqlJs: Promise<SqlJsStatic> | undefined;

/**
 * SQLite for GeoPackage, by sql.js (SQLite compiled to WebAssembly, shipped inside the npm
 * tarball). Chosen over better-sqlite3 12 because better-sqlite3 fetches a prebuilt native
 * binary from GitHub at install time (prebuild-install) or needs a C++ toolchain, and the house
 * rule allows downloads from the npm registry only. The price: sql.js opens a database from
 * memory, so a GeoPackage is read whole (rows are still produced one at a time).
 */
export function sqlite(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

/** Open a SQLite file (read into memory). */
export async function openSqlite(path: string): Promise<Database> {
  const SQL = await sqlite();
  return new SQL.Database(await readFile(path));
}
