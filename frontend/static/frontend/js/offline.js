// Offline support shared by every page: the service worker, the outbox's visible state
// ("2 waiting to be sent", changes refused or in conflict) and keeping areas for offline.
import "./outbox-store.js";
import { fmt, h } from "./core.js";

const outbox = self.kominOutbox;
const csrf = () => {
  const found = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return found ? decodeURIComponent(found.split("=")[1]) : "";
};

// Registered once the page has loaded: installing it downloads the whole app shell, which
// must not compete with what the first screen needs on a slow connection.
const loaded = document.readyState === "complete" ? Promise.resolve() : new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
export const worker = "serviceWorker" in navigator
  ? loaded.then(() => navigator.serviceWorker.register("/sw.js", { scope: "/" })).then(() => navigator.serviceWorker.ready).catch(() => null)
  : Promise.resolve(null);

// Sends a write through the outbox: at once when the network answers, else kept on this
// phone and sent later (Background Sync where the browser has it, else when the page
// comes back online or into view). Answers {state, result, status}; "waiting" = kept.
export async function deliver({ url, fields, kind, label, reference, ifMatch }) {
  const entry = await outbox.add({ url, fields, kind, label, reference, ifMatch, csrf: csrf() });
  const state = navigator.onLine === false ? "offline" : await outbox.send(entry, csrf());
  if (state === "offline") {
    await askForSync();
    refresh();
    return { state: "waiting", entry };
  }
  // The person is on the page: a refusal is shown there, with their form still filled; a
  // conflict stays in the outbox until they resolve it.
  if (state !== "conflict") await outbox.remove(entry.id);
  refresh();
  return { state, result: entry.result, status: entry.status, entry };
}

async function askForSync() {
  const registration = await worker;
  try {
    if (registration && registration.sync) await registration.sync.register(outbox.SYNC_TAG);
  } catch {
    // no Background Sync here: the page retries when online or focused
  }
}

const listeners = new Set();
// Pages follow what the outbox sends (a crew's ticket page reloads its ticket).
export function onOutbox(listener) {
  listeners.add(listener);
}

let panel = null;
function ensurePanel() {
  if (panel) return panel;
  panel = h("section", { id: "outbox", class: "outbox", "aria-live": "polite", hidden: true });
  document.querySelector("main").prepend(panel);
  return panel;
}

function describe(entry) {
  const detail = entry.result && entry.result.detail ? entry.result.detail : "";
  if (entry.state === "conflict") return fmt(gettext("Not applied: %(what)s changed meanwhile."), { what: entry.label }) + " " + detail;
  return fmt(gettext("Refused: %(what)s."), { what: entry.label }) + " " + detail;
}

// Settles what was sent meanwhile (a report's tracking link is kept on this phone),
// then shows what waits and what needs the person's decision.
export async function refresh() {
  const entries = await outbox.all();
  const sent = entries.filter((e) => e.state === "sent");
  if (sent.length) {
    const mine = JSON.parse(localStorage.getItem("komin:mine") || "{}");
    for (const entry of sent) {
      if (entry.kind === "report" && entry.result && entry.result.reference) mine[entry.result.reference] = entry.result.token;
      await outbox.remove(entry.id);
    }
    localStorage.setItem("komin:mine", JSON.stringify(mine));
  }
  const waiting = entries.filter((e) => e.state === "waiting");
  const problems = entries.filter((e) => e.state === "conflict" || e.state === "refused");
  const box = ensurePanel();
  const items = [];
  if (sent.length) items.push(h("p", { class: "notice", dataset: { outbox: "sent" } }, fmt(ngettext("%(n)s kept change was sent.", "%(n)s kept changes were sent.", sent.length), { n: sent.length })));
  if (waiting.length) {
    items.push(h("p", { class: "notice", dataset: { outbox: "waiting" } },
      fmt(ngettext("%(n)s waiting to be sent", "%(n)s waiting to be sent", waiting.length), { n: waiting.length }), " ",
      h("button", { type: "button", onclick: () => flushNow() }, gettext("Send now"))));
  }
  for (const entry of problems) {
    const actions = [h("button", { type: "button", onclick: () => discard(entry) }, gettext("Discard my change"))];
    if (entry.kind === "transition" && entry.reference) {
      actions.unshift(h("a", { href: `/crew/${encodeURIComponent(entry.reference)}/#outbox-${entry.id}` }, gettext("Open the ticket to resolve")));
    }
    items.push(h("div", { class: "error", dataset: { outbox: entry.state, entry: entry.id } }, h("p", {}, describe(entry)), h("p", { class: "row" }, ...actions)));
  }
  box.replaceChildren(...items);
  box.hidden = !items.length;
  listeners.forEach((listener) => listener({ entries, sent, waiting, problems }));
  return { waiting, problems, sent };
}

async function discard(entry) {
  await outbox.remove(entry.id);
  refresh();
}

export async function flushNow() {
  if (navigator.onLine === false) return refresh();
  await outbox.flush(csrf());
  return refresh();
}

// Keeps URLs for offline use through the service worker; resolves with how many it kept.
export async function keep(cache, urls) {
  const registration = await worker;
  if (!registration || !registration.active) return { kept: 0, total: urls.length };
  return new Promise((resolve) => {
    navigator.serviceWorker.addEventListener("message", function done(event) {
      if (event.data && event.data.type === "kept" && event.data.cache === cache) {
        navigator.serviceWorker.removeEventListener("message", done);
        resolve(event.data);
      }
    });
    registration.active.postMessage({ type: "keep", cache, urls });
  });
}

// The boundary tiles of an area (P-codes or a box) for the map offline.
export async function keepArea(query) {
  const response = await fetch(`/offline/area/?${new URLSearchParams(query)}`);
  if (!response.ok) return { kept: 0, total: 0 };
  return keep("tiles", (await response.json()).tiles);
}

// Logging out forgets the API answers the service worker kept (a crew's tickets hold
// reporters' contacts): a shared phone keeps none of them for the next person. Pages are
// shells without such data and stay for offline use.
const logout = document.querySelector("form.logout");
if (logout && "caches" in window) {
  logout.addEventListener("submit", async (event) => {
    event.preventDefault();
    await caches.delete("komin-api");
    logout.submit();
  }, { once: true });
}

window.addEventListener("online", flushNow);
window.addEventListener("focus", flushNow);
document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && flushNow());
window.addEventListener("komin-outbox", refresh);
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (event) => event.data && event.data.type === "komin-outbox" && refresh());
}
flushNow();
