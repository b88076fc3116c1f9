// A crew's tickets, as a list and a map: most urgent first, then nearest to me.
import { api, config, errorText, fmt, formatDate, formatNumber, h, statusBadge, statusInfo } from "./core.js";
import { addLocateControl, createMap, fitPoints } from "./map.js";
import { reportMarker } from "./reports-layer.js";
import { keep, keepArea } from "./offline.js";
import { notify, subscribe } from "./live-updates.js";

const map = createMap(document.getElementById("map"), { boundaries: false });
const markers = L.featureGroup().addTo(map);
const list = document.getElementById("tickets");
const info = document.getElementById("list-info");
const mineOnly = document.getElementById("mine-only");
let tickets = [];
let here = null;

const ticketUrl = (r) => `/crew/${encodeURIComponent(r.reference)}/`;
const distance = (r) => (here ? here.distanceTo([r.location.lat, r.location.lon]) : null);

function distanceText(metres) {
  if (metres == null) return "";
  return metres < 1000 ? fmt(gettext("%(n)s m"), { n: formatNumber(metres) }) : fmt(gettext("%(n)s km"), { n: formatNumber(metres / 1000, 1) });
}

function render() {
  tickets.sort((a, b) => b.priority - a.priority || (distance(a) ?? 0) - (distance(b) ?? 0) || a.created_at.localeCompare(b.created_at));
  list.replaceChildren(
    ...tickets.map((r) =>
      h("li", { dataset: { reference: r.reference, status: r.status, priority: r.priority } },
        h("a", { href: ticketUrl(r) },
          h("div", {}, statusBadge(r.status), " ", h("strong", {}, r.category.name), " ", h("span", { class: `priority priority-${r.priority}` }, config.priorities[r.priority] || "")),
          h("div", { class: "ticket-meta" },
            [r.reference, r.section && r.section.name, r.commune && r.commune.name, distanceText(distance(r)), formatDate(r.created_at, false)].filter(Boolean).join(" · ")),
          r.staff && r.staff.team_unstaffed ? h("div", { class: "warning-flag" }, gettext("Warning: this ticket's team has no members.")) : null,
          r.description ? h("div", {}, r.description.slice(0, 120)) : null)),
    ),
  );
  markers.clearLayers();
  tickets.forEach((r) => markers.addLayer(reportMarker(r, { href: ticketUrl })));
  info.textContent = tickets.length ? fmt(gettext("%(n)s open tickets, most urgent first."), { n: tickets.length }) : gettext("No open ticket. Well done!");
}

async function load() {
  info.textContent = gettext("Loading…");
  try {
    const found = [];
    for (let page = 1; page <= 5; page += 1) {
      const data = await api(`/api/v1/reports/?status=open&work=true&page_size=200&page=${page}${mineOnly.checked ? "&assigned=me" : ""}`);
      found.push(...data.results);
      if (found.length >= data.count || !data.results.length) break;
    }
    tickets = found;
    render();
    fitPoints(map, tickets.map((r) => [r.location.lat, r.location.lon]));
  } catch (err) {
    info.textContent = errorText(err);
  }
}

function useLocation(latlng) {
  here = latlng;
  render();
}
addLocateControl(map, useLocation);
document.getElementById("sort-here").addEventListener("click", () => {
  navigator.geolocation.getCurrentPosition(
    (p) => useLocation(L.latLng(p.coords.latitude, p.coords.longitude)),
    () => alert(gettext("Your location is not available.")),
    { enableHighAccuracy: true, timeout: 15000 },
  );
});
// Before going out: every open ticket (its page, data, history and questions) and the
// map of their area are kept on the phone, so that the day's work needs no network.
const apiUrl = (path) => `${path}?lang=${encodeURIComponent(config.lang)}`;
async function keepForOffline() {
  const status = document.getElementById("offline-status");
  status.textContent = gettext("Keeping your tickets on this phone…");
  const pages = tickets.map(ticketUrl);
  const data = tickets.flatMap((r) => {
    const base = `/api/v1/reports/${encodeURIComponent(r.reference)}/`;
    return [apiUrl(base), apiUrl(base + "history/"), apiUrl(`/api/v1/categories/${encodeURIComponent(r.category.code)}/`)];
  });
  const kept = await keep("pages", pages);
  await keep("api", [...new Set(data)]);
  if (tickets.length) {
    const lons = tickets.map((r) => r.location.lon);
    const lats = tickets.map((r) => r.location.lat);
    const pad = 0.01;
    await keepArea({ bbox: [Math.min(...lons) - pad, Math.min(...lats) - pad, Math.max(...lons) + pad, Math.max(...lats) + pad].map((v) => v.toFixed(5)).join(",") });
  }
  status.textContent = kept.kept === tickets.length
    ? fmt(gettext("%(n)s tickets and their map are kept on this phone."), { n: tickets.length })
    : gettext("Some tickets could not be kept: check the network and try again.");
  status.dataset.kept = String(kept.kept);
}
document.getElementById("keep-offline").addEventListener("click", keepForOffline);
mineOnly.addEventListener("change", load);

// A ticket that arrives or changes: read it again (the API gives what this person may
// see) and put it in, move it or take it out of the list and the map.
async function ticketChanged(change) {
  if (mineOnly.checked) return load(); // "assigned to me" is the server's to say
  let ticket = null;
  try {
    ticket = await api(`/api/v1/reports/${encodeURIComponent(change.reference)}/`);
  } catch (err) {
    if (!(err.status === 404 || err.status === 403)) return;
  }
  const others = tickets.filter((r) => r.reference !== change.reference);
  const isNew = others.length === tickets.length;
  tickets = ticket && statusInfo(ticket.status).group === "open" ? [...others, ticket] : others;
  render();
  if (ticket && isNew && tickets.length > others.length) {
    notify(fmt(gettext("New ticket: %(ref)s, %(category)s"), { ref: ticket.reference, category: ticket.category.name }));
  }
}
load().then(() => subscribe(ticketChanged, { onReset: load }));
// Nearest first without asking again when the phone already allows this site's location.
if (navigator.permissions && navigator.geolocation) {
  navigator.permissions.query({ name: "geolocation" }).then((state) => {
    if (state.state === "granted") {
      navigator.geolocation.getCurrentPosition((p) => useLocation(L.latLng(p.coords.latitude, p.coords.longitude)), () => {}, { timeout: 15000 });
    }
  }).catch(() => {});
}
