/**
 * Whether an error means "the database is not there" rather than "this query is wrong". The
 * edges answer the first with db_unreachable (503: try again later, nothing is wrong with the
 * request) instead of a 500 that sends the operator looking for a bug.
 */

/** Socket errors of a server that is down, restarting or behind a broken network. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * SQLSTATEs of a server that cannot serve now: class 08 (connection exception), 57P01–57P03
 * (shut down by the administrator, crashed, still starting), 53300 (too many connections).
 */
const SQLSTATES = /^(08...|57P0[123]|53300)$/;

/** What node-postgres and PGlite say when the connection went away under a query. */
const MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|client has encountered a connection error|cannot use a pool after calling end|pglite is closed|connection (refused|reset)/i;

export function isDbConnectionFailure(e: unknown): boolean {
  for (let err = e, depth = 0; err && typeof err === 'object' && depth < 5; depth++) {
    const { code, message } = err as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.test(code))) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    // AggregateError (one error per address tried) and wrapped causes.
    const inner = (err as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.some(isDbConnectionFailure)) return true;
    err = (err as { cause?: unknown }).cause;
  }
  return false;
}
