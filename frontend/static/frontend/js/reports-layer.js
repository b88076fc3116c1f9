// Reports on a map: points coloured by status, clustered at low zoom.
import { api, formatDate, h, statusBadge, statusColour, statusInfo } from "./core.js";

export function reportMarker(report, { href } = {}) {
  const colour = statusColour(report.status);
  const marker = L.circleMarker([report.location.lat, report.location.lon], {
    radius: 8,
    color: "#fff",
    weight: 2,
    fillColor: colour,
    fillOpacity: 0.95,
  });
  marker.report = report;
  const link = href ? href(report) : `/r/${encodeURIComponent(report.reference)}/`;
  // DOM nodes, not HTML text: no style attribute for the Content-Security-Policy to refuse.
  marker.bindPopup(() =>
    h("div", { class: "report-popup" },
      h("strong", {}, report.category.name), h("br"),
      statusBadge(report.status), " ",
      h("span", { class: "muted" }, formatDate(report.created_at, false)), h("br"),
      report.description ? [h("span", {}, report.description.slice(0, 140)), h("br")] : null,
      h("a", { href: link }, `${report.reference} →`)),
  );
  return marker;
}

function clusterIcon(cluster) {
  const markers = cluster.getAllChildMarkers();
  const open = markers.filter((m) => statusInfo(m.report.status).group === "open").length;
  const share = Math.round((open / markers.length) * 100);
  const html = h("span", { style: `--open:${share}%` }, String(markers.length));
  return L.divIcon({ html, className: "report-cluster", iconSize: L.point(38, 38) });
}

export function createReportsLayer() {
  if (L.markerClusterGroup) {
    return L.markerClusterGroup({ iconCreateFunction: clusterIcon, showCoverageOnHover: false, maxClusterRadius: 50, disableClusteringAtZoom: 17 });
  }
  return L.featureGroup();
}

// The public reports of the view as GeoJSON (one request, built in PostGIS), shaped like
// the reports API's objects; category names come from the categories list.
let categoryNames = null;
export async function fetchReportsGeoJSON(bounds, { status = "", jurisdiction = "", signal } = {}) {
  if (!categoryNames) {
    const list = await api("/api/v1/categories/", { signal });
    categoryNames = Object.fromEntries(list.map((c) => [c.code, c.name]));
  }
  const params = new URLSearchParams({ bbox: bboxOf(bounds), limit: 5000 });
  if (status) params.set("status", status);
  if (jurisdiction) params.set("jurisdiction", jurisdiction);
  const data = await api(`/api/v1/reports/geojson/?${params}`, { signal });
  return data.features.map((f) => ({
    ...f.properties,
    category: { code: f.properties.category, name: categoryNames[f.properties.category] || f.properties.category },
    location: { lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] },
  }));
}

function bboxOf(bounds) {
  return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
    .map((v, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, v)).toFixed(5))
    .join(",");
}
