/** The Gengbao HTTP API as the app uses it: same origin, session cookie, JSON errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
    throw new ApiError(res.status, e.code ?? 'http_' + res.status, e.message ?? res.statusText);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
};

/** Query string from the defined, non-empty entries. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: string;
  jurisdictionCode: string;
  jurisdictionLevel: string;
  jurisdictionName: string;
}

export type BBox = [number, number, number, number];

export interface Polygon {
  id: number;
  code: string;
  source: string;
  period: string;
  jurisdictionCode: string;
  bbox: BBox;
  areaM2: number;
  areaMu: number;
  status: string;
  version: number;
  properties: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  geometry?: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  /** In the overdue queue: the missed deadline and when it fell due. */
  deadline?: string;
  dueAt?: string;
}

export interface PolygonEvent {
  seq: number;
  at: string;
  actorId: number | null;
  type: string;
  payload: Record<string, unknown>;
  [k: string]: unknown;
}

export interface Jurisdiction {
  code: string;
  level: string;
  parentCode: string | null;
  name: string;
  bbox: BBox | null;
}

export interface Imagery {
  id: number;
  name: string;
  acquiredOn: string | null;
  jurisdictionCode: string;
  bbox: BBox | null;
  role: string | null;
  tiles: string;
}

/** One action the state machine offers this user now (GET /api/polygons/:id/actions). */
export interface CaseAction {
  action: string;
  label?: string;
  /** The status it leads to. */
  to?: string;
  /** JSON Schema of the action's input. */
  input?: unknown;
}
