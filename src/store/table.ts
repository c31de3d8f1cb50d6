import { z } from 'zod';
import type { BBox } from '../geo/types.ts';

/**
 * Rows declared once. A table (or the part of it a query reads) is one map from record field
 * to column; the map gives both the SELECT list and the typed reader, and its record type is
 * the API shape, so a column added to the map is selected, converted and typed in one place.
 * The idea is ODK Central's `Frame`: one field list → select list + mapper.
 *
 * Readers convert what the drivers hand over instead of trusting it: PGlite and node-postgres
 * both parse int8 and numeric as numbers (db.ts), but sums and casts can still arrive as text
 * and a raw driver may give a bigint, so numbers go through Number(); timestamps arrive as
 * Date from both, strings are parsed anyway; jsonb arrives parsed from both.
 *
 * Each column also carries the zod schema of the value it reads, so a table's `schema` is the
 * HTTP response shape of its records (src/contract/): the API's documented shape is the
 * reader's, not a second list of fields. This file stays free of node imports for that reason:
 * the browser apps read these types too.
 */

/** A result row as a driver hands it over: select-list name → value. */
export type Row = Record<string, unknown>;

/** One record field: the SQL that selects it and the reader that types it. */
export interface Column<T, Optional extends boolean = false> {
  /** The name the value has in the result row. */
  readonly name: string;
  /** Selected only when a query asks for it (e.g. geometry); absent from the record otherwise. */
  readonly optional: Optional;
  /** Select-list items, with columns qualified by a table alias ('' for none). */
  select(alias: string): string;
  /** Whether the row holds this column at all. */
  present(row: Row): boolean;
  /** Whether the row holds SQL NULL here. */
  isNull(row: Row): boolean;
  /** The typed value; a NULL in a column declared NOT NULL is a declaration bug and throws. */
  read(row: Row): T;
  /** The value's shape as zod (the API response schema of this field). */
  readonly schema: z.ZodType<T>;
  /** NULL reads as null. */
  orNull(): Column<T | null, Optional>;
  /** NULL reads as `fallback()` (a function, so rows never share one mutable default). */
  or(fallback: () => T): Column<T, Optional>;
  /** Converts the read value further (e.g. a Date to the ISO text the domain keeps), `schema` being the new value's shape. */
  map<U>(fn: (v: T) => U, schema: z.ZodType<U>): Column<U, Optional>;
  /** The same reader described by a narrower schema (a jsonb document's shape, a CHECKed text's values). */
  described<U extends T>(schema: z.ZodType<U>): Column<U, Optional>;
  /** Marks the column optional (see `optional`). */
  whenAsked(): Column<T, true>;
}

interface Spec {
  name: string;
  select(alias: string): string;
  present(row: Row): boolean;
  isNull(row: Row): boolean;
}

function make<T, O extends boolean>(
  s: Spec,
  optional: O,
  schema: z.ZodType<T>,
  read: (row: Row) => T,
): Column<T, O> {
  return {
    name: s.name,
    optional,
    select: s.select,
    present: s.present,
    isNull: s.isNull,
    read,
    schema,
    orNull: () => make(s, optional, schema.nullable(), (row) => (s.isNull(row) ? null : read(row))),
    or: (fallback: () => T) =>
      make(s, optional, schema, (row) => (s.isNull(row) ? fallback() : read(row))),
    map: <U>(fn: (v: T) => U, to: z.ZodType<U>) => make(s, optional, to, (row) => fn(read(row))),
    described: <U extends T>(to: z.ZodType<U>) => make(s, optional, to, read as (row: Row) => U),
    whenAsked: () => make(s, true as const, schema, read),
  };
}

const qualify = (alias: string, column: string) => (alias ? `${alias}.${column}` : column);

/**
 * A single-value column `name`, or the SQL expression `expr` selected AS `name` (joined or
 * computed values: `col.text('jurisdiction_name', 'j.name')`). Expressions are written with
 * their own aliases, so the table alias does not apply to them.
 */
function scalar<T>(
  name: string,
  expr: string | undefined,
  schema: z.ZodType<T>,
  convert: (v: unknown) => T,
  cast = '',
): Column<T> {
  const spec: Spec = {
    name,
    select: (alias) =>
      expr
        ? `${expr}${cast} AS ${name}`
        : cast
          ? `${qualify(alias, name)}${cast} AS ${name}`
          : qualify(alias, name),
    present: (row) => name in row,
    isNull: (row) => row[name] == null,
  };
  return make(spec, false, schema, (row) => {
    const v = row[name];
    if (v == null)
      throw new Error(`store: column ${name} is NULL but declared NOT NULL (declare it .orNull())`);
    return convert(v);
  });
}

const toNumber = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
/** A `date` column is selected as text ('YYYY-MM-DD'): no time zone can shift the day. */
const toDay = (v: unknown): string =>
  (v instanceof Date ? v.toISOString() : String(v)).slice(0, 10);

const BBOX: z.ZodType<BBox> = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** A `box` column, selected as its four corners (box[1] is the low corner). */
function box(name: string): Column<BBox> {
  const parts = ['minx', 'miny', 'maxx', 'maxy'].map((p) => `${name}_${p}`);
  const spec: Spec = {
    name,
    select: (alias) => {
      const c = qualify(alias, name);
      return `(${c}[1])[0] AS ${parts[0]}, (${c}[1])[1] AS ${parts[1]}, (${c}[0])[0] AS ${parts[2]}, (${c}[0])[1] AS ${parts[3]}`;
    },
    present: (row) => parts[0] in row,
    isNull: (row) => row[parts[0]] == null,
  };
  return make(spec, false, BBOX, (row) => {
    if (row[parts[0]] == null)
      throw new Error(
        `store: box column ${name} is NULL but declared NOT NULL (declare it .orNull())`,
      );
    return [
      toNumber(row[parts[0]]),
      toNumber(row[parts[1]]),
      toNumber(row[parts[2]]),
      toNumber(row[parts[3]]),
    ];
  });
}

/** Column builders, one per kind of SQL value the store reads. */
export const col = {
  /** integer, bigint (ids) or a count. */
  int: (name: string, expr?: string) => scalar(name, expr, z.number(), toNumber),
  /** double precision. */
  float: (name: string, expr?: string) => scalar(name, expr, z.number(), toNumber),
  /** numeric: a decimal the drivers may hand over as text. */
  numeric: (name: string, expr?: string) => scalar(name, expr, z.number(), toNumber),
  /** text or uuid; `T` narrows it to the values a CHECK allows (say which with `.described`). */
  text: <T extends string = string>(name: string, expr?: string) =>
    scalar(name, expr, z.string() as unknown as z.ZodType<T>, (v) => String(v) as T),
  bool: (name: string, expr?: string) =>
    scalar(name, expr, z.boolean(), (v) => v === true || v === 't'),
  /** jsonb, parsed by both drivers; `T` is what the application stored there (described as open JSON unless `.described`). */
  json: <T>(name: string, expr?: string) =>
    scalar(name, expr, z.unknown() as z.ZodType<T>, (v) => v as T),
  /** timestamptz as a Date (serialized as ISO text). */
  time: (name: string, expr?: string) => scalar(name, expr, z.date(), toDate),
  /** date as 'YYYY-MM-DD'. */
  day: (name: string, expr?: string) => scalar(name, expr, z.string(), toDay, '::text'),
  box,
};

type AnyColumn = Column<unknown, boolean>;
export type Columns = Record<string, AnyColumn>;

type ValueOf<C> = C extends Column<infer T, boolean> ? T : never;
type Flatten<T> = { [K in keyof T]: T[K] };

/** The record a table's columns read into: optional columns are optional fields. */
export type RecordOf<C extends Columns> = Flatten<
  { [K in keyof C as C[K]['optional'] extends true ? never : K]: ValueOf<C[K]> } & {
    [K in keyof C as C[K]['optional'] extends true ? K : never]?: ValueOf<C[K]>;
  }
>;

export interface Table<C extends Columns> {
  /** The table the columns belong to (documentation; queries spell their FROM). */
  readonly name: string;
  readonly columns: C;
  /** The select list: every column not optional, plus the optional ones named in `with`. */
  select(opts?: { alias?: string; with?: readonly (keyof C)[] }): string;
  /** The record of one row selected with `select`; optional columns only when selected. */
  read(row: Row): RecordOf<C>;
  /** The same table with more fields (joined or computed columns); a field of `more` replaces one of the same name. */
  extend<D extends Columns>(more: D): Table<Flatten<Omit<C, keyof D> & D>>;
  /** The table limited to some fields (a query that reads fewer). */
  pick<K extends keyof C & string>(...keys: K[]): Table<Pick<C, K>>;
  /** The record as zod: the response schema of an API reply made of these records. */
  readonly schema: z.ZodObject<SchemaShape<C>>;
}

type SchemaShape<C extends Columns> = {
  [K in keyof C]: C[K] extends Column<infer T, infer O>
    ? O extends true
      ? z.ZodOptional<z.ZodType<T>>
      : z.ZodType<T>
    : never;
};

export function defineTable<C extends Columns>(name: string, columns: C): Table<C> {
  const entries = Object.entries(columns);
  return {
    name,
    columns,
    select: ({ alias = '', with: extra = [] } = {}) =>
      entries
        .filter(([key, c]) => !c.optional || extra.includes(key))
        .map(([, c]) => c.select(alias))
        .join(', '),
    read: (row) => {
      const out: Record<string, unknown> = {};
      for (const [key, c] of entries) if (!c.optional || c.present(row)) out[key] = c.read(row);
      return out as RecordOf<C>;
    },
    extend: <D extends Columns>(more: D) =>
      defineTable(name, { ...columns, ...more } as Flatten<Omit<C, keyof D> & D>),
    pick: <K extends keyof C & string>(...keys: K[]) =>
      defineTable(name, Object.fromEntries(keys.map((k) => [k, columns[k]])) as Pick<C, K>),
    schema: z.object(
      Object.fromEntries(
        entries.map(([key, c]) => [key, c.optional ? c.schema.optional() : c.schema]),
      ) as SchemaShape<C>,
    ),
  };
}
