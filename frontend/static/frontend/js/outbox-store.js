// The outbox: writes made offline (reports with their photos, crews' status changes),
// kept in IndexedDB and sent in order when the network returns, each with its own
// Idempotency-Key so that a resend never makes a second report or change.
// A classic script: the pages import it and the service worker loads it (importScripts).
(function (scope) {
  const DB = "komin";
  const STORE = "outbox";
  const SYNC_TAG = "komin-outbox";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, action) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }

  const all = () => run("readonly", (store) => store.getAll());
  const put = (entry) => run("readwrite", (store) => store.put(entry));
  const remove = (id) => run("readwrite", (store) => store.delete(id));

  function newKey() {
    return scope.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  }

  // entry: {url, fields: [[name, value, filename?]], kind, label, reference?, csrf, ifMatch?}
  async function add(entry) {
    const stored = { ...entry, key: newKey(), state: "waiting", created: new Date().toISOString() };
    stored.id = await put(stored);
    return stored;
  }

  function changed(detail) {
    if (scope.document) scope.dispatchEvent(new CustomEvent("komin-outbox", { detail }));
    else if (scope.clients) scope.clients.matchAll().then((list) => list.forEach((c) => c.postMessage({ type: "komin-outbox", ...detail })));
  }

  // One entry, once: "sent", "conflict" (the ticket changed meanwhile), "refused" (4xx)
  // or "offline" (no answer, or the server unavailable: try again later).
  async function send(entry, csrf) {
    const body = new FormData();
    for (const [name, value, filename] of entry.fields) {
      if (filename) body.append(name, value, filename);
      else body.append(name, value);
    }
    const headers = { Accept: "application/json", "Idempotency-Key": entry.key, "X-CSRFToken": csrf || entry.csrf || "" };
    if (entry.ifMatch) headers["If-Match"] = entry.ifMatch;
    let response;
    try {
      response = await fetch(entry.url, { method: "POST", body, headers, credentials: "same-origin" });
    } catch {
      return "offline";
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408) return "offline";
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    entry.result = data;
    entry.status = response.status;
    entry.state = response.ok ? "sent" : response.status === 409 || response.status === 412 ? "conflict" : "refused";
    entry.sentAt = new Date().toISOString();
    await put(entry);
    return entry.state;
  }

  let flushing = null;
  // Sends what waits, oldest first; stops at the first that finds no network.
  function flush(csrf) {
    if (flushing) return flushing;
    flushing = (async () => {
      const counts = { sent: 0, conflict: 0, refused: 0, offline: 0 };
      const waiting = (await all()).filter((e) => e.state === "waiting").sort((a, b) => a.id - b.id);
      for (const entry of waiting) {
        const outcome = await send(entry, csrf);
        counts[outcome] += 1;
        if (outcome === "offline") break;
      }
      changed(counts);
      return counts;
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  scope.kominOutbox = { SYNC_TAG, add, all, put, remove, send, flush, newKey };
})(self);
