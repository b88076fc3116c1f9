// Planners: spending per resident per section against reports per 1,000 residents, as a
// choropleth (spending) and a table with both.
import { api, config, errorText, escapeHtml, formatNumber, h } from "/static/frontend/js/core.js";
import { createMap } from "/static/frontend/js/map.js";
import { choroplethLayer, legendControl } from "/static/frontend/js/choropleth.js";

const form = document.getElementById("filters");
const map = createMap(document.getElementById("map"), { boundaries: false });
const legend = legendControl().addTo(map);
const name = (p) => p[`name_${config.lang}`] || p.name_fr || p.pcode;
let areas = null;

for (const town of config.towns) form.elements.jurisdiction.append(h("option", { value: town.slug }, town.name));

async function load() {
  try {
    const collection = await api(`/api/v1/projects/compare/?jurisdiction=${encodeURIComponent(form.elements.jurisdiction.value)}`);
    const rows = collection.features.map((f) => f.properties);
    document.querySelector("#spending tbody").replaceChildren(...rows.map((p) => h("tr", { dataset: { pcode: p.pcode } },
      h("td", {}, h("a", { href: `/section/${p.pcode}/` }, name(p))), h("td", { class: "num" }, formatNumber(p.population)),
      h("td", { class: "num" }, formatNumber(Number(p.spent_per_resident || 0), 2)), h("td", { class: "num" }, formatNumber(Number(p.reports_per_1000), 3)),
      h("td", { class: "num" }, p.projects))));
    if (areas) areas.remove();
    areas = choroplethLayer(collection, { field: "spent_per_resident", digits: 2,
      describe: (p) => `<strong>${escapeHtml(name(p))}</strong><br>${escapeHtml(formatNumber(Number(p.spent_per_resident || 0), 2))} HTG · ${escapeHtml(formatNumber(Number(p.reports_per_1000), 3))} ‰` }).addTo(map);
    legend.show(gettext("Spent per resident (HTG)"), areas.breaks, 2, gettext("Nothing spent"));
    if (collection.features.length) map.fitBounds(areas.getBounds());
  } catch (err) {
    document.querySelector("#spending tbody").replaceChildren(h("tr", {}, h("td", { colspan: 5 }, errorText(err))));
  }
}

form.addEventListener("change", load);
load();
