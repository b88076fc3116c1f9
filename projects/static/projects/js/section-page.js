// "My section": its projects and what they cost, spending per resident, its reports by
// category and its infrastructure.
import { api, config, errorText, fmt, formatNumber, h } from "/static/frontend/js/core.js";
import { createMap } from "/static/frontend/js/map.js";
import { gourdes, projectBadge, projectsLayer, sectorLabel } from "./common.js";

const article = document.getElementById("section");
const map = createMap(document.getElementById("map"), { zoom: 13 });
const pcode = encodeURIComponent(config.pcode);

function figure(value, label, id) {
  return h("div", { class: "figure", id }, h("strong", {}, value), label);
}

async function load() {
  const [s, collection] = await Promise.all([
    api(`/api/v1/projects/sections/${pcode}/?lang=${config.lang}`),
    api(`/api/v1/projects/geojson/?area=${pcode}&lang=${config.lang}`),
  ]);
  document.title = `${s.area.name} · Komin`;
  document.getElementById("section-title").textContent = s.area.name;
  document.getElementById("section-commune").textContent = s.commune ? s.commune.name : "";
  const reports = s.reports.reduce((n, r) => n + r.reports, 0);
  document.getElementById("section-figures").replaceChildren(
    figure(formatNumber(s.area.population), gettext("residents")),
    figure(gourdes(s.money.spent), gettext("spent on public works"), "section-spent"),
    figure(s.money.spent_per_resident == null ? "–" : gourdes(s.money.spent_per_resident), gettext("per resident"), "section-per-resident"),
    figure(formatNumber(reports), gettext("reports")),
  );
  const costs = Object.fromEntries(collection.features.map((f) => [f.id, f.properties]));
  document.getElementById("section-projects").replaceChildren(...(s.projects.length ? s.projects.map((p) => h("li", { class: "card" },
    h("a", { href: `/projects/${p.slug}/` }, h("strong", {}, p.title)), h("br"),
    projectBadge(p.status), " ", h("span", { class: "muted" }, sectorLabel(p.sector)), h("br"),
    fmt(gettext("Cost: %(planned)s, spent so far %(spent)s"), { planned: gourdes(costs[p.slug]?.planned_htg), spent: gourdes(costs[p.slug]?.spent_htg) })))
    : [h("li", { class: "muted" }, gettext("No public works here yet."))]));
  document.querySelector("#section-reports tbody").replaceChildren(...s.reports.map((r) => h("tr", {},
    h("td", {}, r.name), h("td", { class: "num" }, r.reports), h("td", { class: "num" }, r.open), h("td", { class: "num" }, r.fixed))));
  document.getElementById("section-infrastructure").replaceChildren(...(s.infrastructure.length
    ? s.infrastructure.map((l) => h("li", {}, `${l.title}: ${formatNumber(l.features)}`))
    : [h("li", { class: "muted" }, gettext("None"))]));
  if (collection.features.length) {
    const layer = projectsLayer(collection).addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [20, 20] });
  }
  article.setAttribute("aria-busy", "false");
}

load().catch((err) => {
  article.setAttribute("aria-busy", "false");
  article.prepend(h("p", { class: "notice error" }, errorText(err)));
});
