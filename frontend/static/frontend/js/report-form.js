// "Report a problem": place, category and its questions, description, photos, contact;
// nearby open reports of the category are offered as "me too" before sending.
import { ApiError, api, config, debounce, errorText, fmt, formatDate, formatNumber, h, showMessage, shrink, statusBadge } from "./core.js";
import { addLocateControl, bindSearch, createMap, coordinatesText, locate } from "./map.js";
import { deliver, keepArea, onOutbox } from "./offline.js";

const MAX_PHOTOS = 3;
const PHOTO_MAX_SIDE = 1600;
const form = document.getElementById("report-form");
const mapElement = document.getElementById("map");
const params = new URLSearchParams(location.search);
const start = params.has("lat") ? [Number(params.get("lat")), Number(params.get("lon"))] : config.center;
const map = createMap(mapElement, { center: start, zoom: Number(params.get("zoom")) || (params.has("lat") ? 15 : config.zoom) });
const where = document.getElementById("where");
const categorySelect = document.getElementById("category");
const questionsBox = document.getElementById("questions");
const nearbyBox = document.getElementById("nearby");
const errorBox = document.getElementById("form-error");
let chosen = null;
let marker = null;
let categories = [];
let photos = [];

// Where the pin is, said in words in #where (a live region: screen readers announce it):
// the chosen street or landmark if any, then the section, commune and département.
const describe = debounce((latlng, label) => {
  api(`/api/v1/areas/lookup/?lat=${latlng.lat.toFixed(6)}&lon=${latlng.lng.toFixed(6)}`)
    .then((data) => {
      if (chosen !== latlng) return; // the pin moved on meanwhile
      const names = (data.areas || []).filter((a) => ["section", "commune", "departement"].includes(a.level)).reverse();
      where.textContent = names.length
        ? [label, ...names.map((a) => a.name)].filter(Boolean).join(", ")
        : gettext("This place is outside the territory we serve. Choose another place.");
      where.classList.toggle("error", !names.length);
      const commune = names.find((a) => a.level === "commune");
      if (commune && commune.pcode) keepArea({ pcode: commune.pcode }); // its map, for offline use
    })
    .catch(() => {});
  checkNearby();
}, 250);

function place(latlng, label = "") {
  chosen = latlng;
  if (!marker) {
    marker = L.marker(latlng, { draggable: true, keyboard: false, title: gettext("The problem is here"), alt: gettext("The problem is here") }).addTo(map);
    marker.on("dragend", () => place(marker.getLatLng()));
  } else {
    marker.setLatLng(latlng);
  }
  mapElement.dataset.chosen = "yes";
  where.textContent = label || coordinatesText(latlng);
  describe(latlng, label);
}

map.on("click", (e) => place(e.latlng));

// Keyboard: on the focused map, Enter (or Space) puts the pin at the centre; once it is
// there the arrow keys move the pin (Shift: further) instead of the map.
const STEPS = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
mapElement.addEventListener("keydown", (event) => {
  if (event.target !== mapElement) return;
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    place(map.getCenter());
  } else if (chosen && STEPS[event.key]) {
    event.preventDefault();
    event.stopImmediatePropagation(); // Leaflet would pan the map
    const step = event.shiftKey ? 50 : 10;
    const [dx, dy] = STEPS[event.key];
    const point = map.latLngToContainerPoint(chosen).add([dx * step, dy * step]);
    const latlng = map.containerPointToLatLng(point);
    if (!map.getBounds().pad(-0.1).contains(latlng)) map.panTo(latlng);
    place(latlng);
  }
}, true);

// Search a street, landmark or place: the map goes there and, for a point, the pin too.
bindSearch(map, document.getElementById("report-search"));
map.on("komin:place", (e) => {
  if (e.place.kind === "area") return;
  place(L.latLng(e.place.lat, e.place.lon), e.place.name);
  if (!form.elements.address.value) form.elements.address.value = e.place.name;
});
addLocateControl(map, (latlng) => place(latlng));
document.getElementById("use-location").addEventListener("click", () => locate(map, (latlng) => place(latlng)));

// Categories in the page's language, with their extra questions.
// On a town hall's page (/c/<slug>/report/): the national catalogue plus its own categories.
api("/api/v1/categories/" + (config.jurisdiction ? `?jurisdiction=${encodeURIComponent(config.jurisdiction.slug)}` : ""))
  .then((data) => {
    // One flat list in the page's language: category groups have no translations yet.
    categories = (Array.isArray(data) ? data : data.results || data.categories || []).slice()
      .sort((a, b) => a.name.localeCompare(b.name, config.lang === "ht" ? "fr" : config.lang));
    categorySelect.append(...categories.map((category) => h("option", { value: category.code }, category.name)));
    if (params.get("category")) categorySelect.value = params.get("category");
    categorySelect.dispatchEvent(new Event("change"));
  })
  .catch((err) => showMessage(errorBox, errorText(err), "error"));

function questionField(question) {
  const name = `q:${question.code}`;
  const label = question.text + (question.required ? " *" : "");
  if (!question.variable) return h("p", { class: "muted" }, question.text);
  switch (question.datatype) {
    case "singlevaluelist":
      return h("label", {}, label,
        h("select", { name, required: question.required },
          h("option", { value: "" }, "—"),
          question.values.map((v) => h("option", { value: v.key }, v.name))));
    case "multivaluelist":
      return h("fieldset", { class: "choices", dataset: { multi: question.code } },
        h("legend", {}, label),
        question.values.map((v) => h("label", {}, h("input", { type: "checkbox", name, value: v.key }), " ", v.name)));
    case "number":
      return h("label", {}, label, h("input", { type: "number", name, step: "any", required: question.required }));
    case "datetime":
      return h("label", {}, label, h("input", { type: "datetime-local", name, required: question.required }));
    case "text":
      return h("label", {}, label, h("textarea", { name, rows: 2, required: question.required }));
    default:
      return h("label", {}, label, h("input", { name, required: question.required }));
  }
}

categorySelect.addEventListener("change", () => {
  const category = categories.find((c) => c.code === categorySelect.value);
  document.getElementById("category-help").textContent = category ? category.description || "" : "";
  questionsBox.replaceChildren(...(category ? category.questions.map(questionField) : []));
  checkNearby();
});

function answers() {
  const category = categories.find((c) => c.code === categorySelect.value);
  const result = {};
  for (const question of category ? category.questions : []) {
    if (!question.variable) continue;
    const name = `q:${question.code}`;
    if (question.datatype === "multivaluelist") {
      const keys = [...form.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`)].map((i) => i.value);
      if (keys.length) result[question.code] = keys;
    } else {
      const field = form.elements[name];
      if (field && field.value !== "") result[question.code] = question.datatype === "number" ? Number(field.value) : field.value;
    }
  }
  return result;
}

// Before sending, each unanswered required question says so next to its field
// (aria-invalid, the message tied by aria-describedby), not in a bubble or a 400.
function missingAnswers() {
  form.querySelectorAll(".field-error").forEach((note) => note.remove());
  form.querySelectorAll("[aria-invalid]").forEach((field) => field.removeAttribute("aria-invalid"));
  const category = categories.find((c) => c.code === categorySelect.value);
  const given = answers();
  const missing = [];
  for (const question of category ? category.questions : []) {
    if (!question.variable || !question.required || given[question.code] !== undefined) continue;
    const field = question.datatype === "multivaluelist"
      ? questionsBox.querySelector(`[data-multi="${CSS.escape(question.code)}"] input`)
      : form.elements[`q:${question.code}`];
    if (!field) continue;
    const id = `missing-${question.code}`;
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", id);
    const where = question.datatype === "multivaluelist" ? field.closest("fieldset") : field;
    where.after(h("span", { class: "field-error", id }, gettext("This question must be answered.")));
    missing.push({ question, field });
  }
  return missing;
}
questionsBox.addEventListener("change", (event) => {
  if (event.target.closest("[aria-invalid], fieldset") && form.querySelector(".field-error")) missingAnswers();
});

// "Me too" instead of a duplicate: open reports of this category close by.
// The pin and the category both ask; the same list is not drawn twice (a second drawing
// wiped the thanks of a "me too" just tapped).
let nearbyShown = "";
async function checkNearby() {
  if (!chosen || !categorySelect.value) {
    nearbyBox.hidden = true;
    nearbyShown = "";
    return;
  }
  const query = `category=${encodeURIComponent(categorySelect.value)}&lat=${chosen.lat.toFixed(6)}&lon=${chosen.lng.toFixed(6)}`;
  if (query === nearbyShown) return;
  try {
    const data = await api(`/api/v1/reports/nearby/?${query}`);
    if (query === nearbyShown) return;
    nearbyShown = query;
    const list = document.getElementById("nearby-list");
    list.replaceChildren(...data.reports.map(nearbyCard));
    nearbyBox.hidden = !data.reports.length;
    showAssets(data.assets || []);
  } catch (err) {
    console.warn("nearby:", err.message);
  }
}

// The category's infrastructure nearby (the water point, the street light...): the
// reporter may say which one is broken; the nearest is not assumed.
function showAssets(assets) {
  const box = document.getElementById("assets");
  document.getElementById("asset-list").replaceChildren(
    ...assets.map((asset) => {
      let attributes = asset.attributes || {};
      if (typeof attributes === "string") {
        try { attributes = JSON.parse(attributes); } catch { attributes = {}; }
      }
      const name = asset.label || attributes.name || attributes.type || `#${asset.id}`;
      const distance = fmt(gettext("%(n)s m away"), { n: formatNumber(asset.distance_m) });
      return h("label", {}, h("input", { type: "radio", name: "asset", value: asset.id }), " ", name, " ", h("span", { class: "muted" }, distance));
    }),
  );
  box.hidden = !assets.length;
  if (!assets.length) form.querySelector("input[name=asset][value='']").checked = true;
}

function nearbyCard(report) {
  const done = h("span", { class: "muted" });
  const button = h("button", { type: "button", class: "primary" }, gettext("Me too"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const body = form.elements.email.value ? { email: form.elements.email.value } : {};
      const result = await api(`/api/v1/reports/${encodeURIComponent(report.reference)}/support/`, { method: "POST", json: body });
      done.textContent = result.counted === false
        ? gettext("You had already said so: thank you.")
        : fmt(gettext("Thank you: %(n)s people have this problem."), { n: result.support_count ?? report.support_count + 1 });
    } catch (err) {
      done.textContent = errorText(err);
      button.disabled = false;
    }
  });
  return h("li", { class: "card" },
    h("p", {}, statusBadge(report.status), " ", h("strong", {}, report.category.name), " · ", h("span", { class: "muted" }, formatDate(report.created_at, false))),
    report.description ? h("p", {}, report.description.slice(0, 200)) : null,
    h("p", { class: "row" }, button, h("a", { href: `/r/${encodeURIComponent(report.reference)}/`, target: "_blank" }, report.reference), done));
}

document.getElementById("photos").addEventListener("change", async (event) => {
  const files = [...event.target.files].slice(0, MAX_PHOTOS);
  photos = await Promise.all(files.map((file) => shrink(file, PHOTO_MAX_SIDE)));
  document.getElementById("photo-previews").replaceChildren(
    ...photos.map((file) => h("img", { src: URL.createObjectURL(file), alt: gettext("Photo to send"), class: "thumb" })),
  );
  if (event.target.files.length > MAX_PHOTOS) showMessage(errorBox, fmt(gettext("Only the first %(n)s photos will be sent."), { n: MAX_PHOTOS }), "notice");
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  showMessage(errorBox, "");
  if (!chosen) return showMessage(errorBox, gettext("Tap the map where the problem is, or use your location."), "error");
  if (!categorySelect.value) return showMessage(errorBox, gettext("Choose a category."), "error");
  const missing = missingAnswers();
  if (missing.length) {
    showMessage(errorBox, fmt(gettext("Answer the question “%(question)s”."), { question: missing[0].question.text }), "error");
    return missing[0].field.focus();
  }
  if (!form.reportValidity()) return;
  // Kept as fields (photos as files) so that the outbox can send them later.
  const fields = [
    ["category", categorySelect.value],
    ["lat", chosen.lat.toFixed(6)],
    ["lon", chosen.lng.toFixed(6)],
    ...["description", "address", "name", "email", "phone"].map((field) => [field, form.elements[field].value.trim()]),
    ["answers", JSON.stringify(answers())],
  ];
  const asset = form.querySelector("input[name=asset]:checked");
  if (asset && asset.value) fields.push(["asset", asset.value]);
  for (const photo of photos) fields.push(["photos", photo, photo.name]);
  const send = document.getElementById("send");
  send.disabled = true;
  send.textContent = gettext("Sending…");
  try {
    const label = categorySelect.selectedOptions[0] ? categorySelect.selectedOptions[0].textContent : gettext("a report");
    const outcome = await deliver({ url: `/api/v1/reports/?lang=${config.lang}`, fields, kind: "report", label });
    if (outcome.state === "waiting") {
      form.hidden = true;
      document.getElementById("kept").hidden = false;
      window.scrollTo(0, 0);
      return;
    }
    if (outcome.state !== "sent") throw new ApiError(outcome.status, outcome.result);
    const report = outcome.result;
    const mine = JSON.parse(localStorage.getItem("komin:mine") || "{}");
    mine[report.reference] = report.token;
    localStorage.setItem("komin:mine", JSON.stringify(mine));
    document.getElementById("sent-reference").textContent = report.reference;
    document.getElementById("sent-link").href = `/r/${encodeURIComponent(report.reference)}/#token=${encodeURIComponent(report.token)}`;
    form.hidden = true;
    const sent = document.getElementById("sent");
    sent.hidden = false;
    sent.scrollIntoView({ block: "start" });
    sent.focus();
  } catch (err) {
    showMessage(errorBox, errorText(err), "error");
  } finally {
    send.disabled = false;
    send.textContent = gettext("Send the report");
  }
});

if (params.has("at")) place(L.latLng(start[0], start[1]));

// Reports sent from this browser (their tracking links are kept only here), also those
// the outbox sent later.
function showMine() {
  const mine = Object.entries(JSON.parse(localStorage.getItem("komin:mine") || "{}"));
  document.getElementById("mine-list").replaceChildren(
    ...mine.reverse().slice(0, 20).map(([reference, token]) =>
      h("li", {}, h("a", { href: `/r/${encodeURIComponent(reference)}/#token=${encodeURIComponent(token)}` }, reference))),
  );
  document.getElementById("mine").hidden = !mine.length;
}
showMine();
onOutbox(showMine);
