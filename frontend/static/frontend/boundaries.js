// Boundaries by zoom (département → commune → section) and click-to-identify.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const map = L.map(el, { minZoom: 6, maxZoom: 18 }).setView([19.0, -72.7], 8);
  map.attributionControl.addAttribution(el.dataset.credits);
  if (el.dataset.basemapUrl) {
    L.tileLayer(el.dataset.basemapUrl, { attribution: el.dataset.basemapAttribution, maxZoom: 19 }).addTo(map);
  }

  function levelFor(zoom) {
    if (zoom <= 8) return "departement";
    if (zoom <= 10) return "commune";
    return "section";
  }

  const style = { color: "#14532d", weight: 1.5, fillColor: "#22c55e", fillOpacity: 0.08 };
  const layer = L.geoJSON(null, { style: style }).addTo(map);
  let pending = null;

  function refresh() {
    const zoom = map.getZoom();
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map(function (v, i) { return Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, v)).toFixed(4); })
      .join(",");
    const url = "/api/v1/areas/?level=" + levelFor(zoom) + "&zoom=" + zoom + "&bbox=" + bbox;
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(url, { signal: pending.signal })
      .then(function (r) { return r.json(); })
      .then(function (data) { layer.clearLayers(); layer.addData(data); el.dataset.loadedLevel = levelFor(zoom); })
      .catch(function (err) { if (err.name !== "AbortError") console.warn(err); });
  }

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  map.on("click", function (e) {
    const url = "/api/v1/areas/lookup/?lat=" + e.latlng.lat.toFixed(6) + "&lon=" + e.latlng.lng.toFixed(6);
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      const html = data.areas
        ? "<dl class='area-popup'>" + data.areas.map(function (a) {
            return "<dt>" + escapeHtml(a.level) + "</dt><dd>" + escapeHtml(a.name) + " (" + escapeHtml(a.pcode) + ")</dd>";
          }).join("") + "</dl>"
        : escapeHtml(data.detail);
      L.popup().setLatLng(e.latlng).setContent(html).openOn(map);
    });
  });

  map.on("moveend", refresh);
  refresh();
})();
