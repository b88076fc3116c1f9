// The basemap under every map, chosen by KOMIN_BASEMAP: "raster" (an XYZ tile server,
// OpenStreetMap's by default in production), "local" (our vector tiles of an OpenStreetMap
// extract, /tiles/basemap/, for a LAN without Internet) or "none".
import { config, escapeHtml } from "./core.js";
import { vectorGrid } from "./vectorgrid.js";
import { tileTemplate } from "./tiles.js";
import { addBasemapLabels } from "./basemap-labels.js";

function credit() {
  const { attribution, attributionUrl } = config.basemap;
  const text = escapeHtml(attribution);
  return attributionUrl ? `<a href="${escapeHtml(attributionUrl)}" rel="noopener">${text}</a>` : text;
}

// OpenStreetMap's tile usage policy: attribution, a Referer (our Referrer-Policy sends the
// origin), tiles only for what is on screen (no prefetching around it, none while panning).
function rasterBasemap(map) {
  L.tileLayer(config.basemap.url, {
    attribution: credit(),
    maxZoom: 19,
    maxNativeZoom: 19,
    keepBuffer: 1,
    updateWhenIdle: true,
    updateWhenZooming: false,
    referrerPolicy: "strict-origin-when-cross-origin",
  }).addTo(map);
}

const MAJOR = new Set(["motorway", "trunk", "primary", "motorway_link", "trunk_link", "primary_link"]);
const MEDIUM = new Set(["secondary", "secondary_link", "tertiary", "tertiary_link"]);
const HIDDEN = { stroke: false, fill: false, radius: 0 };

function roadStyle(properties, zoom) {
  const major = MAJOR.has(properties.class);
  const medium = MEDIUM.has(properties.class);
  const path = ["footway", "path", "track", "steps", "cycleway"].includes(properties.class);
  const width = (major ? 4 : medium ? 3 : path ? 1 : 2) * (zoom >= 16 ? 1.6 : 1);
  if (path) return { color: "#a8a29e", weight: width, dashArray: "3 3" };
  return [
    { color: "#a8a29e", weight: width + 1.5, lineCap: "round" },
    { color: major ? "#fcd34d" : "#ffffff", weight: width, lineCap: "round" },
  ];
}

export function basemapStyle(properties, zoom) {
  switch (properties.kind) {
    case "road": return roadStyle(properties, zoom);
    case "building": return { weight: 0.5, color: "#b8aea3", fill: true, fillColor: "#ddd6cf", fillOpacity: 1 };
    case "water": return { weight: 1, color: "#7db7e8", fill: true, fillColor: "#aad3f5", fillOpacity: 1 };
    case "landmark": return { radius: 3, weight: 1, color: "#fff", fill: true, fillColor: "#7c3aed", fillOpacity: 0.9 };
    default: return HIDDEN; // named places are found by the search, not drawn
  }
}

async function localBasemap(map) {
  const [grid, url] = await Promise.all([vectorGrid(), tileTemplate("basemap")]);
  const layer = grid.protobuf(url, {
    attribution: credit(),
    maxNativeZoom: 16,
    interactive: false,
    zIndex: 0,
    rendererFactory: L.canvas.tile,
    vectorTileLayerStyles: { basemap: basemapStyle },
  });
  addBasemapLabels(map, layer);
  layer.addTo(map);
  map.getContainer().dataset.basemap = "local";
}

export function addBasemap(map) {
  if (config.basemap.kind === "raster" && config.basemap.url) rasterBasemap(map);
  else if (config.basemap.kind === "local") localBasemap(map);
}
