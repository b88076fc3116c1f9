// One consultation: its areas on the map; while open, a form with its questions (a point
// question is answered by tapping the map); once the results are visible (after the close,
// or live for the town hall's staff), the areas coloured by the leading answer or by the
// number of responses, and a bar chart per question with the figures in text beside it.
import { api, config, errorText, fmt, formatDate, formatNumber, h, showMessage } from "/static/frontend/js/core.js";
import { barChart } from "/static/frontend/js/charts.js";
import { classBreaks, colourFor, PALETTE } from "/static/frontend/js/choropleth.js";
import { createMap } from "/static/frontend/js/map.js";

const BASE = `/api/v1/participation/consultations/${encodeURIComponent(config.consultation)}/`;
const article = document.getElementById("consultation");
const message = document.getElementById("consultation-message");
const map = createMap(document.getElementById("map"), { zoom: 12 });
const STATES = { scheduled: gettext("Not open yet"), open: gettext("Open"), closed: gettext("Closed") };
const CHOICE_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d", "#1f78b4", "#666666"];
const NONE = "#e5e7eb";
let consultation = null;
let results = null;
let areasLayer = null;
const points = {};
const pins = {};
let activePoint = null;

const areaName = (id) => (consultation.areas.find((a) => a.id === Number(id)) || {}).name || id;

function questionField(q) {
  const label = [q.label, q.required ? " *" : ""];
  const name = `q-${q.code}`;
  if (q.datatype === "text") return h("label", {}, label, h("textarea", { name, rows: 3, maxlength: 2000, "aria-required": q.required ? "true" : null }));
  if (q.datatype === "number") {
    return h("label", {}, label, h("input", { name, type: "number", step: "any", inputmode: "decimal", min: q.min_value, max: q.max_value, "aria-required": q.required ? "true" : null }));
  }
  if (q.datatype === "point") {
    const status = h("span", { id: `point-${q.code}`, class: "muted" }, gettext("Tap the map to place it."));
    const choose = h("button", { type: "button", onclick: () => { activePoint = q.code; status.textContent = gettext("Tap the map to place it."); } }, gettext("Place on the map"));
    return h("fieldset", { dataset: { point: q.code } }, h("legend", {}, label), choose, " ", status);
  }
  const type = q.datatype === "multivaluelist" ? "checkbox" : "radio";
  return h("fieldset", { dataset: { question: q.code } }, h("legend", {}, label),
    h("ul", { class: "plain" }, q.values.map((v) => h("li", {}, h("label", {}, h("input", { type, name, value: v.key }), " ", v.name)))));
}

function collect(form) {
  const answers = {};
  for (const q of consultation.questions) {
    const name = `q-${q.code}`;
    if (q.datatype === "text") answers[q.code] = form.elements[name].value.trim() || null;
    else if (q.datatype === "number") answers[q.code] = form.elements[name].value === "" ? null : Number(form.elements[name].value);
    else if (q.datatype === "point") answers[q.code] = points[q.code] || null;
    else {
      const chosen = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
      answers[q.code] = q.datatype === "multivaluelist" ? chosen : chosen[0] || null;
    }
  }
  const area = form.elements.area.value;
  return { answers, ...(area ? { area: Number(area) } : {}) };
}

function answerForm() {
  const form = document.getElementById("answer");
  document.getElementById("questions").replaceChildren(...consultation.questions.map(questionField));
  form.elements.area.append(...consultation.areas.map((a) => h("option", { value: a.id }, a.name)));
  activePoint = (consultation.questions.find((q) => q.datatype === "point") || {}).code || null;
  map.on("click", (event) => {
    if (!activePoint || form.hidden) return;
    points[activePoint] = { lon: Number(event.latlng.lng.toFixed(6)), lat: Number(event.latlng.lat.toFixed(6)) };
    if (pins[activePoint]) pins[activePoint].setLatLng(event.latlng);
    else pins[activePoint] = L.marker(event.latlng, { title: activePoint }).addTo(map);
    document.getElementById(`point-${activePoint}`).textContent = gettext("Placed: tap again to move it.");
  });
  form.hidden = false;
  form.onsubmit = async (event) => {
    event.preventDefault();
    try {
      await api(`${BASE}responses/`, { method: "POST", json: collect(form) });
      form.hidden = true;
      Object.values(pins).forEach((pin) => pin.remove());
      document.getElementById("already-answered").hidden = false;
      showMessage(message, gettext("Thank you: your answers are recorded."));
      if (consultation.results_visible) await showResults();
    } catch (err) {
      showMessage(message, errorText(err), "notice error");
    }
  };
}

function listTable(q) {
  const rows = results.areas.map((a) => {
    const cell = q.by_area[String(a.id)];
    const leading = q.values.find((v) => v.key === cell.leading);
    return h("tr", {}, h("th", { scope: "row" }, a.name), h("td", {}, leading ? leading.name : "–"), h("td", { class: "num" }, cell.answers));
  });
  return h("div", { class: "table-wrap" }, h("table", {}, h("caption", { class: "muted" }, gettext("By area")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, gettext("Area")), h("th", { scope: "col" }, gettext("Leading answer")), h("th", { scope: "col", class: "num" }, gettext("Answers")))),
    h("tbody", {}, rows)));
}

function questionResult(q) {
  const all = q.all;
  const parts = [h("h3", {}, q.label), h("p", { class: "muted" }, fmt(gettext("%(n)s answers"), { n: all.answers }))];
  if (q.values.length) {
    const rows = q.values.map((v) => ({ label: v.name, value: all.counts[v.key] }));
    parts.push(barChart(rows, { title: q.label, colour: "#7c3aed" }));
    parts.push(h("ul", { class: "plain" }, rows.map((r) => h("li", {}, `${r.label}: ${formatNumber(r.value)}`))));
    parts.push(listTable(q));
  } else if (q.datatype === "number" && all.answers) {
    parts.push(h("p", {}, fmt(gettext("Mean %(mean)s · median %(median)s · from %(min)s to %(max)s"),
      { mean: formatNumber(all.mean, 1), median: formatNumber(all.median, 1), min: formatNumber(all.min, 1), max: formatNumber(all.max, 1) })));
  } else if (q.datatype === "text") {
    parts.push(q.texts ? h("ul", { class: "stack" }, q.texts.map((t) => h("li", {}, h("q", {}, t.text), " · ", h("span", { class: "muted" }, areaName(t.area)))))
      : h("p", { class: "muted" }, gettext("The written answers are read by the town hall.")));
  }
  return h("section", { class: "stack", dataset: { question: q.code } }, parts);
}

function legend(items) {
  document.getElementById("map-legend").replaceChildren(h("div", { class: "legend" },
    h("ul", {}, items.map(([colour, label]) => h("li", {}, h("i", { class: "box", style: `background:${colour}` }), label)))));
}

function colourAreas() {
  if (!areasLayer || !results) return;
  const code = document.getElementById("map-measure").value;
  const q = results.questions.find((x) => x.code === code);
  const counts = Object.fromEntries(results.areas.map((a) => [a.id, a.responses]));
  const breaks = classBreaks(Object.values(counts));
  const fill = (id) => {
    if (!q) return colourFor(counts[id], breaks);
    const leading = q.by_area[String(id)].leading;
    return leading ? CHOICE_COLOURS[q.values.findIndex((v) => v.key === leading) % CHOICE_COLOURS.length] : NONE;
  };
  areasLayer.eachLayer((layer) => {
    const id = layer.feature.properties.id;
    layer.setStyle({ fillColor: fill(id), fillOpacity: 0.7 });
    const lead = q && q.values.find((v) => v.key === q.by_area[String(id)].leading);
    layer.bindPopup(() => h("div", {}, h("strong", {}, areaName(id)), h("br"),
      fmt(gettext("%(n)s responses"), { n: counts[id] }), lead ? [h("br"), lead.name] : ""));
  });
  if (q) legend([...q.values.map((v, i) => [CHOICE_COLOURS[i % CHOICE_COLOURS.length], v.name]), [NONE, gettext("No answer or a tie")]]);
  else {
    const palette = PALETTE.slice(PALETTE.length - breaks.length);
    let low = 0;
    legend([[NONE, gettext("No response")], ...breaks.map((b, i) => {
      const item = [palette[i], fmt(gettext("%(low)s to %(high)s responses"), { low: formatNumber(low), high: formatNumber(b) })];
      low = b;
      return item;
    })]);
  }
}

async function showResults() {
  results = await api(`${BASE}results/`);
  document.getElementById("results-figures").textContent = fmt(gettext("%(n)s responses"), { n: results.responses });
  const select = document.getElementById("map-measure");
  select.replaceChildren(select.options[0], ...results.questions.filter((q) => q.values.length).map((q) => h("option", { value: q.code }, q.label)));
  select.onchange = colourAreas;
  document.getElementById("results-questions").replaceChildren(...results.questions.map(questionResult));
  document.getElementById("results-csv").href = `${BASE}results/csv/`;
  const raw = document.getElementById("answers-csv");
  raw.href = `${BASE}answers/csv/`;
  raw.hidden = !consultation.staff;
  document.getElementById("results").hidden = false;
  colourAreas();
}

async function showAreas() {
  const collection = await api(`${BASE}areas/`);
  areasLayer = L.geoJSON(collection, { style: () => ({ color: "#374151", weight: 1, fillColor: NONE, fillOpacity: 0.3 }) }).addTo(map);
  if (collection.features.length) map.fitBounds(areasLayer.getBounds(), { maxZoom: 15 });
}

function render(c) {
  consultation = c;
  document.title = `${c.title} · Komin`;
  document.getElementById("sample").hidden = !c.sample;
  document.getElementById("consultation-title").textContent = c.title;
  document.getElementById("consultation-state").textContent = STATES[c.state] || c.state;
  document.getElementById("consultation-window").textContent = fmt(gettext("from %(start)s to %(end)s"), { start: formatDate(c.opens_at), end: formatDate(c.closes_at) });
  document.getElementById("consultation-description").textContent = c.description;
  document.getElementById("consultation-anonymous").hidden = !c.anonymous;
}

async function start() {
  render(await api(BASE));
  await showAreas();
  const loggedIn = Boolean(config.username);
  if (consultation.state === "open" && consultation.answered) document.getElementById("already-answered").hidden = false;
  else if (consultation.state === "open" && !loggedIn) document.getElementById("log-in-first").hidden = false;
  else if (consultation.state === "open") answerForm();
  if (consultation.results_visible) await showResults();
  else document.getElementById("results-later").hidden = false;
  article.setAttribute("aria-busy", "false");
}

start().catch((err) => {
  article.setAttribute("aria-busy", "false");
  article.prepend(h("p", { class: "notice error" }, errorText(err)));
});
