// Street and landmark names on the local basemap at street zooms (z ≥ 15): read from the
// basemap's own vector tiles as they load and drawn as text in a pane above the tiles.
// Collisions are kept simple: one label per name per tile, at the middle of the name's
// longest segment inside the tile. The pane is hidden from screen readers (a street list
// read out with every pan is noise; the place search finds streets by name).
import { h } from "./core.js";

export const LABEL_MIN_ZOOM = 15;
const KINDS = new Set(["road", "landmark"]);

// The middle of the longest segment (a point: itself) lying inside the tile, in the
// tile's own units; null when none is inside (the neighbouring tile labels it).
function anchorOf(feature, extent) {
  const inside = (p) => p.x >= 0 && p.y >= 0 && p.x <= extent && p.y <= extent;
  let best = null;
  let longest = -1;
  for (const part of feature.geometry) {
    if (feature.type === 1) return inside(part[0]) ? part[0] : null;
    for (let i = 1; i < part.length; i += 1) {
      const a = part[i - 1];
      const b = part[i];
      const middle = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      const length = (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
      if (length > longest && inside(middle)) [best, longest] = [middle, length];
    }
  }
  return best;
}

// One label per name per tile: the one on its longest segment.
function labelsOf(vectorTile) {
  const chosen = new Map();
  for (const layer of Object.values(vectorTile.layers || {})) {
    for (const feature of layer.features || []) {
      const { kind, name } = feature.properties || {};
      if (!name || !KINDS.has(kind) || chosen.has(name)) continue;
      const anchor = anchorOf(feature, layer.extent);
      if (anchor) chosen.set(name, { kind, name, x: anchor.x / layer.extent, y: anchor.y / layer.extent });
    }
  }
  return [...chosen.values()];
}

export function addBasemapLabels(map, grid) {
  const pane = map.createPane("komin-labels");
  pane.setAttribute("aria-hidden", "true");
  const byTile = new Map();
  const size = grid.getTileSize();
  const drop = (key) => {
    for (const marker of byTile.get(key) || []) marker.remove();
    byTile.delete(key);
  };
  const place = (coords, vectorTile) => {
    const key = grid._tileCoordsToKey(coords);
    if (coords.z < LABEL_MIN_ZOOM || !grid._tiles[key] || !grid._map) return;
    drop(key);
    byTile.set(key, labelsOf(vectorTile).map((label) => {
      const point = L.point((coords.x + label.x) * size.x, (coords.y + label.y) * size.y);
      const icon = L.divIcon({
        className: `basemap-label basemap-label-${label.kind}`,
        html: h("span", {}, label.name),
        iconSize: null,
      });
      return L.marker(map.unproject(point, coords.z), { icon, pane: "komin-labels", interactive: false, keyboard: false }).addTo(map);
    }));
  };
  // VectorGrid parses each tile once, for drawing; the labels read the same parsed tile.
  const load = grid._getVectorTilePromise;
  grid._getVectorTilePromise = function (coords, ...rest) {
    return load.call(this, coords, ...rest).then((vectorTile) => {
      place(coords, vectorTile);
      return vectorTile;
    });
  };
  grid.on("tileunload", (e) => drop(grid._tileCoordsToKey(e.coords)));
  const show = () => pane.classList.toggle("labels-hidden", map.getZoom() < LABEL_MIN_ZOOM);
  map.on("zoomend", show);
  show();
}
