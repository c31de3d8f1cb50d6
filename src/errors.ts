/**
 * Errors are values with codes: every failure that reaches an edge — HTTP,
 * CLI, job — is a GengbaoError carrying a stable `code`, a human message and, where one
 * input is to blame, the offending `field`. Each edge maps codes once (see `httpStatusOf`
 * and `exitCodeOf`) instead of inventing status codes route by route.
 */
export type ErrorCode =
  | 'bad_input'
  | 'not_found'
  | 'unauthenticated'
  | 'forbidden'
  | 'forbidden_jurisdiction'
  | 'conflict'
  | 'rate_limited'
  | 'db_unreachable'
  | 'db_schema_newer'
  | 'db_corrupt'
  | 'db_locked'
  | 'unsupported'
  | 'internal';

export class GengbaoError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly details?: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { field?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GengbaoError';
    this.code = code;
    this.field = opts.field;
    this.details = opts.details;
  }

  toJSON(): { code: ErrorCode; message: string; field?: string; details?: unknown } {
    return { code: this.code, message: this.message, field: this.field, details: this.details };
  }
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_input: 400,
  not_found: 404,
  unauthenticated: 401,
  forbidden: 403,
  forbidden_jurisdiction: 403,
  conflict: 409,
  rate_limited: 429,
  db_unreachable: 503,
  db_schema_newer: 503,
  db_corrupt: 503,
  db_locked: 503,
  unsupported: 415,
  internal: 500,
};

/** Whether `code` is one of the error codes (a GengbaoError's code read back as data). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(HTTP_STATUS, code);
}

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** CLI exit codes: 2 for the caller's mistake, 3 for the environment (database), 1 otherwise. */
export function exitCodeOf(code: ErrorCode): number {
  if (code === 'bad_input' || code === 'not_found' || code === 'unsupported') return 2;
  if (code.startsWith('db_')) return 3;
  return 1;
}

export function isGengbaoError(e: unknown): e is GengbaoError {
  return e instanceof GengbaoError;
}
