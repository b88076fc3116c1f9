// The base map of every page: optional basemap, our own boundaries, credits, locate me.
import { api, config, debounce, fmt, h, escapeHtml } from "./core.js";
import { addBasemap } from "./basemap.js";
import { vectorGrid } from "./vectorgrid.js";
import { tileTemplate } from "./tiles.js";

export function createMap(element, { center = config.center, zoom = config.zoom, boundaries = true } = {}) {
  // A page may paint the credits itself (the home page: there, written by this script, they
  // were the largest text on a phone and came last); else Leaflet's control holds them.
  const painted = element.id && document.querySelector(`.map-credits[data-for="${element.id}"]`);
  const map = L.map(element, { minZoom: 6, maxZoom: 19, zoomControl: false, attributionControl: !painted }).setView(center, zoom);
  L.control.zoom({ zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
  if (!painted) {
    map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="Leaflet">Leaflet</a>');
    for (const credit of config.credits) map.attributionControl.addAttribution(escapeHtml(credit));
  }
  element.classList.add(`basemap-${config.basemap.kind}`);
  addBasemap(map);
  map.boundaries = boundaryLayer(map);
  if (boundaries) map.boundaries.addTo(map);
  return map;
}

// Boundaries as vector tiles built by PostGIS (/tiles/areas-<level>/...): départements when
// zoomed out, then communes, then sections. The tile library loads with the first map.
const BOUNDARY_LEVELS = [
  ["departement", 0, 8],
  ["commune", 9, 10],
  ["section", 11, 22],
];


export function boundaryLayer(map) {
  const group = L.layerGroup();
  const style = { weight: 1.2, color: "#14532d", opacity: 0.9, fill: true, fillColor: "#22c55e", fillOpacity: 0.04 };
  let built = false;
  group.on("add", async () => {
    if (built) return;
    built = true;
    const [grid, ...urls] = await Promise.all([
      vectorGrid(),
      ...BOUNDARY_LEVELS.map(([level]) => tileTemplate(`areas-${level}`)),
    ]);
    for (const [index, [, minZoom, maxZoom]] of BOUNDARY_LEVELS.entries()) {
      group.addLayer(grid.protobuf(urls[index], {
        minZoom, maxZoom, maxNativeZoom: 16, interactive: false, rendererFactory: L.canvas.tile,
        vectorTileLayerStyles: { areas: style },
      }));
    }
  });
  const mark = () => {
    const zoom = Math.round(map.getZoom());
    map.getContainer().dataset.boundaryLevel = BOUNDARY_LEVELS.find(([, lo, hi]) => zoom >= lo && zoom <= hi)[0];
  };
  map.on("zoomend", mark);
  mark();
  return group;
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

// Place search (/search/): areas, streets, neighbourhoods, landmarks, named features and
// the gazetteer, nearest to the map's centre first; with keyboard support. `form` is a
// <form> or (inside another form) any element holding the input and the result list.
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
    else map.setView([item.lat, item.lon], item.kind === "place" ? 14 : 17);
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
      const c = map.getCenter();
      const near = `${c.lng.toFixed(5)},${c.lat.toFixed(5)}`;
      api(`/search/?q=${encodeURIComponent(q)}&lang=${config.lang}&near=${near}`, { signal: pending.signal })
        .then((data) => show(data.results))
        .catch((err) => err.name !== "AbortError" && console.warn("search:", err.message));
    }, 250),
  );
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-index]");
    if (button) go(results[Number(button.dataset.index)]);
  });
  const submit = (event) => {
    event.preventDefault();
    if (results.length) go(results[0]);
  };
  if (form.tagName === "FORM") form.addEventListener("submit", submit);
  else input.addEventListener("keydown", (event) => event.key === "Enter" && submit(event));
}

export function fitPoints(map, latlngs, maxZoom = 15) {
  if (latlngs.length) map.fitBounds(L.latLngBounds(latlngs).pad(0.2), { maxZoom });
}

export const coordinatesText = (latlng) => fmt(gettext("%(lat)s, %(lon)s"), { lat: latlng.lat.toFixed(5), lon: latlng.lng.toFixed(5) });
