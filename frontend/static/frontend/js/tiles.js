// Vector tile URL templates from each source's TileJSON (/tiles/<source>.json). Its template
// carries the data's version (`?v=`): a changed layer gets new tile URLs, so no cache (the
// browser's, the service worker's, a CDN's) can serve a stale tile, and the server lets
// caches keep tiles of the current version for a day.
const templates = new Map();

// Same origin, whatever host the server built the absolute URL with (Content-Security-
// Policy, service worker routes); the {z}/{x}/{y} braces kept as they are.
function onThisOrigin(url) {
  const at = url.indexOf("/tiles/");
  return at >= 0 ? url.slice(at) : url;
}

// Without its TileJSON (offline and never fetched) the plain URL: the server answers it too.
export function tileTemplate(source) {
  if (!templates.has(source)) {
    const plain = `/tiles/${source}/{z}/{x}/{y}.pbf`;
    templates.set(
      source,
      fetch(`/tiles/${source}.json`, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .then((tilejson) => (tilejson && tilejson.tiles && tilejson.tiles.length ? onThisOrigin(tilejson.tiles[0]) : plain))
        .catch(() => plain),
    );
  }
  return templates.get(source);
}
