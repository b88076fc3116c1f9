// A report's public page: status, public history, photos, "me too", follow by e-mail;
// with the reporter's private token (kept in the link's #fragment, never sent in a URL
// to the server), confirm the fix or reopen.
import { answerRows, api, categoryQuestions, config, errorText, fmt, formatDate, h, kindLabel, showMessage, statusBadge, statusInfo } from "./core.js";
import { createMap } from "./map.js";
import { reportMarker } from "./reports-layer.js";

const reference = config.reference;
const base = `/api/v1/reports/${encodeURIComponent(reference)}/`;
const message = document.getElementById("page-message");
const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
const mine = JSON.parse(localStorage.getItem("komin:mine") || "{}");
if (fromHash) {
  mine[reference] = fromHash;
  localStorage.setItem("komin:mine", JSON.stringify(mine));
}
const token = fromHash || mine[reference] || "";
for (const badge of document.querySelectorAll("#report .status[data-status]")) badge.style.setProperty("--c", statusInfo(badge.dataset.status).colour);
const map = createMap(document.getElementById("map"), { zoom: 16 });
let report = null;
let questions = null;

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function render(data) {
  report = data;
  const article = document.getElementById("report");
  article.dataset.status = data.status;
  // Painted by the server already: rewritten only when changed (no second paint).
  setText(document.getElementById("report-title"), data.category.name);
  const badge = document.getElementById("report-status");
  badge.dataset.status = data.status;
  badge.style.setProperty("--c", statusInfo(data.status).colour);
  setText(badge, statusInfo(data.status).label);
  const areas = [data.section, data.commune].filter(Boolean).map((a) => a.name);
  setText(document.getElementById("report-area"), [areas.join(", "), formatDate(data.created_at)].filter(Boolean).join(" · "));
  setText(document.getElementById("report-description"), data.description || "");
  document.getElementById("report-photos").replaceChildren(
    ...data.photos.map((p) => h("a", { href: p.url, target: "_blank" }, h("img", { src: p.thumbnail_url, alt: gettext("Photo of the problem"), class: "thumb", loading: "lazy" }))),
  );
  document.getElementById("report-support").textContent = data.support_count
    ? fmt(gettext("%(n)s people said they have this problem too."), { n: data.support_count })
    : "";
  document.getElementById("report-answers").replaceChildren(...answerRows(data.answers, questions));
  const works = document.getElementById("report-projects");
  works.hidden = !(data.projects && data.projects.length);
  works.querySelector("ul").replaceChildren(...(data.projects || []).map((p) => h("li", {}, h("a", { href: `/projects/${p.slug}/` }, p.title), ` · ${p.status_label} · ${p.percent_complete} %`)));
  document.getElementById("reporter-actions").hidden = !(token && data.status === "resolved");
  document.getElementById("me-too").hidden = statusInfo(data.status).group !== "open";
  const latlng = [data.location.lat, data.location.lon];
  map.setView(latlng, 14);
  reportMarker(data).addTo(map);
}

function historyPhoto(u) {
  return h("a", { href: u.photo.url, target: "_blank" }, h("img", { src: u.photo.thumbnail_url, alt: gettext("Photo of the work"), class: "thumb", loading: "lazy" }));
}

// The server painted the same entries: they are completed in place (dates in the page's
// format, labels, colours, photos), not replaced, so nothing paints a second time.
function completeHistory(list, updates) {
  const painted = [...list.children];
  if (painted.length !== updates.length || painted.some((li, i) => li.dataset.id !== String(updates[i].id) || li.dataset.status !== (updates[i].status || ""))) return false;
  updates.forEach((u, i) => {
    const li = painted[i];
    setText(li.querySelector("time"), formatDate(u.created_at));
    const label = li.querySelector("time + span");
    if (u.status) label.style.setProperty("--c", statusInfo(u.status).colour);
    else setText(label, kindLabel(u.kind));
    if (u.photo && !li.querySelector("img")) li.append(historyPhoto(u));
  });
  return true;
}

function renderHistory(updates) {
  const list = document.getElementById("history");
  if (completeHistory(list, updates)) return;
  list.replaceChildren(
    ...updates.map((u) =>
      h("li", { dataset: { id: u.id, kind: u.kind, status: u.status || "" } },
        h("time", { datetime: u.created_at }, formatDate(u.created_at)),
        " ",
        u.status ? statusBadge(u.status) : h("span", { class: "muted" }, kindLabel(u.kind)),
        u.event_text ? h("p", {}, u.event_text) : null,
        u.public_note ? h("p", {}, u.public_note) : null,
        u.photo ? historyPhoto(u) : null),
    ),
  );
}

async function load() {
  try {
    // The history is asked at once, beside the report, not after it (one round trip less on 3G).
    const history = api(base + "history/");
    history.catch(() => {}); // its error is the report's, told below
    const data = await api(base);
    if (!questions) questions = await categoryQuestions(data.category.code);
    render(data);
    const updates = await history;
    renderHistory(Array.isArray(updates) ? updates : updates.results || updates.updates || []);
    // Shown all at once, history included: nothing on screen jumps as parts arrive.
    document.getElementById("report").setAttribute("aria-busy", "false");
  } catch (err) {
    document.getElementById("report-title").textContent = err.status === 404 ? gettext("No report has this reference.") : errorText(err);
  }
}

async function reporterDecision(status) {
  try {
    await api(base + "transition/", {
      method: "POST",
      json: { status, token, version: report.version, public_note: document.getElementById("reporter-note").value.trim() },
    });
    showMessage(message, status === "closed" ? gettext("Thank you for confirming the fix.") : gettext("The report is open again; the crew will come back."));
    await load();
  } catch (err) {
    showMessage(message, errorText(err), "error");
  }
}

document.getElementById("confirm-fix").addEventListener("click", () => reporterDecision("closed"));
document.getElementById("reopen").addEventListener("click", () => reporterDecision("reopened"));
document.getElementById("me-too").addEventListener("click", async (event) => {
  event.target.disabled = true;
  try {
    const result = await api(base + "support/", { method: "POST", json: {} });
    showMessage(message, result && result.counted === false ? gettext("You had already said so: thank you.") : gettext("Thank you, we counted you."));
    if (result && result.support_count != null) report.support_count = result.support_count;
    await load();
  } catch (err) {
    showMessage(message, errorText(err), "error");
  }
});
document.getElementById("follow").addEventListener("submit", async (event) => {
  event.preventDefault();
  const email = event.target.elements.email.value.trim();
  try {
    const result = await api(base + "follow/", { method: "POST", json: { email } });
    showMessage(message, result && result.confirmed === false
      ? fmt(gettext("We sent a message to %(email)s: open it to confirm that you follow this report."), { email })
      : fmt(gettext("We will write to %(email)s when this report changes."), { email }));
    event.target.reset();
  } catch (err) {
    showMessage(message, errorText(err), "error");
  }
});

load();
