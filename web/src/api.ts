/** The Gengbao HTTP API as the app uses it: same origin, session cookie, JSON errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The input field the server blames, when one is (forms show the message beside it). */
    readonly field?: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = data?.error ?? {};
    if (res.status === 401 && !path.startsWith('/api/auth'))
      window.dispatchEvent(new Event('gengbao:unauthenticated'));
    throw new ApiError(
      res.status,
      e.code ?? 'http_' + res.status,
      e.message ?? res.statusText,
      e.field,
    );
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
  /** Every item of a keyset-paged list: follows `nextCursor` page by page (the server caps each page). */
  async getAll<T>(path: string): Promise<T[]> {
    const all: T[] = [];
    for (let cursor: string | null = null; ;) {
      const sep = path.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor?: string | null } = await request(
        'GET',
        cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path,
      );
      all.push(...page.items);
      cursor = page.nextCursor ?? null;
      if (!cursor) return all;
    }
  },
};

/** Query string from the defined, non-empty entries. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Reply types from the server's own schemas (src/contract), not copied here. */
import type { Polygon as PolygonReply } from '../../src/contract/types.ts';
export type {
  CaseAction,
  Imagery,
  Jurisdiction,
  LifecycleTransition,
  PolygonEvent,
  User,
} from '../../src/contract/types.ts';

export type BBox = [number, number, number, number];

/** A 图斑 as the lists and its page receive it; in the overdue queue with the missed deadline and when it fell due. */
export type Polygon = PolygonReply & { deadline?: string; dueAt?: string };
