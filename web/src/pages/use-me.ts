import { useEffect, useState } from 'react';
import { api, type User } from '../api.ts';

/** The logged-in user, for pages that show a form only to the roles the server lets use it. */
export function useMe(): User | null {
  const [me, setMe] = useState<User | null>(null);
  useEffect(() => {
    api.get<{ user: User }>('/api/me').then(
      (r) => setMe(r.user),
      () => setMe(null),
    );
  }, []);
  return me;
}

/** Names of the counties in the caller's scope, by code. */
export function useCountyNames(): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    api.getAll<{ code: string; name: string }>('/api/jurisdictions?level=county&limit=1000').then(
      (items) => setNames(Object.fromEntries(items.map((j) => [j.code, j.name]))),
      () => setNames({}),
    );
  }, []);
  return names;
}
