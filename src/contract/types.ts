/**
 * The API's reply types as the browser apps receive them: the zod shapes of views.ts after
 * JSON (a Date travels as ISO text). Type-only: importing this file bundles nothing.
 */
import type { z } from 'zod';
import type * as F from './field-views.ts';
import type * as V from './views.ts';

type JsonLike = string | number | boolean | null | JsonLike[] | { [k: string]: JsonLike };

/** What JSON makes of a value: Dates become ISO text, the rest keeps its shape (tuples too). */
export type Wire<T> = T extends Date
  ? string
  : // Already JSON (a record's payload): as it is; also stops recursion through JSON types.
    T extends JsonLike
    ? T
    : T extends readonly unknown[]
      ? { [K in keyof T]: Wire<T[K]> }
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

/** The reply a schema describes, as the browser parses it. */
export type Reply<S extends z.ZodType> = Wire<z.output<S>>;

export type User = Reply<typeof V.UserView>;
export type Polygon = Reply<typeof V.Polygon>;
export type PolygonEvent = Reply<typeof V.PolygonEvent>;
export type PolygonDetail = Reply<typeof V.PolygonDetail>;
export type CaseForm = CaseAction['form'];
export type FormField = CaseForm['fields'][number];
export type Jurisdiction = Reply<typeof V.Jurisdiction>;
export type Imagery = Reply<typeof V.Imagery>;
export type Job = Reply<typeof V.Job>;
export type CaseAction = Reply<typeof V.AvailableAction>;
export type LifecycleTransition = Reply<typeof V.LifecycleTransition>;
export type SearchHit = Reply<typeof V.SearchHit>;
export type PolygonStats = Reply<typeof V.PolygonStats>;
export type TipStatus = Reply<typeof V.TipStatus>;
export type TipReceipt = Reply<typeof V.TipReceipt>;
export type PublicRegion = Reply<typeof V.PublicRegion>;
export type ErrorBody = Reply<typeof V.ErrorBody>;
export type FieldTask = Reply<typeof F.FieldTask>;
export type TaskPackage = Reply<typeof F.TaskPackage>;
export type SubmissionResult = Reply<typeof F.SubmissionResult>;
export type CaseDeadline = Reply<typeof V.Deadline>;
