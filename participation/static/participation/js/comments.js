// Comments under a proposal: loaded when opened, a page at a time; residents with an
// account add one under a name they choose (or "Resident").
import { api, config, fmt, formatDate, h } from "/static/frontend/js/core.js";
import { said } from "./phone.js";

function commentItem(c) {
  return h("li", { class: "card" }, h("strong", {}, c.author), " · ", h("span", { class: "muted" }, formatDate(c.created_at)), h("p", {}, c.body));
}

async function showPage(list, more, url, append) {
  const page = await api(url);
  if (!append) list.replaceChildren();
  list.append(...page.results.map(commentItem));
  if (!list.children.length) list.append(h("li", { class: "muted" }, gettext("No comments yet.")));
  more.hidden = !page.next;
  more.onclick = () => showPage(list, more, page.next, true);
}

function commentForm(proposalId, list, more) {
  const note = h("p", { role: "status", hidden: true });
  const url = `/api/v1/participation/proposals/${proposalId}/comments/`;
  const form = h("form", { class: "stack comment-form" },
    h("label", {}, gettext("Your comment"), " ", h("textarea", { name: "body", rows: 2, maxlength: 1000, required: true })),
    h("label", {}, gettext("Name shown (optional)"), " ", h("input", { name: "display_name", maxlength: 60, autocomplete: "nickname" })),
    h("button", { type: "submit" }, gettext("Comment")), note);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api(url, { method: "POST", json: { body: form.elements.body.value, display_name: form.elements.display_name.value } });
      form.reset();
      note.hidden = true;
      await showPage(list, more, url, false);
    } catch (err) {
      note.textContent = said(err);
      note.className = "notice error";
      note.hidden = false;
    }
  });
  return form;
}

export function commentsBox(proposal) {
  const list = h("ul", { class: "plain stack comments" });
  const more = h("button", { type: "button", hidden: true }, gettext("More comments"));
  const box = h("details", { dataset: { comments: proposal.id } },
    h("summary", {}, fmt(gettext("Comments on “%(title)s”"), { title: proposal.title })), list, more,
    config.username ? commentForm(proposal.id, list, more) : "");
  box.addEventListener("toggle", () => {
    if (box.open && !box.dataset.loaded) {
      box.dataset.loaded = "1";
      showPage(list, more, `/api/v1/participation/proposals/${proposal.id}/comments/`, false);
    }
  }, { once: false });
  return box;
}
