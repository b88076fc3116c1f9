// Transparency page: public, aggregated figures per category and per area.
import { api, config, errorText, escapeHtml, formatHours, formatNumber, h, whenVisible, yieldToMain } from "./core.js";
import { createMap } from "./map.js";
import { addInChunks, areaName, choroplethLayer, featureBounds, legendControl } from "./choropleth.js";
import { barChart, columnChart } from "./charts.js";

const form = document.getElementById("filters");
const map = createMap(document.getElementById("map"), { boundaries: false });
// On a phone the legend goes under the map: over it, it hid Port-au-Prince.
const legend = legendControl();
if (window.matchMedia("(max-width: 759px)").matches) document.getElementById("legend-below").append(legend.onAdd(map));
else legend.addTo(map);
let areas = null;
let loads = 0; // which load() is the latest: an older one stops drawing
const renderer = L.canvas({ padding: 0.2 });
// The charts are below the fold on a phone: drawn when they come near the screen.
let chartStats = null;
let chartsWanted = false;
const overTime = document.getElementById("over-time");
whenVisible(overTime, () => {
  chartsWanted = true;
  drawCharts();
});

const town = config.jurisdiction ? config.jurisdiction.slug : "";
api("/api/v1/categories/" + (town ? `?jurisdiction=${encodeURIComponent(town)}` : "")).then((list) => {
  for (const c of list) form.elements.category.append(h("option", { value: c.code }, c.name));
});

function figure(value, label) {
  return h("div", { class: "figure" }, h("strong", {}, value), label);
}

function drawCharts() {
  if (!chartsWanted || !chartStats) return;
  const stats = chartStats;
  overTime.replaceChildren(
    columnChart(stats.over_time, [
      { key: "reports", label: gettext("Reported"), colour: "#f97316" },
      { key: "fixed", label: gettext("Fixed"), colour: "#16a34a" },
    ], { title: gettext("Reports and fixes over time"), period: "month" }),
    barChart(stats.by_category.map((c) => ({ label: c.name, value: c.median_hours_to_fix })), { title: gettext("Median time to fix"), format: formatHours, colour: "#0f766e" }),
  );
}

async function load() {
  const current = ++loads;
  const category = form.elements.category.value;
  const level = form.elements.level.value;
  // On a town hall's page: the figures of its reports and the areas of its communes.
  const query = (category ? `&category=${encodeURIComponent(category)}` : "") + (town ? `&jurisdiction=${encodeURIComponent(town)}` : "");
  try {
    const [stats, rates] = await Promise.all([
      api(`/stats/?period=month&lang=${config.lang}${query}`),
      api(`/api/v1/analytics/public/rates/?level=${level}&detail=low${query}`),
    ]);
    const total = stats.by_category.reduce((n, c) => n + c.reports, 0);
    const fixed = stats.by_category.reduce((n, c) => n + c.fixed, 0);
    const open = stats.by_category.reduce((n, c) => n + c.open, 0);
    const withTimes = stats.by_category.filter((c) => c.median_hours_to_fix != null);
    document.getElementById("figures").replaceChildren(
      figure(formatNumber(total), gettext("reports")),
      figure(formatNumber(fixed), gettext("fixed")),
      figure(formatNumber(open), gettext("still open")),
      figure(withTimes.length ? formatHours(Math.min(...withTimes.map((c) => c.median_hours_to_fix))) + " – " + formatHours(Math.max(...withTimes.map((c) => c.median_hours_to_fix))) : "–", gettext("median time to fix, by category")),
    );
    // Each part in a task of its own: together (the first number and date formats of the
    // page included) they were one task of 160 ms on the bench machine, ×4 on a phone.
    await yieldToMain();
    if (current !== loads) return;
    document.querySelector("#by-category tbody").replaceChildren(
      ...stats.by_category.map((c) => h("tr", {}, h("td", {}, c.name), h("td", { class: "num" }, c.reports), h("td", { class: "num" }, c.open), h("td", { class: "num" }, c.fixed), h("td", { class: "num" }, formatHours(c.median_hours_to_fix)))),
    );
    await yieldToMain();
    if (current !== loads) return;
    chartStats = stats;
    drawCharts();
    await yieldToMain();
    if (current !== loads) return;
    const rows = rates.features.map((f) => f.properties).filter((p) => p.reports > 0).sort((a, b) => b.reports - a.reports);
    document.querySelector("#by-area tbody").replaceChildren(
      ...rows.map((p) => h("tr", {}, h("td", {}, areaName(p)), h("td", { class: "num" }, p.reports), h("td", { class: "num" }, formatNumber(p.reports_per_1000, 3)), h("td", { class: "num" }, p.open_backlog), h("td", { class: "num" }, p.resolved), h("td", { class: "num" }, formatHours(p.median_hours_to_resolve)))),
    );
    await yieldToMain();
    if (current !== loads) return;
    if (areas) areas.remove();
    // The figures and tables paint first. The map is moved before its polygons are added
    // (moving it after re-projected them all), and the polygons, on a canvas (hundreds of
    // SVG paths were the page's longest task on a phone), come a few at a time.
    const withReports = featureBounds(rates.features.filter((f) => f.properties.reports > 0));
    if (withReports.isValid()) map.fitBounds(withReports, { maxZoom: 10, animate: false });
    areas = choroplethLayer(rates, { renderer, empty: true, describe: (p) => `<strong>${escapeHtml(areaName(p))}</strong><br>${formatNumber(p.reports)} · ${formatNumber(p.reports_per_1000, 3)} ‰` }).addTo(map);
    legend.show(gettext("Reports per 1,000 residents"), areas.breaks, 3);
    await addInChunks(areas, rates.features, { isCurrent: () => current === loads });
  } catch (err) {
    document.getElementById("figures").replaceChildren(h("p", { class: "error" }, errorText(err)));
  }
}

form.addEventListener("change", load);
load();
