import { useEffect, useState } from 'react';

/** The current path and query, kept in step with the History API (the server falls back to index.html). */
export interface Route {
  path: string;
  query: URLSearchParams;
}

const current = (): Route => ({
  path: location.pathname,
  query: new URLSearchParams(location.search),
});

/** Goes to `to` (path with optional query) without reloading. */
export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event('gengbao:navigate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const on = () => setRoute(current());
    window.addEventListener('popstate', on);
    window.addEventListener('gengbao:navigate', on);
    return () => {
      window.removeEventListener('popstate', on);
      window.removeEventListener('gengbao:navigate', on);
    };
  }, []);
  return route;
}

/** Props for an <a> that navigates in-app on a plain click and still opens in a new tab otherwise. */
export function linkTo(to: string) {
  return {
    href: to,
    onClick: (e: {
      button: number;
      metaKey: boolean;
      ctrlKey: boolean;
      shiftKey: boolean;
      preventDefault(): void;
    }) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
      navigate(to);
    },
  };
}
