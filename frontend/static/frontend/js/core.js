// Shared by every page: configuration, translation, API calls, the base map.
export const config = JSON.parse(document.getElementById("komin-config").textContent);
// Strings are marked with the global gettext() of Django's JavaScript catalogue (so that
// makemessages finds them); fmt() fills %(name)s placeholders of a translated string.
const gettext = window.gettext;
export const fmt = (text, values) => window.interpolate(text, values, !Array.isArray(values));

const STATUS = Object.fromEntries(config.statuses.map((s) => [s.code, s]));
export const statusInfo = (code) => STATUS[code] || { code, label: code, colour: "#6b7280", group: "open" };
export const statusLabel = (code) => statusInfo(code).label;
export const statusColour = (code) => statusInfo(code).colour;

export function escapeHtml(text) {
  const div = document.createElement("div");
  div.textContent = text == null ? "" : String(text);
  return div.innerHTML;
}

// h("p", {class: "x"}, "text", child) builds DOM without innerHTML.
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    // Through the CSSOM: the Content-Security-Policy refuses style attributes in markup.
    else if (key === "style") node.style.cssText = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function statusBadge(code) {
  const info = statusInfo(code);
  return h("span", { class: "status", style: `--c:${info.colour}`, dataset: { status: code } }, info.label);
}

// Intl has no Kreyòl formats: Haitian dates are laid out like French ones, with the
// Kreyòl month names put in place of the French.
const intlLang = config.lang === "ht" ? "fr" : config.lang;
const HT_MONTHS = ["janvye", "fevriye", "mas", "avril", "me", "jen", "jiyè", "out", "septanm", "oktòb", "novanm", "desanm"];
// Formatters are kept, one per kind and options: building an Intl formatter costs far more
// than using one, and a table of a few hundred rows built them by the thousand.
const formatters = new Map();
function formatter(Kind, lang, options) {
  const key = `${Kind.name}|${lang}|${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, new Kind(lang, options));
  return formatters.get(key);
}
function formatWhen(date, options) {
  const format = formatter(Intl.DateTimeFormat, intlLang, options);
  if (config.lang !== "ht") return format.format(date);
  const month = Number(formatter(Intl.DateTimeFormat, "en", { month: "numeric", timeZone: format.resolvedOptions().timeZone }).format(date));
  return format.formatToParts(date).map((p) => (p.type === "month" ? HT_MONTHS[month - 1] : p.value.replace("à", "a"))).join("");
}
export function formatDate(iso, withTime = true) {
  if (!iso) return "";
  const options = config.lang !== "ht" ? { dateStyle: "medium", ...(withTime ? { timeStyle: "short" } : {}) }
    : { day: "numeric", month: "short", year: "numeric", ...(withTime ? { hour: "2-digit", minute: "2-digit" } : {}) };
  return formatWhen(new Date(iso), options);
}
export function formatPeriod(iso, period = "week") {
  const options = period === "month" ? { month: "short", year: "2-digit" } : { day: "numeric", month: "short" };
  return formatWhen(new Date(iso + "T12:00:00"), options);
}
export function formatNumber(value, digits = 0) {
  if (value == null || Number.isNaN(value)) return "–";
  return formatter(Intl.NumberFormat, intlLang, { maximumFractionDigits: digits }).format(value);
}
export function formatPercent(share, digits = 0) {
  if (share == null || Number.isNaN(share)) return "–";
  return formatter(Intl.NumberFormat, intlLang, { style: "percent", maximumFractionDigits: digits }).format(share);
}
export function formatHours(hours) {
  if (hours == null) return "–";
  if (hours < 48) return fmt(gettext("%(n)s h"), { n: formatNumber(hours, hours < 10 ? 1 : 0) });
  return fmt(gettext("%(n)s d"), { n: formatNumber(hours / 24, 1) });
}

function cookie(name) {
  const found = document.cookie.split("; ").find((part) => part.startsWith(name + "="));
  return found ? decodeURIComponent(found.split("=")[1]) : "";
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

// fetch() with our language, the CSRF token on writes, and the API's error format.
export async function api(url, { method = "GET", json, form, headers = {}, signal } = {}) {
  const options = { method, headers: { Accept: "application/json", ...headers }, signal, credentials: "same-origin" };
  if (method !== "GET") options.headers["X-CSRFToken"] = cookie("csrftoken");
  if (json !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(json);
  } else if (form) {
    options.body = form;
  }
  const target = new URL(url, location.origin);
  if (!target.searchParams.has("lang") && target.pathname.startsWith("/api/")) target.searchParams.set("lang", config.lang);
  const response = await fetch(target, options);
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export function showMessage(node, text, kind = "notice") {
  node.textContent = text;
  node.className = kind;
  node.hidden = !text;
}

// Explains an API error in the page's language, naming the fields it is about.
export function errorText(error) {
  if (!(error instanceof ApiError)) return gettext("The network is not answering. Check your connection and try again.");
  if (error.status === 429) return gettext("Too many requests: wait a little and try again.");
  if (error.status === 403 || error.status === 401) return gettext("You are not allowed to do this.");
  if (error.status === 409 || error.status === 412) return gettext("Someone else changed this report meanwhile. Reload the page and try again.");
  if (error.status === 413) return gettext("The photo is too large.");
  return gettext("It did not work:") + " " + (error.body.detail || error.message);
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// Gives the main thread back (to paint, to answer a tap) between chunks of a long job:
// a phone's CPU turns one 300 ms task into a second of a page that does not respond.
export function yieldToMain() {
  if (window.scheduler && window.scheduler.yield) return window.scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve));
}

// Runs `draw` once the element comes near the screen (below the fold: not at load).
export function whenVisible(element, draw) {
  if (!("IntersectionObserver" in window)) return draw();
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    draw();
  }, { rootMargin: "200px" });
  observer.observe(element);
}

// Loads a classic script (a Leaflet plug-in) once, only when a page needs it.
const loadedScripts = {};
export function loadScript(src) {
  if (!loadedScripts[src]) {
    loadedScripts[src] = new Promise((resolve, reject) => {
      const script = h("script", { src });
      script.onload = resolve;
      script.onerror = () => reject(new Error("could not load " + src));
      document.head.append(script);
    });
  }
  return loadedScripts[src];
}

// What kind of entry a history line is, in the page's language.
export function kindLabel(kind) {
  const labels = {
    created: gettext("Reported"),
    transition: gettext("Status change"),
    comment: gettext("Comment"),
    assignment: gettext("Assignment"),
    moderation: gettext("Moderation"),
    merge: gettext("Merged duplicate"),
  };
  return labels[kind] || kind;
}

// A report's answers as <dt>/<dd> pairs, labelled with its category's questions.
export function answerRows(answers, questions) {
  const byCode = Object.fromEntries((questions || []).map((q) => [q.code, q]));
  return Object.entries(answers || {}).flatMap(([code, value]) => {
    const q = byCode[code];
    const names = q ? Object.fromEntries(q.values.map((v) => [v.key, v.name])) : {};
    const shown = (Array.isArray(value) ? value : [value]).map((v) => names[v] || v).join(", ");
    return [h("dt", {}, q ? q.text : code), h("dd", {}, shown)];
  });
}

export async function categoryQuestions(code) {
  try {
    const category = await api(`/api/v1/categories/${encodeURIComponent(code)}/`);
    return category.questions || [];
  } catch {
    return [];
  }
}

// Photos are shrunk on the phone before sending (citizens' and crews'): fewer bytes on a
// slow connection, and re-encoding drops the camera's metadata (the server re-encodes
// again anyway).
export async function shrink(file, maxSide = 1600) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size < 1024 * 1024) return file;
    const canvas = h("canvas", { width: Math.round(bitmap.width * scale), height: Math.round(bitmap.height * scale) });
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.82));
    return blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file;
  } catch {
    return file;
  }
}
