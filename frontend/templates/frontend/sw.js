// Komin's service worker (rendered by frontend/pwa.py): Workbox from our own static files.
importScripts("{{ workbox }}");
importScripts("{{ outbox }}");
workbox.setConfig({
  debug: false,
  // Each Workbox module from its own npm package, served like the rest of our static files.
  modulePathCb: (name, debug) => `{{ vendor }}${name}/build/${name}.${debug ? "dev" : "prod"}.js`,
});
const { precacheAndRoute } = workbox.precaching;
const { registerRoute, setCatchHandler } = workbox.routing;
const { NetworkFirst, StaleWhileRevalidate } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;

const PAGES = "komin-pages";
const TILES = "komin-tiles";
const API = "komin-api";
const SHELL_PAGES = {{ pages|safe }};
// Our answers vary on Cookie and Accept-Language: offline, the copy this phone kept is
// the one to show, whatever the headers of the request that stored it.
const IGNORE_VARY = { ignoreVary: true };

// The translations vary on Cookie and Accept-Language; the precache matches exactly, so it
// keeps them without that header (each language has its own URL anyway).
function withoutVary(response) {
  if (!response || !response.headers.has("Vary")) return response;
  const headers = new Headers(response.headers);
  headers.delete("Vary");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
workbox.precaching.addPlugins([{ cacheWillUpdate: async ({ response }) => withoutVary(response) }]);

// The app shell: scripts, styles, Leaflet and the translations, each with its revision.
precacheAndRoute({{ precache|safe }});

self.addEventListener("install", (event) => {
  // The pages a phone needs first, kept at once (they refresh at each online visit).
  event.waitUntil(caches.open(PAGES).then((cache) => cache.addAll(SHELL_PAGES)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// Pages: the network first (a page holds the user's session and language), the copy kept
// from the last visit when offline, else the offline page.
registerRoute(({ request }) => request.mode === "navigate", new NetworkFirst({ cacheName: PAGES, networkTimeoutSeconds: 6, matchOptions: IGNORE_VARY }));
registerRoute(({ url }) => url.pathname.startsWith("/static/"), new StaleWhileRevalidate({ cacheName: "komin-static" }));
// A TileJSON names the tiles of the data's current version (`?v=`): asked of the network
// first, so that a changed layer is drawn from its new tiles at once; the kept copy offline.
registerRoute(
  ({ url }) => url.pathname.startsWith("/tiles/") && url.pathname.endsWith(".json"),
  new NetworkFirst({ cacheName: TILES, networkTimeoutSeconds: 4 }),
);
registerRoute(
  ({ url }) => url.pathname.startsWith("/tiles/"),
  new StaleWhileRevalidate({ cacheName: TILES, plugins: [new ExpirationPlugin({ maxEntries: 4000 })] }),
);
registerRoute(
  // Not the live event stream (/api/v1/events/): it never ends, so it is never cached.
  ({ url, request }) => request.method === "GET" && url.pathname !== "/api/v1/events/" && (url.pathname.startsWith("/api/") || url.pathname === "/search/"),
  new NetworkFirst({ cacheName: API, networkTimeoutSeconds: 8, matchOptions: IGNORE_VARY, plugins: [new ExpirationPlugin({ maxEntries: 1000 })] }),
);
setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    const cache = await caches.open(PAGES);
    return (
      (await cache.match(request, { ignoreSearch: true, ignoreVary: true })) ||
      (await cache.match("/offline/", IGNORE_VARY)) ||
      Response.error()
    );
  }
  return Response.error();
});

// The page asks to keep URLs for offline use (a commune's boundary tiles, a crew's tickets).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep") return;
  const cacheName = { tiles: TILES, pages: PAGES, api: API }[data.cache] || API;
  event.waitUntil(
    caches.open(cacheName).then(async (cache) => {
      let kept = 0;
      for (const url of data.urls || []) {
        try {
          const response = await fetch(url, { credentials: "same-origin" });
          if (response.ok || response.status === 204) {
            await cache.put(url, response);
            kept += 1;
          }
        } catch {
          break; // offline: keep what was kept
        }
      }
      if (event.source) event.source.postMessage({ type: "kept", cache: data.cache, kept, total: (data.urls || []).length });
    }),
  );
});

// Background Sync: the outbox is sent when the network returns, even with the page closed.
self.addEventListener("sync", (event) => {
  if (event.tag === kominOutbox.SYNC_TAG) event.waitUntil(kominOutbox.flush());
});
