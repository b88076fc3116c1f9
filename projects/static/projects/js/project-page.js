// One project: where, status, money (lines per year and source), timeline with photos,
// the reports it answers.
import { api, config, errorText, fmt, formatDate, h } from "/static/frontend/js/core.js";
import { createMap } from "/static/frontend/js/map.js";
import { gourdes, projectBadge, projectsLayer, sectorLabel } from "./common.js";

const article = document.getElementById("project");
const map = createMap(document.getElementById("map"), { zoom: 14 });

function figure(value, label, id) {
  return h("div", { class: "figure", id }, h("strong", {}, value), label);
}

function fact(term, value) {
  return value ? [h("dt", {}, term), h("dd", {}, value)] : [];
}

function render(p) {
  document.title = `${p.title} · Komin`;
  document.getElementById("sample").hidden = !p.sample;
  document.getElementById("project-title").textContent = p.title;
  document.getElementById("project-status").replaceWith(Object.assign(projectBadge(p.status), { id: "project-status" }));
  document.getElementById("project-sector").textContent = `${sectorLabel(p.sector)} · ${p.percent_complete} % ${gettext("done")}`;
  document.getElementById("project-areas").replaceChildren(...p.areas.flatMap((a, i) => [i ? ", " : "", h("a", { href: `/section/${a.pcode}/` }, a.name)]));
  document.getElementById("project-description").textContent = p.description;
  if (p.from_proposal) document.getElementById("project-description").after(h("p", { id: "from-proposal" }, h("a", { href: p.from_proposal.page }, gettext("Chosen by the residents in a participatory budget"))));
  document.getElementById("money-figures").replaceChildren(
    figure(gourdes(p.money.planned), gettext("planned"), "money-planned"),
    figure(gourdes(p.money.committed), gettext("committed"), "money-committed"),
    figure(gourdes(p.money.spent), gettext("spent"), "money-spent"),
  );
  document.getElementById("project-facts").replaceChildren(
    ...fact(gettext("Responsible service"), p.responsible_service),
    ...fact(gettext("Contractor"), p.contractor),
    ...fact(gettext("Funding"), p.funding_sources.join(", ")),
    ...fact(gettext("Planned dates"), [formatDate(p.dates.planned_start, false), formatDate(p.dates.planned_end, false)].filter(Boolean).join(" – ")),
    ...fact(gettext("Started"), formatDate(p.dates.actual_start, false)),
    ...fact(gettext("Finished"), formatDate(p.dates.actual_end, false)),
  );
  document.querySelector("#budget tbody").replaceChildren(...p.money.lines.map((l) => h("tr", {},
    h("td", {}, l.year), h("td", {}, l.funding_source_name),
    h("td", { class: "num" }, l.planned), h("td", { class: "num" }, l.committed), h("td", { class: "num" }, l.spent),
    h("td", {}, l.currency === "USD" ? fmt(gettext("USD at %(rate)s HTG (%(date)s)"), { rate: l.exchange_rate, date: formatDate(l.rate_date, false) }) : l.currency))));
  document.getElementById("timeline").replaceChildren(...p.timeline.map((u) => h("li", {},
    h("strong", {}, formatDate(u.created_at)), " · ", u.status_label, ` · ${u.percent_complete} %`,
    h("p", { lang: u.language }, u.text),
    h("div", { class: "thumbs" }, u.photos.map((ph) => h("a", { href: ph.url, target: "_blank" }, h("img", { src: ph.thumbnail, alt: gettext("Photo of the works"), class: "thumb", loading: "lazy" })))))));
  document.getElementById("reports").replaceChildren(...(p.reports.length
    ? p.reports.map((r) => h("li", {}, h("a", { href: `/r/${r.reference}/` }, r.reference), ` · ${r.category}`))
    : [h("li", { class: "muted" }, gettext("None"))]));
  const layer = projectsLayer({ type: "Feature", geometry: p.geometry, properties: { ...p, spent_htg: p.money.spent, planned_htg: p.money.planned } }).addTo(map);
  map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
  article.setAttribute("aria-busy", "false");
}

api(`/api/v1/projects/${encodeURIComponent(config.slug)}/?lang=${config.lang}`).then(render).catch((err) => {
  article.setAttribute("aria-busy", "false");
  article.prepend(h("p", { class: "notice error" }, errorText(err)));
});
