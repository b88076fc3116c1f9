// Boundary changes: the diff of two boundary generations on a map, from the diff GeoJSON
// endpoint, coloured by kind of change with a legend, and listed in a table.
import { api, config, errorText, formatNumber, h } from "./core.js";
import { createMap } from "./map.js";

// One colour per kind; an area changed in several ways takes the first that applies.
export const KINDS = [
  ["appeared", "#16a34a"],
  ["disappeared", "#dc2626"],
  ["reshaped", "#f97316"],
  ["renamed", "#2563eb"],
  ["parent_changed", "#7c3aed"],
];
const COLOURS = Object.fromEntries(KINDS);

// Every way an area changed (a renamed area may also have changed shape), strongest first.
export function kindsOf(p) {
  if (p.change === "appeared" || p.change === "disappeared") return [p.change];
  const kinds = KINDS.map(([kind]) => kind).filter((kind) => p[kind]);
  return kinds.length ? kinds : ["reshaped"];
}
const kindOf = (p) => kindsOf(p)[0];

const form = document.getElementById("changes-form");
const map = createMap(document.getElementById("map"), { boundaries: false });
const labels = config.changeLabels;
const Legend = L.Control.extend({
  options: { position: "bottomright" },
  onAdd() {
    const items = KINDS.map(([kind, colour]) => h("li", { dataset: { kind } }, h("i", { class: "box", style: `background:${colour}` }), labels[kind]));
    const box = h("div", { class: "legend leaflet-control", id: "changes-legend" }, h("strong", {}, labels.title), h("ul", {}, items));
    L.DomEvent.disableClickPropagation(box);
    return box;
  },
});
new Legend().addTo(map);
let drawn = null;

function describe(p) {
  const names = p.old_name_fr && p.new_name_fr && p.old_name_fr !== p.new_name_fr ? `${p.old_name_fr} → ${p.new_name_fr}` : (p.new_name_fr || p.old_name_fr);
  const change = p.area_change_km2 == null ? "" : ` · ${formatNumber(p.area_change_km2, 2)} km² (${formatNumber(p.area_change_percent, 1)} %)`;
  return `${p.pcode} · ${names} · ${kindsOf(p).map((k) => labels[k]).join(", ")}${change}`;
}

async function load() {
  const from = form.elements.from.value;
  const to = form.elements.to.value;
  const level = form.elements.level.value;
  const summary = document.getElementById("changes-summary");
  if (!from || !to) {  // no boundaries loaded yet
    summary.textContent = "–";
    document.getElementById("map").dataset.changes = "0";
    return;
  }
  try {
    const data = await api(`/api/v1/areas/generations/${from}/diff/${to}/geojson/` + (level ? `?level=${level}` : ""));
    if (drawn) drawn.remove();
    drawn = L.geoJSON(data, {
      style: (f) => ({ color: COLOURS[kindOf(f.properties)], weight: 2, fillOpacity: 0.35, dashArray: f.properties.change === "disappeared" ? "4 4" : null }),
      onEachFeature: (f, layer) => layer.bindTooltip(describe(f.properties)),
    }).addTo(map);
    const counts = KINDS.map(([kind]) => `${labels[kind]}: ${data.summary[kind] || 0}`);
    summary.textContent = counts.join(" · ");
    document.getElementById("map").dataset.changes = String(data.features.length);
    document.querySelector("#changes tbody").replaceChildren(
      ...data.features.map((f) => f.properties).map((p) => h("tr", { dataset: { kind: kindOf(p) } },
        h("td", {}, p.pcode), h("td", {}, kindsOf(p).map((k) => labels[k]).join(", ")), h("td", {}, p.old_name_fr || "–"), h("td", {}, p.new_name_fr || "–"),
        h("td", { class: "num" }, p.area_change_km2 == null ? "–" : formatNumber(p.area_change_km2, 2)),
        h("td", { class: "num" }, p.area_change_percent == null ? "–" : formatNumber(p.area_change_percent, 1)))),
    );
    map.invalidateSize();  // the form above the map filled in after the map was made
    if (data.features.length) map.fitBounds(drawn.getBounds(), { maxZoom: 13 });
  } catch (err) {
    summary.textContent = errorText(err);
  }
}

api("/api/v1/areas/generations/").then(({ generations }) => {
  for (const select of [form.elements.from, form.elements.to]) {
    select.replaceChildren(...generations.map((g) => h("option", { value: g.id }, `${g.id} · ${g.name}`)));
  }
  // The newest change by default: the previous generation against the current one.
  const ids = generations.map((g) => String(g.id));
  if (ids.length) form.elements.from.value = ids[Math.max(0, ids.length - 2)];
  if (ids.length) form.elements.to.value = ids[ids.length - 1];
  const asked = new URLSearchParams(location.search);
  if (asked.get("from")) form.elements.from.value = asked.get("from");
  if (asked.get("to")) form.elements.to.value = asked.get("to");
  if (asked.get("level")) form.elements.level.value = asked.get("level");
  load();
});
form.addEventListener("change", load);
