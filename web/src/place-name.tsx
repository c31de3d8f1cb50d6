import { useEffect, useState } from 'react';
import { api } from './api.ts';

// Names change never within a session: one request per code, shared by every list row.
const cache = new Map<string, Promise<string>>();

/** The name of a jurisdiction by code (村, 镇, 县 …), or the code itself when it cannot be read. */
export function placeName(code: string): Promise<string> {
  let p = cache.get(code);
  if (!p) {
    p = api.get<{ name: string }>(`/api/jurisdictions/${code}`).then(
      (j) => j.name,
      () => code,
    );
    cache.set(code, p);
  }
  return p;
}

/** `placeName` as a hook: empty until known. */
export function usePlaceName(code: string | null | undefined): string {
  const [name, setName] = useState('');
  useEffect(() => {
    if (!code) return setName('');
    let live = true;
    placeName(code).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [code]);
  return name;
}

/** A place name inline, for table cells. */
export function PlaceName({ code }: { code: string }) {
  return <>{usePlaceName(code)}</>;
}
