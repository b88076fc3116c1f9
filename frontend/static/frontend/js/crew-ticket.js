// A ticket in the field: everything about it, change its status with a note and a photo;
// supervisors also reassign and moderate.
import { answerRows, api, categoryQuestions, config, errorText, fmt, formatDate, h, kindLabel, showMessage, statusBadge, statusLabel } from "./core.js";
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

document.querySelector("#transition input[name=photo]").addEventListener("change", (event) => {
  const file = event.target.files[0];
  document.getElementById("photo-chosen").textContent = file ? file.name : "";
});

document.getElementById("transition").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = new FormData();
  if (form.elements.status.value) body.set("status", form.elements.status.value);
  body.set("version", ticket.version);
  body.set("public_note", form.elements.public_note.value.trim());
  body.set("internal_note", form.elements.internal_note.value.trim());
  if (form.elements.photo.files[0]) body.set("photo", form.elements.photo.files[0]);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  if (form.elements.status.value === "duplicate") body.set("duplicate_of", form.elements.duplicate_of.value.trim());
  try {
    const saved = await api(base + "transition/", { method: "POST", form: body });
    const note = form.elements.public_note.value.trim();
    form.reset();
    showOriginalField();
    document.getElementById("photo-chosen").textContent = "";
    await load();
    confirmSaved(saved, note);
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
