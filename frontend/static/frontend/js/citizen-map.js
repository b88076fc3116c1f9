// Home page: the reports map for everyone, with layers, place search and "locate me".
import { api, config, debounce, escapeHtml, h } from "./core.js";
import { addLocateControl, bindSearch, createMap } from "./map.js";
import { createReportsLayer, fetchReportsGeoJSON, reportMarker } from "./reports-layer.js";
import { infrastructureLayers } from "./layers.js";

const element = document.getElementById("map");
// A town hall's page opens on its commune and remembers its own view; the national map its own.
const town = config.jurisdiction ? config.jurisdiction.slug : "";
const viewKey = town ? `komin:view:${town}` : "komin:view";
const saved = JSON.parse(sessionStorage.getItem(viewKey) || "null");
const map = createMap(element, saved ? { center: saved.center, zoom: saved.zoom } : {});
const reports = createReportsLayer().addTo(map);
const reportLink = document.getElementById("report-here");
let showClosed = false;
let pending = null;

const refresh = debounce(async () => {
  if (pending) pending.abort();
  pending = new AbortController();
  try {
    const found = await fetchReportsGeoJSON(map.getBounds(), { status: showClosed ? "" : "open", jurisdiction: town, signal: pending.signal });
    reports.clearLayers();
    reports.addLayers ? reports.addLayers(found.map((r) => reportMarker(r))) : found.forEach((r) => reports.addLayer(reportMarker(r)));
    element.dataset.reports = String(found.length);
  } catch (err) {
    if (err.name !== "AbortError") console.warn("reports:", err.message);
  }
}, 200);

function remember() {
  const c = map.getCenter();
  sessionStorage.setItem(viewKey, JSON.stringify({ center: [c.lat, c.lng], zoom: map.getZoom() }));
  reportLink.href = `${town ? `/c/${town}` : ""}/report/?lat=${c.lat.toFixed(5)}&lon=${c.lng.toFixed(5)}&zoom=${map.getZoom()}`;
}

map.on("moveend", () => { refresh(); remember(); });
refresh();
remember();
addLocateControl(map);

// Tap on the map (not on a report): which section, commune and département it is.
map.on("click", async (e) => {
  try {
    const data = await api(`/api/v1/areas/lookup/?lat=${e.latlng.lat.toFixed(6)}&lon=${e.latlng.lng.toFixed(6)}`);
    const rows = (data.areas || []).filter((a) => a.level !== "country").reverse()
      .map((a) => `<dt>${escapeHtml(config.levels[a.level] || a.level)}</dt><dd>${escapeHtml(a.name)}</dd>`).join("");
    const link = `<a href="/report/?at=1&lat=${e.latlng.lat.toFixed(6)}&lon=${e.latlng.lng.toFixed(6)}&zoom=${Math.max(map.getZoom(), 15)}">${escapeHtml(gettext("Report a problem here"))}</a>`;
    L.popup().setLatLng(e.latlng).setContent(`<dl class="answers">${rows}</dl>${link}`).openOn(map);
  } catch (err) {
    console.warn("lookup:", err.message);
  }
});
bindSearch(map, document.getElementById("search"));


const overlays = { [escapeHtml(gettext("Boundaries"))]: map.boundaries, [escapeHtml(gettext("Reports"))]: reports };
const control = L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);
const toggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
toggle.title = gettext("Layers");
toggle.setAttribute("aria-label", gettext("Layers"));
infrastructureLayers(map).then((layers) => {
  for (const item of layers) control.addOverlay(item.layer, escapeHtml(item.title));
  element.dataset.layers = layers.map((l) => l.slug).join(",");
});

// Legend: what the colours mean, and whether fixed and closed reports show too.
const Legend = L.Control.extend({
  options: { position: "topright" },
  onAdd() {
    const toggle = h("input", { type: "checkbox", id: "show-closed" });
    toggle.addEventListener("change", () => { showClosed = toggle.checked; refresh(); });
    const items = config.statuses
      .filter((s) => s.group === "open" || s.fixed)
      .map((s) => h("li", {}, h("i", { style: `background:${s.colour}` }), s.label));
    const box = h("details", { class: "legend leaflet-control", open: window.innerWidth > 700 },
      h("summary", {}, gettext("Legend")),
      h("ul", {}, items),
      h("label", {}, toggle, " ", gettext("Show fixed and closed reports")));
    L.DomEvent.disableClickPropagation(box);
    return box;
  },
});
new Legend().addTo(map);
