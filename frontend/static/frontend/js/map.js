// The base map of every page: optional basemap, our own boundaries, credits, locate me.
import { api, config, debounce, fmt, h, escapeHtml } from "./core.js";

const LEVEL_BY_ZOOM = [
  [8, "departement"],
  [10, "commune"],
  [99, "section"],
];
export const levelForZoom = (zoom) => LEVEL_BY_ZOOM.find(([max]) => zoom <= max)[1];

export function createMap(element, { center = config.center, zoom = config.zoom, boundaries = true } = {}) {
  const map = L.map(element, { minZoom: 6, maxZoom: 19, zoomControl: true, tap: true }).setView(center, zoom);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="Leaflet">Leaflet</a>');
  for (const credit of config.credits) map.attributionControl.addAttribution(escapeHtml(credit));
  if (config.basemap.url) {
    L.tileLayer(config.basemap.url, { attribution: escapeHtml(config.basemap.attribution), maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add("no-basemap");
  }
  map.boundaries = boundaryLayer(map);
  if (boundaries) map.boundaries.addTo(map);
  return map;
}

// Boundaries at the level that suits the zoom, simplified by the server for that zoom and
// cut to the view: a few kilobytes per move even on a slow connection.
export function boundaryLayer(map) {
  const layer = L.geoJSON(null, {
    style: { color: "#14532d", weight: 1.2, fillColor: "#22c55e", fillOpacity: 0.04 },
    interactive: false,
  });
  let pending = null;
  const refresh = debounce(() => {
    if (!map.hasLayer(layer)) return;
    const zoom = Math.round(map.getZoom());
    const b = map.getBounds();
    const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v)).toFixed(4);
    const bbox = [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)];
    const level = levelForZoom(zoom);
    if (pending) pending.abort();
    pending = new AbortController();
    api(`/api/v1/areas/?level=${level}&zoom=${zoom}&bbox=${bbox.join(",")}`, { signal: pending.signal })
      .then((data) => {
        layer.clearLayers();
        layer.addData(data);
        map.getContainer().dataset.boundaryLevel = level;
      })
      .catch((err) => {
        if (err.name !== "AbortError") console.warn("boundaries:", err.message);
      });
  }, 150);
  map.on("moveend", refresh);
  layer.on("add", refresh);
  return layer;
}

// "Locate me": one position fix (no tracking); calls back with the position.
export function addLocateControl(map, onFound) {
  const Control = L.Control.extend({
    options: { position: "topleft" },
    onAdd() {
      const button = h("button", { type: "button", class: "locate", title: gettext("Show my location"), "aria-label": gettext("Show my location") }, "◎");
      L.DomEvent.disableClickPropagation(button);
      button.addEventListener("click", () => locate(map, onFound));
      return h("div", { class: "leaflet-bar" }, button);
    },
  });
  return new Control().addTo(map);
}

let locationMarker = null;
export function locate(map, onFound) {
  if (!navigator.geolocation) {
    alert(gettext("This device cannot give its location."));
    return;
  }
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
      if (locationMarker) locationMarker.remove();
      locationMarker = L.circle(latlng, { radius: Math.max(position.coords.accuracy, 10), color: "#2563eb", weight: 1 }).addTo(map);
      map.setView(latlng, Math.max(map.getZoom(), 16));
      if (onFound) onFound(latlng, position.coords.accuracy);
    },
    () => alert(gettext("Your location is not available. Tap the map instead.")),
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

// Place search over our areas and the gazetteer (/search/), with keyboard support.
export function bindSearch(map, form) {
  const input = form.querySelector("input");
  const list = form.querySelector("ul");
  let results = [];
  let pending = null;
  const show = (items) => {
    results = items;
    list.replaceChildren(
      ...items.map((item, index) =>
        h(
          "li",
          {},
          h(
            "button",
            { type: "button", dataset: { index } },
            h("strong", {}, item.name),
            " ",
            h("span", { class: "muted" }, [config.levels[item.level] || "", item.context].filter(Boolean).join(" · ")),
          ),
        ),
      ),
    );
    if (!items.length && input.value.trim().length >= 2) list.append(h("li", { class: "muted empty" }, gettext("No place found.")));
    list.hidden = !list.children.length;
  };
  const go = (item) => {
    if (item.bbox) map.fitBounds([[item.bbox[1], item.bbox[0]], [item.bbox[3], item.bbox[2]]]);
    else map.setView([item.lat, item.lon], 14);
    list.hidden = true;
    input.value = item.name;
    map.fire("komin:place", { place: item });
  };
  input.addEventListener(
    "input",
    debounce(() => {
      const q = input.value.trim();
      if (q.length < 2) return show([]);
      if (pending) pending.abort();
      pending = new AbortController();
      api(`/search/?q=${encodeURIComponent(q)}&lang=${config.lang}`, { signal: pending.signal })
        .then((data) => show(data.results))
        .catch((err) => err.name !== "AbortError" && console.warn("search:", err.message));
    }, 250),
  );
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-index]");
    if (button) go(results[Number(button.dataset.index)]);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (results.length) go(results[0]);
  });
}

export function fitPoints(map, latlngs, maxZoom = 15) {
  if (latlngs.length) map.fitBounds(L.latLngBounds(latlngs).pad(0.2), { maxZoom });
}

export const coordinatesText = (latlng) => fmt(gettext("%(lat)s, %(lon)s"), { lat: latlng.lat.toFixed(5), lon: latlng.lng.toFixed(5) });
