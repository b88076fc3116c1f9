// Live updates of tickets (GET /api/v1/events/, Server-Sent Events): calls onReport for
// each change the person may see, once per change. EventSource reconnects by itself
// with Last-Event-ID after a network drop or when the server ends a stream; if the
// server refuses (too many streams open), a new EventSource starts later from the last
// id seen (?last_event_id=), so that no change is lost either way.
const seen = new Set();
let lastId = null;
let retryMs = 5000;

export function subscribe(onReport, { onReset = () => {} } = {}) {
  const url = lastId == null ? "/api/v1/events/" : `/api/v1/events/?last_event_id=${lastId}`;
  const source = new EventSource(url);
  const remember = (event) => {
    if (event.lastEventId) lastId = event.lastEventId;
  };
  source.addEventListener("ready", (event) => { remember(event); retryMs = 5000; document.body.dataset.live = "on"; });
  source.addEventListener("bye", remember);
  source.addEventListener("reset", (event) => { remember(event); onReset(); });
  source.addEventListener("report", (event) => {
    remember(event);
    const change = JSON.parse(event.data);
    if (seen.has(change.id)) return; // a repeat sent in case of a late commit
    seen.add(change.id);
    onReport(change);
  });
  source.addEventListener("error", () => {
    if (source.readyState !== EventSource.CLOSED) return; // reconnecting by itself
    document.body.dataset.live = "off";
    setTimeout(() => subscribe(onReport, { onReset }), retryMs);
    retryMs = Math.min(retryMs * 2, 120000);
  });
  return source;
}

// A small notice ("New ticket …") that goes away by itself.
export function notify(text) {
  let box = document.getElementById("live-notice");
  if (!box) {
    box = document.createElement("div");
    box.id = "live-notice";
    box.className = "live-notice";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    document.body.append(box);
  }
  box.textContent = text;
  box.hidden = false;
  clearTimeout(box.timer);
  box.timer = setTimeout(() => { box.hidden = true; }, 8000);
}
