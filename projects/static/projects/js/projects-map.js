// The projects map: by status and sector, a list with their cost, and "my section".
import { api, config, errorText, fmt, h } from "/static/frontend/js/core.js";
import { createMap, locate } from "/static/frontend/js/map.js";
import { gourdes, projectBadge, projectsLayer, sectorLabel } from "./common.js";

const form = document.getElementById("filters");
const map = createMap(document.getElementById("map"), { center: [18.9, -72.6], zoom: 8 });
const note = document.getElementById("section-link");
const list = document.getElementById("project-list");
const more = document.getElementById("more-projects");
let layer = null;
let nextPage = null;

for (const s of config.projects.statuses) form.elements.status.append(h("option", { value: s.code }, s.label));
for (const s of config.projects.sectors) form.elements.sector.append(h("option", { value: s.code }, s.label));

function card(p) {
  return h("li", { class: "card" },
    h("a", { href: `/projects/${p.slug}/` }, h("strong", {}, p.title)), h("br"),
    projectBadge(p.status), " ", h("span", { class: "muted" }, sectorLabel(p.sector)), h("br"),
    fmt(gettext("Spent %(spent)s of %(planned)s"), { spent: gourdes(p.spent_htg), planned: gourdes(p.planned_htg) }));
}

// The list comes a page at a time (the API's `next` link); the map shows them all.
async function showPage(url, append) {
  const page = await api(url);
  if (!append) list.replaceChildren();
  list.append(...page.results.map(card));
  document.getElementById("project-count").textContent = fmt(gettext("%(shown)s of %(count)s projects"), { shown: list.children.length, count: page.count });
  nextPage = page.next;
  more.hidden = !nextPage;
}

async function load() {
  const params = new URLSearchParams({ lang: config.lang });
  for (const name of ["status", "sector"]) if (form.elements[name].value) params.set(name, form.elements[name].value);
  const collection = await api(`/api/v1/projects/geojson/?${params}`);
  if (layer) layer.remove();
  layer = projectsLayer(collection).addTo(map);
  if (collection.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 14, padding: [20, 20] });
  await showPage(`/api/v1/projects/?${params}`, false);
}

async function showSection(latlng) {
  try {
    const found = await api(`/api/v1/areas/lookup/?lat=${latlng.lat}&lon=${latlng.lng}`);
    const section = (found.areas || []).find((a) => a.level === "section");
    note.hidden = false;
    if (!section) {
      note.textContent = gettext("This place is in no section.");
      return;
    }
    note.replaceChildren(h("a", { href: `/section/${section.pcode}/`, id: "section-go" }, fmt(gettext("Your section: %(name)s"), { name: section.name })));
  } catch (err) {
    note.hidden = false;
    note.textContent = errorText(err);
  }
}

form.addEventListener("change", load);
more.addEventListener("click", () => nextPage && showPage(nextPage, true));
map.on("click", (e) => showSection(e.latlng));
document.getElementById("my-section").addEventListener("click", () => locate(map, showSection));
load();
