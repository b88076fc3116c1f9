// Choropleth of an analytics FeatureCollection (reports per 1,000 residents by default),
// with a legend of its classes. Classes are quantiles of the non-zero values.
import { config, escapeHtml, fmt, formatNumber, h, yieldToMain } from "./core.js";

export const PALETTE = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
const ZERO = "#f3f4f6";

export function classBreaks(values, classes = PALETTE.length) {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (!sorted.length) return [];
  const breaks = [];
  for (let i = 1; i <= classes; i += 1) {
    const value = sorted[Math.min(sorted.length - 1, Math.ceil((i / classes) * sorted.length) - 1)];
    if (!breaks.length || value > breaks[breaks.length - 1]) breaks.push(value);
  }
  return breaks;
}

export function colourFor(value, breaks) {
  if (!value || !breaks.length) return ZERO;
  const index = breaks.findIndex((b) => value <= b);
  const palette = PALETTE.slice(PALETTE.length - breaks.length);
  return palette[index === -1 ? palette.length - 1 : index];
}

const areaName = (p) => p[`name_${config.lang}`] || p.name_fr || p.pcode;

export function choroplethLayer(collection, { field = "reports_per_1000", digits = 3, describe, renderer, empty = false } = {}) {
  const values = collection.features.map((f) => Number(f.properties[field]) || 0);
  const breaks = classBreaks(values);
  const layer = L.geoJSON(empty ? null : collection, {
    ...(renderer ? { renderer } : {}),
    style: (f) => ({ color: "#6b7280", weight: 0.6, fillColor: colourFor(Number(f.properties[field]) || 0, breaks), fillOpacity: 0.75 }),
    onEachFeature: (feature, leaflet) => {
      const p = feature.properties;
      // Written when opened: formatting every area's text up front cost as much as drawing.
      leaflet.bindPopup(() => (describe ? describe(p) : `<strong>${escapeHtml(areaName(p))}</strong><br>${escapeHtml(formatNumber(p[field], digits))}`));
    },
  });
  layer.breaks = breaks;
  layer.digits = digits;
  return layer;
}

// Adds a collection's features to a layer already on the map a few at a time, giving the
// main thread back in between: all the communes at once were one task of 0.7–1.3 s on a
// phone. `isCurrent()` false stops it (the filters changed meanwhile).
export async function addInChunks(layer, features, { size = 20, isCurrent = () => true } = {}) {
  for (let start = 0; start < features.length; start += size) {
    await yieldToMain();
    if (!isCurrent()) return false;
    layer.addData(features.slice(start, start + size));
  }
  return true;
}

// The bounds of some features, read from their coordinates (no layer, no projection).
export function featureBounds(features) {
  const bounds = L.latLngBounds([]);
  const walk = (coords) => {
    if (typeof coords[0] === "number") bounds.extend([coords[1], coords[0]]);
    else for (const c of coords) walk(c);
  };
  for (const f of features) if (f.geometry) walk(f.geometry.coordinates);
  return bounds;
}

export function legendControl() {
  const Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd() {
      this.box = h("div", { class: "legend leaflet-control", id: "choropleth-legend" });
      L.DomEvent.disableClickPropagation(this.box);
      return this.box;
    },
    show(title, breaks, digits, zeroLabel = gettext("No reports")) {
      const palette = PALETTE.slice(PALETTE.length - breaks.length);
      const items = [h("li", { dataset: { class: "0" } }, h("i", { class: "box", style: `background:${ZERO}` }), zeroLabel)];
      let low = 0;
      breaks.forEach((b, i) => {
        items.push(h("li", { dataset: { class: String(i + 1) } }, h("i", { class: "box", style: `background:${palette[i]}` }),
          fmt(gettext("%(low)s to %(high)s"), { low: formatNumber(low, digits), high: formatNumber(b, digits) })));
        low = b;
      });
      this.box.replaceChildren(h("strong", {}, title), h("ul", {}, items));
    },
  });
  return new Legend();
}

export { areaName };
