// Shared by the projects pages: labels from the server's workflow data, colours, money.
import { config, formatNumber, h } from "/static/frontend/js/core.js";

const COLOURS = { planned: "#6b7280", tendering: "#7c3aed", in_progress: "#f97316", suspended: "#dc2626", completed: "#16a34a", cancelled: "#374151" };
const STATUS = Object.fromEntries(config.projects.statuses.map((s) => [s.code, s.label]));
const SECTOR = Object.fromEntries(config.projects.sectors.map((s) => [s.code, s.label]));

export const projectColour = (status) => COLOURS[status] || "#6b7280";
export const sectorLabel = (code) => SECTOR[code] || code;
export const projectStatusLabel = (code) => STATUS[code] || code;

export function projectBadge(status) {
  return h("span", { class: "status", style: `--c:${projectColour(status)}`, dataset: { status } }, projectStatusLabel(status));
}

// Amounts arrive as decimal strings (exact); shown rounded to the gourde.
export function gourdes(value) {
  return value == null ? "–" : `${formatNumber(Number(value), 0)} HTG`;
}

export function projectsLayer(collection) {
  return L.geoJSON(collection, {
    style: (f) => ({ color: projectColour(f.properties.status), weight: 5, opacity: 0.85, fillOpacity: 0.25 }),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 8, color: "#fff", weight: 2, fillColor: projectColour(f.properties.status), fillOpacity: 0.95 }),
    onEachFeature: (f, layer) => {
      const p = f.properties;
      layer.bindPopup(() => h("div", {},
        h("strong", {}, h("a", { href: `/projects/${p.slug}/` }, p.title)), h("br"),
        projectStatusLabel(p.status), " · ", sectorLabel(p.sector), h("br"),
        gourdes(p.spent_htg), " / ", gourdes(p.planned_htg)));
    },
  });
}
