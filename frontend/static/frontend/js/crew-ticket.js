// A ticket in the field: everything about it, change its status with a note and a photo;
// supervisors also reassign and moderate.
import { ApiError, answerRows, api, categoryQuestions, config, errorText, fmt, formatDate, h, kindLabel, showMessage, shrink, statusBadge, statusLabel } from "./core.js";
import { deliver, flushNow, onOutbox } from "./offline.js";
import { createMap } from "./map.js";
import { reportMarker } from "./reports-layer.js";

const reference = config.reference;
const base = `/api/v1/reports/${encodeURIComponent(reference)}/`;
const message = document.getElementById("ticket-message");
const map = createMap(document.getElementById("map"), { zoom: 16 });
let ticket = null;
let questions = [];
let marker = null;

function render(data) {
  ticket = data;
  const article = document.getElementById("ticket");
  article.dataset.status = data.status;
  document.getElementById("ticket-title").textContent = data.category.name;
  document.getElementById("ticket-status").replaceWith(Object.assign(statusBadge(data.status), { id: "ticket-status" }));
  const priority = document.getElementById("ticket-priority");
  priority.textContent = config.priorities[data.priority] || "";
  priority.className = `priority priority-${data.priority}`;
  document.getElementById("ticket-where").textContent = [data.address, data.section && data.section.name, data.commune && data.commune.name, formatDate(data.created_at)].filter(Boolean).join(" · ");
  document.getElementById("directions").href = `geo:${data.location.lat},${data.location.lon}`;
  document.getElementById("ticket-description").textContent = data.description || "";
  document.getElementById("ticket-answers").replaceChildren(...answerRows(data.answers, questions));
  document.getElementById("ticket-photos").replaceChildren(
    ...data.photos.map((p) => h("a", { href: p.url, target: "_blank" }, h("img", { src: p.thumbnail_url, alt: gettext("Photo of the problem"), class: "thumb", loading: "lazy" }))),
  );
  const contact = data.staff && data.staff.contact;
  const box = document.getElementById("ticket-contact");
  box.hidden = !(contact && (contact.name || contact.email || contact.phone));
  if (contact) {
    document.getElementById("contact-lines").replaceChildren(
      contact.name || "",
      contact.phone ? h("span", {}, " · ", h("a", { href: `tel:${contact.phone}` }, contact.phone)) : "",
      contact.email ? h("span", {}, " · ", h("a", { href: `mailto:${contact.email}` }, contact.email)) : "",
    );
  }
  const select = document.getElementById("new-status");
  const moves = config.workflow[data.status] || [];
  select.replaceChildren(h("option", { value: "" }, gettext("No change (comment only)")), ...moves.map((s) => h("option", { value: s }, statusLabel(s))));
  if (marker) marker.remove();
  marker = reportMarker(data).addTo(map);
  map.setView([data.location.lat, data.location.lon], 14);
  if (config.manager) renderManager(data);
  article.setAttribute("aria-busy", "false");
}

function renderHistory(updates) {
  document.getElementById("history").replaceChildren(
    ...updates.map((u) =>
      h("li", { dataset: { kind: u.kind, status: u.status || "" } },
        h("time", { datetime: u.created_at }, formatDate(u.created_at)), " ",
        u.status ? statusBadge(u.status) : h("span", { class: "muted" }, kindLabel(u.kind)),
        u.actor ? h("span", { class: "muted" }, " · ", u.actor) : null,
        u.event_text ? h("p", {}, u.event_text) : null,
        u.public_note ? h("p", {}, u.public_note) : null,
        u.internal_note ? h("p", { class: "muted" }, gettext("Internal note:"), " ", u.internal_note) : null,
        u.photo ? h("img", { src: u.photo.thumbnail_url, alt: gettext("Photo of the work"), class: "thumb", loading: "lazy" }) : null),
    ),
  );
}

async function load() {
  try {
    const data = await api(base);
    questions = await categoryQuestions(data.category.code);
    render(data);
    renderHistory((await api(base + "history/")).updates);
  } catch (err) {
    document.getElementById("ticket-title").textContent = errorText(err);
  }
}

let photo = Promise.resolve(null);
document.querySelector("#transition input[name=photo]").addEventListener("change", (event) => {
  const file = event.target.files[0];
  // Shrunk on the phone before it is kept or sent, as citizens' photos are.
  photo = file ? shrink(file) : Promise.resolve(null);
  document.getElementById("photo-chosen").textContent = file ? file.name : "";
});

// A change kept offline carries the version it was made on (If-Match): if the ticket
// changed meanwhile, the server refuses it (412) and the crew decides here.
function changeFields(values) {
  const fields = [
    ["public_note", values.public_note],
    ["internal_note", values.internal_note],
  ];
  if (values.status) fields.unshift(["status", values.status]);
  if (values.duplicate_of) fields.push(["duplicate_of", values.duplicate_of]);
  if (values.photo) fields.push(["photo", values.photo, values.photo.name]);
  return fields;
}

function transitionEntry(values, version) {
  const what = values.status ? statusLabel(values.status) : gettext("comment");
  return {
    url: `${base}transition/?lang=${config.lang}`,
    fields: changeFields(values),
    kind: "transition",
    label: `${reference} (${what})`,
    reference,
    ifMatch: `"${version}"`,
    values,
  };
}

document.getElementById("transition").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const values = {
    status: form.elements.status.value,
    public_note: form.elements.public_note.value.trim(),
    internal_note: form.elements.internal_note.value.trim(),
    photo: await photo,
  };
  if (values.status === "duplicate") values.duplicate_of = form.elements.duplicate_of.value.trim();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const outcome = await deliver(transitionEntry(values, ticket.version));
    if (outcome.state === "refused") throw new ApiError(outcome.status, outcome.result);
    form.reset();
    showOriginalField();
    photo = Promise.resolve(null);
    document.getElementById("photo-chosen").textContent = "";
    if (outcome.state === "waiting") {
      announce(gettext("No network: the change is kept on this phone and will be sent when the network returns."));
    } else {
      await load();
      confirmSaved(outcome.result || { reference, status: values.status }, values.public_note);
    }
  } catch (err) {
    announce(errorText(err), "error");
  } finally {
    button.disabled = false;
  }
});

// After a save the crew sees what was saved, next to the form: the message is focused
// and scrolled into view (on a phone it would be below the fold), read as a status.
function announce(text, kind = "notice") {
  showMessage(message, text, kind);
  message.scrollIntoView({ block: "nearest" });
  message.focus();
}
function confirmSaved(saved, note) {
  const parts = [fmt(gettext("Saved: %(reference)s is now “%(status)s”."), { reference: saved.reference, status: statusLabel(saved.status) })];
  if (saved.duplicate_of) parts.push(fmt(gettext("Duplicate of %(reference)s."), { reference: saved.duplicate_of }));
  if (note) parts.push(fmt(gettext("Note: %(note)s"), { note }));
  announce(parts.join(" "));
}

// Marking a duplicate asks for the original (the server refuses one without).
function showOriginalField() {
  const duplicate = document.getElementById("new-status").value === "duplicate";
  document.getElementById("original-field").hidden = !duplicate;
  document.getElementById("original-help").hidden = !duplicate;
  document.getElementById("duplicate-of").required = duplicate;
}
document.getElementById("new-status").addEventListener("change", showOriginalField);

const mergeForm = document.getElementById("merge");
if (mergeForm) {
  mergeForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const saved = await api(base + "merge/", { method: "POST", json: { into: mergeForm.elements.into.value.trim(), version: ticket.version } });
      mergeForm.reset();
      await load();
      confirmSaved(saved, "");
    } catch (err) {
      announce(errorText(err), "error");
    }
  });
}

// Changes of this ticket kept on the phone that the server refused because the ticket
// changed meanwhile: shown with both sides, applied again on purpose or discarded.
function renderConflicts({ problems }) {
  const mine = problems.filter((e) => e.kind === "transition" && e.reference === reference && e.state === "conflict");
  const box = document.getElementById("conflicts");
  box.replaceChildren(
    ...mine.map((entry) => {
      const v = entry.values || {};
      return h("div", { class: "card conflict", id: `outbox-${entry.id}`, dataset: { entry: entry.id } },
        h("h2", {}, gettext("Your change was not applied: the ticket changed meanwhile")),
        h("p", {}, fmt(gettext("Your change: %(status)s, made on version %(version)s."), {
          status: v.status ? statusLabel(v.status) : gettext("comment"),
          version: (entry.ifMatch || "").replaceAll('"', ""),
        })),
        v.public_note ? h("p", {}, gettext("Public note:"), " ", v.public_note) : null,
        v.internal_note ? h("p", { class: "muted" }, gettext("Internal note:"), " ", v.internal_note) : null,
        h("p", { class: "muted" }, (entry.result && entry.result.detail) || ""),
        h("p", { class: "row" },
          h("button", { type: "button", class: "primary", onclick: () => applyAgain(entry) }, gettext("Apply my change to the current ticket")),
          h("button", { type: "button", onclick: () => discard(entry) }, gettext("Discard my change"))));
    }),
  );
  box.hidden = !mine.length;
}

async function applyAgain(entry) {
  await load(); // the current version and status, shown above
  const outbox = self.kominOutbox;
  await outbox.remove(entry.id);
  const outcome = await deliver(transitionEntry(entry.values || {}, ticket.version));
  if (outcome.state === "sent") showMessage(message, gettext("Saved."));
  else if (outcome.state === "waiting") showMessage(message, gettext("No network: the change is kept on this phone and will be sent when the network returns."));
  else showMessage(message, errorText(new ApiError(outcome.status, outcome.result)), "error");
  await flushNow();
  await load();
}

async function discard(entry) {
  await self.kominOutbox.remove(entry.id);
  await flushNow();
}

onOutbox((state) => {
  renderConflicts(state);
  if (state.sent.some((e) => e.reference === reference)) load();
});

// Supervisors: reassign and moderate.
function renderManager(data) {
  const teamSelect = document.getElementById("assign-team");
  const memberSelect = document.getElementById("assign-member");
  const teamId = data.staff ? data.staff.team_id : null;
  teamSelect.replaceChildren(h("option", { value: "" }, "—"), ...config.teams.map((t) => h("option", { value: t.id, selected: t.id === teamId }, t.name)));
  const fillMembers = () => {
    const team = config.teams.find((t) => String(t.id) === teamSelect.value);
    memberSelect.replaceChildren(h("option", { value: "" }, gettext("Anyone in the team")), ...(team ? team.members : []).map((m) => h("option", { value: m.id, selected: data.staff && m.id === data.staff.assignee }, m.name)));
  };
  teamSelect.onchange = fillMembers;
  document.getElementById("assign-priority").replaceChildren(
    ...Object.entries(config.priorities).map(([value, label]) => h("option", { value, selected: Number(value) === data.priority }, label)),
  );
  fillMembers();
  const hidden = data.staff && data.staff.hidden;
  document.getElementById("hide-toggle").textContent = hidden ? gettext("Show to the public again") : gettext("Hide from the public");
  document.getElementById("photo-moderation").replaceChildren(
    ...data.photos.map((p) => {
      const button = h("button", { type: "button" }, p.hidden ? gettext("Show this photo") : gettext("Hide this photo"));
      button.addEventListener("click", () => moderate({ hidden: !p.hidden, photo: p.id }));
      return h("div", { class: "row", dataset: { photo: p.id, hidden: p.hidden ? "yes" : "no" } }, h("img", { src: p.thumbnail_url, alt: gettext("Photo of the problem"), class: "thumb" }), button);
    }),
  );
}

async function moderate(body) {
  const reason = document.querySelector("#moderate [name=reason]").value.trim();
  try {
    await api(base + "moderate/", { method: "POST", json: { ...body, reason } });
    await load();
    announce(gettext("Saved."));
  } catch (err) {
    announce(errorText(err), "error");
  }
}

if (config.manager) {
  document.getElementById("assign").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      await api(base + "assign/", {
        method: "POST",
        json: {
          team: Number(form.elements.team.value) || null,
          assignee: Number(form.elements.assignee.value) || null,
          priority: Number(form.elements.priority.value) || null,
          version: ticket.version,
          note: form.elements.note.value.trim(),
        },
      });
      announce(gettext("Reassigned."));
      await load();
    } catch (err) {
      announce(errorText(err), "error");
    }
  });
  document.getElementById("moderate").addEventListener("submit", (event) => {
    event.preventDefault();
    moderate({ hidden: !(ticket.staff && ticket.staff.hidden) });
  });
}

load();
