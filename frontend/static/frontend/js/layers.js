// Infrastructure layers (schools, water points, ...) from the layers API: vector tiles
// when the layer has them, GeoJSON of the view otherwise.
import { api, config, escapeHtml } from "./core.js";
import { vectorGrid } from "./vectorgrid.js";
import { tileTemplate } from "./tiles.js";

function popupHtml(layer, properties) {
  const rows = (layer.schema || [])
    .filter((attr) => properties[attr.name] != null && properties[attr.name] !== "")
    .map((attr) => `<dt>${escapeHtml(attr.label || attr.name)}</dt><dd>${escapeHtml(properties[attr.name])}</dd>`)
    .join("");
  const name = properties.name || properties.title || layer.title;
  return `<div class="feature-popup"><strong>${escapeHtml(name)}</strong><dl>${rows}</dl></div>`;
}

function colourOf(layer) {
  return (layer.style && (layer.style.color || layer.style.colour || layer.style.fillColor)) || "#2563eb";
}

async function tileLayer(layer) {
  const [, url] = await Promise.all([vectorGrid(), tileTemplate(layer.slug)]);
  const colour = colourOf(layer);
  // Below the layer's point zoom the tiles hold clusters with a count: bigger dots.
  const style = (properties) => ({
    radius: properties.cluster ? Math.min(14, 4 + Math.sqrt(properties.count || 1) * 1.5) : 5,
    weight: 1, color: "#fff", fill: true, fillColor: colour, fillOpacity: properties.cluster ? 0.7 : 0.9, opacity: 1,
  });
  const grid = L.vectorGrid.protobuf(url, {
    rendererFactory: L.canvas.tile,
    interactive: true,
    maxNativeZoom: 16,
    vectorTileLayerStyles: new Proxy({}, { get: () => style }),
    getFeatureId: (f) => f.properties.id,
  });
  grid.on("click", (e) => {
    if (e.layer.properties && e.layer.properties.cluster) return grid._map.setView(e.latlng, grid._map.getZoom() + 2);
    L.popup().setLatLng(e.latlng).setContent(popupHtml(layer, e.layer.properties || {})).openOn(grid._map);
  });
  return grid;
}

function geojsonLayer(layer, map) {
  const colour = colourOf(layer);
  const group = L.geoJSON(null, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 5, weight: 1, color: "#fff", fillColor: colour, fillOpacity: 0.9 }),
    style: { color: colour, weight: 2 },
    onEachFeature: (feature, leafletLayer) => leafletLayer.bindPopup(popupHtml(layer, feature.properties || {})),
  });
  const refresh = () => {
    if (!map.hasLayer(group)) return;
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
    group.fire("loading");
    api(`/api/v1/layers/${layer.slug}/features/?bbox=${bbox}&limit=1000`)
      .then((data) => { group.clearLayers(); group.addData(data); group.fire("load"); })
      .catch((err) => console.warn(layer.slug, err.message));
  };
  map.on("moveend", refresh);
  group.on("add", refresh);
  return group;
}

// The public layers, each as a Leaflet layer (not yet on the map) with its title.
export async function infrastructureLayers(map) {
  let data;
  try {
    data = await api("/api/v1/layers/");
  } catch (err) {
    console.warn("layers:", err.message);
    return [];
  }
  const list = Array.isArray(data) ? data : data.results || data.layers || [];
  const titles = config.layerTitles || {};
  const result = [];
  for (const layer of list) {
    // An empty group until first switched on: the tile library loads only when wanted.
    const group = L.layerGroup();
    let built = null;
    group.on("add", async () => {
      if (!built) {
        built = layer.links && layer.links.tiles ? await tileLayer(layer) : geojsonLayer(layer, map);
        const flag = "layer_" + layer.slug.replace(/-/g, "_");
        const state = map.getContainer().dataset;
        // Whether the view's features are drawn yet (a tap before then finds none):
        // data-layer_<slug>_tiles is "loading", then "loaded" once every tile (or the
        // GeoJSON of the view) is in.
        built.on("loading", () => { state[flag + "_tiles"] = "loading"; });
        built.on("load", () => { state[flag + "_tiles"] = "loaded"; });
        group.addLayer(built);
        state[flag] = "on";
      }
    });
    result.push({ slug: layer.slug, title: titles[layer.slug] || layer.title, layer: group, attribution: layer.attribution });
  }
  return result;
}
