// Reports on a map: points coloured by status, clustered at low zoom.
import { api, config, escapeHtml, formatDate, statusColour, statusInfo } from "./core.js";

const MAX_PAGES = 5;
const PAGE_SIZE = 200;

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
  marker.bindPopup(
    `<div class="report-popup"><strong>${escapeHtml(report.category.name)}</strong><br>` +
      `<span class="status" style="--c:${colour}">${escapeHtml(statusInfo(report.status).label)}</span> ` +
      `<span class="muted">${escapeHtml(formatDate(report.created_at, false))}</span><br>` +
      (report.description ? `<span>${escapeHtml(report.description.slice(0, 140))}</span><br>` : "") +
      `<a href="${link}">${escapeHtml(report.reference)} →</a></div>`,
  );
  return marker;
}

function clusterIcon(cluster) {
  const markers = cluster.getAllChildMarkers();
  const open = markers.filter((m) => statusInfo(m.report.status).group === "open").length;
  const share = Math.round((open / markers.length) * 100);
  const html = `<span style="--open:${share}%">${markers.length}</span>`;
  return L.divIcon({ html, className: "report-cluster", iconSize: L.point(38, 38) });
}

export function createReportsLayer() {
  if (L.markerClusterGroup) {
    return L.markerClusterGroup({ iconCreateFunction: clusterIcon, showCoverageOnHover: false, maxClusterRadius: 50, disableClusteringAtZoom: 17 });
  }
  return L.featureGroup();
}

// Every report in the bounds that matches the filters (a few pages at most).
export async function fetchReports(bounds, { status = "", category = "", extra = "", signal } = {}) {
  const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
    .map((v, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, v)).toFixed(5))
    .join(",");
  const found = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const params = new URLSearchParams({ bbox, page, page_size: PAGE_SIZE, lang: config.lang });
    if (status) params.set("status", status);
    if (category) params.set("category", category);
    const data = await api(`/api/v1/reports/?${params}${extra}`, { signal });
    found.push(...data.results);
    if (found.length >= data.count || !data.results.length) break;
  }
  return found;
}
