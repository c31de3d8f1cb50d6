/**
 * The one database interface of Gengbao. Served by PGlite (embedded PostgreSQL in the process)
 * or by node-postgres against a server; everything above the store talks SQL through this and
 * never knows which. Both back-ends return int8 and numeric columns as JS numbers.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Loads rows given in COPY's text format (store/copy.ts) with `COPY table (columns) FROM
   * STDIN`: bulk imports, several times faster than INSERTs on PGlite. Absent where the
   * driver cannot (node-postgres without a COPY stream): callers fall back to INSERTs.
   */
  copyFrom?(sql: string, text: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** All-or-nothing: commits when `fn` resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** int8 (20) and numeric (1700) as numbers: ids stay below 2^53 and areas fit a double. */
export const NUMBER_TYPE_OIDS = [20, 1700] as const;
