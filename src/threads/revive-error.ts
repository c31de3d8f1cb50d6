import { GengbaoError, isErrorCode } from '../errors.ts';
import type { WireError } from './messages.ts';

/**
 * The error a thread threw, rebuilt on this side: a GengbaoError with its code, field and
 * details when it carried one of the error codes (so HTTP, CLI and jobs map it as if it had
 * been thrown here), otherwise an Error with the same name and message (and `code` kept, as
 * Node's system errors carry one). The thread's stack is kept: it says where it failed.
 * Also takes the Error of a thread's 'error' event, which Node clones with its own fields.
 */
export function reviveError(w: WireError): Error {
  const e = isErrorCode(w.code)
    ? new GengbaoError(w.code, w.message, {
        field: typeof w.field === 'string' ? w.field : undefined,
        details: w.details,
      })
    : Object.assign(new Error(w.message), w.code === undefined ? {} : { code: w.code });
  if (!(e instanceof GengbaoError) && w.name) e.name = w.name;
  if (w.stack) e.stack = w.stack;
  return e;
}
