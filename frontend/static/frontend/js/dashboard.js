// Planners and supervisors: choropleth of rates, hotspots, coverage gaps, a drawn query,
// charts, and exports of what is on screen.
import { api, ApiError, config, debounce, errorText, escapeHtml, fmt, formatHours, formatNumber, formatPercent, h } from "./core.js";
import { notify, subscribe } from "./live-updates.js";
import { createMap } from "./map.js";
import { areaName, choroplethLayer, legendControl } from "./choropleth.js";
import { barChart, columnChart } from "./charts.js";
import { RegionDrawer } from "./draw.js";

const form = document.getElementById("analysis");
const info = document.getElementById("analysis-info");
const mapElement = document.getElementById("map");
const map = createMap(mapElement, { boundaries: false });
const legend = legendControl().addTo(map);
let analysisLayer = null;
let clustersLayer = null;
let region = null;
let lastQuery = null;
let pending = null;

const ANALYSES = {
  per_1000: { path: "rates/", field: "reports_per_1000", digits: 3, title: () => gettext("Reports per 1,000 residents"), zero: () => gettext("No reports") },
  reports: { path: "rates/", field: "reports", digits: 0, title: () => gettext("Number of reports"), zero: () => gettext("No reports") },
  open_backlog: { path: "rates/", field: "open_backlog", digits: 0, title: () => gettext("Open backlog"), zero: () => gettext("No open report") },
  coverage: { path: "coverage/", field: "population_out_of_reach", digits: 0, title: () => gettext("Residents out of reach"), zero: () => gettext("Everyone within reach") },
  hotspots: { path: "hotspots/gi-star/", field: "gi_z", digits: 2, title: () => gettext("Hotspots (Getis-Ord Gi*)") },
};

api("/api/v1/categories/").then((list) => {
  for (const c of list) form.elements.category.append(h("option", { value: c.code }, c.name));
});

function filterParams() {
  const params = new URLSearchParams({ level: form.elements.level.value, detail: "low" });
  for (const name of ["category", "status", "from", "to"]) if (form.elements[name].value) params.set(name, form.elements[name].value);
  return params;
}

function analysisUrl(format) {
  const kind = form.elements.analysis.value;
  const spec = ANALYSES[kind];
  let params = filterParams();
  if (kind === "coverage") {
    params = new URLSearchParams({ layer: form.elements.layer.value, distance: form.elements.distance.value, level: form.elements.level.value, detail: "low" });
    if (form.elements.area.value) params.set("area", form.elements.area.value);
  }
  if (kind === "hotspots") params.set("permutations", "499");
  if (format) params.set("format", format);
  return `/api/v1/analytics/${spec.path}?${params}`;
}

function describe(kind) {
  return (p) => {
    const name = `<strong>${escapeHtml(areaName(p))}</strong>`;
    if (kind === "coverage") {
      return `${name}<br>${escapeHtml(fmt(gettext("%(out)s of %(all)s residents out of reach (%(share)s within)"), {
        out: formatNumber(p.population_out_of_reach), all: formatNumber(p.population), share: formatPercent(p.share_within || 0),
      }))}<br>${escapeHtml(fmt(gettext("%(n)s facilities"), { n: p.facilities }))}`;
    }
    if (kind === "hotspots") {
      const flag = p.flag === "hot" ? gettext("Hotspot") : p.flag === "cold" ? gettext("Cold spot") : gettext("Not significant");
      const q = p.q_value === null || p.q_value === undefined ? "–" : formatNumber(p.q_value, 3);
      return `${name}<br>${escapeHtml(flag)} · z = ${escapeHtml(formatNumber(p.gi_z, 2))}, q = ${escapeHtml(q)}`;
    }
    return `${name}<br>${escapeHtml(fmt(gettext("%(n)s reports, %(rate)s per 1,000 residents"), { n: p.reports, rate: formatNumber(p.reports_per_1000, 3) }))}` +
      `<br>${escapeHtml(fmt(gettext("%(open)s open, %(fixed)s fixed, median %(time)s to fix"), { open: p.open_backlog, fixed: p.resolved, time: formatHours(p.median_hours_to_resolve) }))}`;
  };
}

const HOT = { hot: "#b91c1c", cold: "#1d4ed8" };
function hotspotLayer(collection) {
  const layer = L.geoJSON(collection, {
    style: (f) => ({ color: "#6b7280", weight: 0.5, fillColor: HOT[f.properties.flag] || "#f3f4f6", fillOpacity: f.properties.flag ? 0.7 : 0.3 }),
    onEachFeature: (f, l) => l.bindPopup(describe("hotspots")(f.properties)),
  });
  return layer;
}

async function loadAnalysis() {
  const kind = form.elements.analysis.value;
  const spec = ANALYSES[kind];
  document.getElementById("coverage-options").hidden = kind !== "coverage";
  if (pending) pending.abort();
  pending = new AbortController();
  info.textContent = gettext("Computing…");
  mapElement.dataset.analysis = "loading";
  try {
    const data = await api(analysisUrl(), { signal: pending.signal });
    if (analysisLayer) analysisLayer.remove();
    if (kind === "hotspots") {
      analysisLayer = hotspotLayer(data).addTo(map);
      legend.box.replaceChildren(h("strong", {}, spec.title()), h("ul", {},
        h("li", {}, h("i", { class: "box", style: `background:${HOT.hot}` }), fmt(gettext("Hotspot (%(n)s)"), { n: data.meta.hot })),
        h("li", {}, h("i", { class: "box", style: `background:${HOT.cold}` }), fmt(gettext("Cold spot (%(n)s)"), { n: data.meta.cold })),
        h("li", {}, h("i", { class: "box", style: "background:#f3f4f6" }), fmt(gettext("Not significant (%(n)s)"), { n: data.meta.not_significant ?? 0 }))));
    } else {
      analysisLayer = choroplethLayer(data, { field: spec.field, digits: spec.digits, describe: describe(kind) }).addTo(map);
      legend.show(spec.title(), analysisLayer.breaks, spec.digits, spec.zero());
    }
    const withData = data.features.filter((f) => f.geometry && (f.properties[spec.field] || kind === "coverage"));
    if (withData.length && !region) map.fitBounds(L.geoJSON({ type: "FeatureCollection", features: withData }).getBounds(), { maxZoom: 12 });
    info.textContent = kind === "coverage" && data.meta.facility_data === false
      ? fmt(gettext("No facility data for %(area)s in this layer: its coverage is unknown, not zero."), { area: form.elements.area.selectedOptions[0]?.textContent || "" })
      : kind === "coverage"
      ? fmt(gettext("%(share)s of %(all)s residents live within %(d)s m of a facility."), { share: formatPercent(data.meta.share_within || 0, 1), all: formatNumber(data.meta.population), d: formatNumber(data.meta.distance_m) })
      : fmt(gettext("%(n)s areas."), { n: data.features.length });
    mapElement.dataset.analysis = kind;
    mapElement.dataset.classes = String(analysisLayer.breaks ? analysisLayer.breaks.length : 0);
    updateExportText();
  } catch (err) {
    if (err.name === "AbortError") return;
    info.textContent = errorText(err);
    mapElement.dataset.analysis = "error";
  }
}

async function loadClusters() {
  if (clustersLayer) clustersLayer.remove();
  clustersLayer = null;
  if (!form.elements.clusters.checked) return;
  const params = filterParams();
  params.set("distance", "300");
  params.set("min_size", "3");
  try {
    const data = await api(`/api/v1/analytics/hotspots/clusters/?${params}`);
    clustersLayer = L.geoJSON(data, {
      style: { color: "#7c2d12", weight: 2, dashArray: "4 3", fillColor: "#fb923c", fillOpacity: 0.25 },
      onEachFeature: (f, l) => l.bindPopup(escapeHtml(fmt(gettext("Cluster of %(n)s reports; most are “%(category)s”."), { n: f.properties.reports, category: f.properties.dominant_category }))),
    }).addTo(map);
  } catch (err) {
    info.textContent = errorText(err);
  }
}

async function loadCharts() {
  const params = new URLSearchParams({ period: "week", lang: config.lang });
  for (const name of ["category", "from", "to"]) if (form.elements[name].value) params.set(name, form.elements[name].value);
  try {
    const stats = await api(`/stats/?${params}`);
    document.getElementById("chart-time").replaceChildren(columnChart(stats.over_time, [
      { key: "reports", label: gettext("Reported"), colour: "#f97316" },
      { key: "fixed", label: gettext("Fixed"), colour: "#16a34a" },
    ], { title: gettext("Reports over time") }));
    document.getElementById("chart-fix").replaceChildren(barChart(stats.by_category.map((c) => ({ label: c.name, value: c.median_hours_to_fix })), { title: gettext("Median time to fix, by category"), format: formatHours, colour: "#0f766e" }));
  } catch (err) {
    document.getElementById("chart-time").textContent = errorText(err);
  }
}

// Drawn queries: what lies inside (reports by category, facilities by layer, areas).
const queryHelp = document.getElementById("query-help");
const finishButton = document.getElementById("finish-polygon");
const drawer = new RegionDrawer(map, runQuery);
map.on("komin:vertex", (e) => { finishButton.hidden = e.count < 3; });

function pressed(button) {
  for (const b of document.querySelectorAll("[aria-pressed]")) b.setAttribute("aria-pressed", String(b === button));
}
document.getElementById("draw-polygon").addEventListener("click", (e) => {
  region = null;
  drawer.start("polygon");
  pressed(e.currentTarget);
  queryHelp.textContent = gettext("Tap the corners of the area on the map, then “Finish the polygon”.");
});
document.getElementById("draw-buffer").addEventListener("click", (e) => {
  region = null;
  drawer.start("buffer", Number(document.getElementById("buffer-radius").value) || 500);
  pressed(e.currentTarget);
  queryHelp.textContent = gettext("Tap the centre of the circle on the map.");
});
finishButton.addEventListener("click", () => drawer.finish());
document.getElementById("clear-query").addEventListener("click", () => {
  drawer.clear();
  region = null;
  lastQuery = null;
  pressed(null);
  finishButton.hidden = true;
  queryHelp.textContent = "";
  document.getElementById("query-result").replaceChildren();
  updateExportText();
});

function withinRequest(format) {
  const suffix = format ? `?format=${format}` : "";
  if (region.kind === "polygon") return [`/api/v1/analytics/within/${suffix}`, { method: "POST", json: { geometry: region.geometry } }];
  const params = new URLSearchParams({ point: `${region.centre.lng.toFixed(6)},${region.centre.lat.toFixed(6)}`, distance: region.radius });
  if (format) params.set("format", format);
  return [`/api/v1/analytics/within/?${params}`, {}];
}

async function runQuery(drawn) {
  region = drawn;
  pressed(null);
  finishButton.hidden = true;
  queryHelp.textContent = gettext("Computing…");
  try {
    const [url, options] = withinRequest();
    const data = await api(url, options);
    lastQuery = data;
    const counts = data.meta.counts;
    const names = Object.fromEntries([...form.elements.category.options].map((o) => [o.value, o.textContent]));
    const layerNames = config.layerTitles || {};
    const list = (title, group, label) => h("div", {}, h("strong", {}, `${title}: ${group.total}`),
      h("ul", {}, Object.entries(group.by_type).map(([k, n]) => h("li", {}, `${label(k)}: ${n}`))));
    document.getElementById("query-result").replaceChildren(
      list(gettext("Reports"), counts.reports, (k) => names[k] || k),
      list(gettext("Facilities"), counts.features, (k) => layerNames[k] || k),
      list(gettext("Areas"), counts.areas, (k) => config.levels[k] || k),
    );
    queryHelp.textContent = data.meta.truncated ? gettext("Only the first items of each type are listed.") : "";
    updateExportText();
  } catch (err) {
    queryHelp.textContent = errorText(err);
  }
}

function updateExportText() {
  document.getElementById("export-what").textContent = region
    ? gettext("What lies in the drawn area.")
    : ANALYSES[form.elements.analysis.value].title() + " · " + form.elements.level.selectedOptions[0].textContent;
}

// Downloads go through fetch so that the session and CSRF token come along.
async function download(format) {
  try {
    let url;
    let options = {};
    if (region) [url, options] = withinRequest(format);
    else url = analysisUrl(format);
    const response = await fetch(url, {
      method: options.method || "GET",
      credentials: "same-origin",
      headers: options.json ? { "Content-Type": "application/json", "X-CSRFToken": document.cookie.replace(/(?:^|.*;\s*)csrftoken=([^;]*).*$/, "$1") } : {},
      body: options.json ? JSON.stringify(options.json) : undefined,
    });
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
    const blob = await response.blob();
    const name = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
    const link = h("a", { href: URL.createObjectURL(blob), download: name ? name[1] : `komin.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
  } catch (err) {
    info.textContent = errorText(err);
  }
}
for (const button of document.querySelectorAll("[data-export]")) button.addEventListener("click", () => download(button.dataset.export));

form.addEventListener("change", (event) => {
  if (event.target.name === "clusters") return loadClusters();
  loadAnalysis();
  loadClusters();
  if (["category", "from", "to"].includes(event.target.name)) loadCharts();
});
loadAnalysis();
loadCharts();

// Coverage: tapping the map chooses the commune to analyse (the list does it too).
map.on("click", async (e) => {
  if (form.elements.analysis.value !== "coverage" || mapElement.classList.contains("drawing")) return;
  try {
    const data = await api(`/api/v1/areas/lookup/?lat=${e.latlng.lat.toFixed(6)}&lon=${e.latlng.lng.toFixed(6)}`);
    const commune = (data.areas || []).find((a) => a.level === "commune");
    if (commune && commune.pcode !== form.elements.area.value && form.elements.area.querySelector(`option[value="${commune.pcode}"]`)) {
      form.elements.area.value = commune.pcode;
      loadAnalysis();
    }
  } catch (err) {
    console.warn("lookup:", err.message);
  }
});

// Tickets that arrive or change while the dashboard is open: the map and charts are
// drawn again 15 s after the last change and a notice says so.
let changed = 0;
const refresh = debounce(() => {
  notify(fmt(ngettext("%(n)s ticket changed: the dashboard is up to date.", "%(n)s tickets changed: the dashboard is up to date.", changed), { n: changed }));
  changed = 0;
  loadAnalysis();
  loadClusters();
  loadCharts();
}, 15000);
subscribe(() => { changed += 1; refresh(); }, { onReset: refresh });
