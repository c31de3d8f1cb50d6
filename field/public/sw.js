/* global self, caches, fetch, Response */
/*
 * Service worker of the field app. The app shell is precached at install; task packages and
 * the task list are cached as they are fetched. Everything is network-first: online, the phone
 * always gets the newest app and data; offline (no signal in the fields) it gets the cached
 * copy. POSTs are never touched: submissions wait in the app's IndexedDB queue instead.
 */
const SHELL = 'gengbao-field-shell-v1';
const DATA = 'gengbao-field-data-v1';
const ASSETS = [
  '/field/',
  '/field/app.js',
  '/field/index.css',
  '/field/manifest.webmanifest',
  '/field/icon.svg',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((c) => Promise.all(ASSETS.map((a) => c.add(a).catch(() => undefined))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

const cachedApi = (path) =>
  path === '/api/me' || path === '/api/field/tasks' || path.startsWith('/api/field/package/');

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  const isShell = url.pathname === '/field' || url.pathname.startsWith('/field/');
  if (!isShell && !cachedApi(url.pathname)) return;
  const bucket = isShell ? SHELL : DATA;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(bucket).then((c) => c.put(req.mode === 'navigate' ? '/field/' : req, copy));
        }
        return res;
      })
      .catch(async () => {
        const hit =
          (await caches.match(req, { ignoreSearch: true })) ??
          (req.mode === 'navigate' ? await caches.match('/field/') : undefined);
        return (
          hit ??
          new Response(
            JSON.stringify({
              error: { code: 'offline', message: '离线，无缓存 offline, nothing cached' },
            }),
            { status: 503, headers: { 'content-type': 'application/json' } },
          )
        );
      }),
  );
});
