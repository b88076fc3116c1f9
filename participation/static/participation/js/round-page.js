// One participatory budget round: its proposals on the map with their cost; in the
// proposals phase a form (with a point tapped on the map), in the voting phase a ballot
// with a running total against the budget, in the results phase the numbers behind them.
import { api, config, errorText, fmt, formatDate, formatNumber, h, showMessage } from "/static/frontend/js/core.js";
import { createMap, fitPoints } from "/static/frontend/js/map.js";
import { commentsBox } from "./comments.js";
import { phoneForm, phoneVerified } from "./phone.js";

const article = document.getElementById("budget-round");
const message = document.getElementById("round-message");
const map = createMap(document.getElementById("map"), { zoom: 13 });
const markers = L.layerGroup().addTo(map);
const URL_ROUND = `/api/v1/participation/rounds/${encodeURIComponent(config.slug)}/`;
const PHASES = { proposals: gettext("Proposals open"), review: gettext("Technical review"), voting: gettext("Voting open"), results: gettext("Results") };
const STATUSES = { submitted: gettext("submitted"), accepted: gettext("accepted"), merged: gettext("merged") };
let round = null;
const gourdes = (value) => `${formatNumber(Number(value), 0)} HTG`;
let picked = null;

function proposalItem(p) {
  return h("li", { dataset: { proposal: p.id } },
    h("strong", {}, p.title), " · ", gourdes(p.estimated_cost), " · ", h("span", { class: "muted" }, STATUSES[p.status] || p.status),
    p.project ? [" · ", h("a", { href: `/projects/${p.project}/` }, gettext("the project"))] : "",
    p.description ? h("p", {}, p.description) : "", commentsBox(p));
}

function showOnMap(proposals) {
  markers.clearLayers();
  const points = proposals.filter((p) => p.location).map((p) => {
    const latlng = [p.location.lat, p.location.lon];
    L.circleMarker(latlng, { radius: 9, color: "#fff", weight: 2, fillColor: "#7c3aed", fillOpacity: 0.95 })
      .bindPopup(() => h("div", {}, h("strong", {}, p.title), h("br"), gourdes(p.estimated_cost))).addTo(markers);
    return latlng;
  });
  if (points.length) fitPoints(map, points);
}

function total(form) {
  const chosen = [...form.querySelectorAll("input[type=checkbox]:checked")];
  const sum = chosen.reduce((acc, box) => acc + Number(box.dataset.cost), 0);
  const budget = Number(round.amount);
  const fits = round.max_choices ? chosen.length <= round.max_choices : sum <= budget;
  const line = document.getElementById("running-total");
  line.textContent = round.max_choices
    ? fmt(gettext("%(n)s of at most %(max)s chosen"), { n: chosen.length, max: round.max_choices })
    : fmt(gettext("%(sum)s of %(budget)s"), { sum: gourdes(sum), budget: gourdes(budget) });
  line.className = fits ? "notice" : "notice error";
  if (!fits) line.append(h("br"), gettext("Over the budget: remove a proposal."));
  form.querySelector("button[type=submit]").disabled = !chosen.length || !fits;
}

function ballot(accepted) {
  const form = document.getElementById("ballot");
  document.getElementById("ballot-rule").textContent = round.max_choices
    ? fmt(gettext("Choose up to %(max)s proposals."), { max: round.max_choices })
    : gettext("Choose the proposals you want, as long as their costs fit in the budget.");
  document.getElementById("ballot-choices").replaceChildren(...accepted.map((p) => h("li", {},
    h("label", {}, h("input", { type: "checkbox", value: p.id, dataset: { cost: p.estimated_cost } }), " ", p.title, " · ", gourdes(p.estimated_cost)))));
  form.hidden = false;
  form.onchange = () => total(form);
  form.onsubmit = async (event) => {
    event.preventDefault();
    const proposals = [...form.querySelectorAll("input:checked")].map((box) => Number(box.value));
    try {
      await api(`${URL_ROUND}ballot/`, { method: "POST", json: { proposals } });
      form.hidden = true;
      showMessage(message, gettext("Thank you: your ballot is counted."));
    } catch (err) {
      showMessage(message, errorText(err), "notice error");
    }
  };
  total(form);
}

function proposeForm() {
  const form = document.getElementById("propose");
  form.hidden = false;
  let pin = null;
  map.on("click", (event) => {
    picked = event.latlng;
    if (pin) pin.setLatLng(picked);
    else pin = L.marker(picked).addTo(map);
    document.getElementById("propose-point").textContent = gettext("Place chosen: tap again to move it.");
  });
  form.onsubmit = async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { title: data.get("title").trim(), description: data.get("description").trim(), estimated_cost: data.get("estimated_cost") };
    if (picked) Object.assign(body, { lon: picked.lng, lat: picked.lat });
    try {
      render(await api(`${URL_ROUND}proposals/`, { method: "POST", json: body }));
      form.reset();
      showMessage(message, gettext("Thank you: your proposal is sent. The town hall reviews it before the vote."));
    } catch (err) {
      showMessage(message, errorText(err), "notice error");
    }
  };
}

async function results() {
  const r = await api(`${URL_ROUND}results/`);
  document.getElementById("results-figures").textContent = fmt(gettext("%(ballots)s ballots counted · %(allocated)s allocated · %(left)s left"),
    { ballots: r.ballots, allocated: gourdes(r.allocated), left: gourdes(r.left) });
  document.querySelector("#results tbody").replaceChildren(...r.proposals.map((p) => h("tr", { dataset: { funded: p.funded } },
    h("td", {}, p.title), h("td", { class: "num" }, p.votes), h("td", { class: "num" }, gourdes(p.estimated_cost)),
    h("td", {}, p.funded ? gettext("Yes") : gettext("No")))));
  document.getElementById("results-rule").textContent = gettext("Funded in order of votes (ties: the cheaper first), each one that still fits in what is left of the budget.");
  document.getElementById("results").hidden = false;
}

function render(r) {
  round = r;
  document.title = `${r.title} · Komin`;
  document.getElementById("sample").hidden = !r.sample;
  document.getElementById("round-title").textContent = r.title;
  document.getElementById("round-phase").textContent = PHASES[r.phase] || r.phase;
  document.querySelector("#round-budget strong").textContent = gourdes(r.amount);
  const dates = document.getElementById("round-dates");
  dates.hidden = !(r.starts_on && r.ends_on);
  if (!dates.hidden) dates.textContent = fmt(gettext("From %(start)s to %(end)s"), { start: formatDate(r.starts_on, false), end: formatDate(r.ends_on, false) });
  document.getElementById("proposals").replaceChildren(...(r.proposals.length ? r.proposals.map(proposalItem) : [h("li", { class: "muted" }, gettext("None"))]));
  showOnMap(r.proposals);
}

// A round verified by phone asks for the number first (once per account).
async function voting(accepted) {
  if (round.verification === "phone" && !(await phoneVerified())) phoneForm(round, message, () => ballot(accepted));
  else ballot(accepted);
}

async function start() {
  render(await api(URL_ROUND));
  const loggedIn = Boolean(config.username);
  if ((round.phase === "proposals" || round.phase === "voting") && !loggedIn) document.getElementById("log-in-first").hidden = false;
  else if (round.phase === "proposals") proposeForm();
  else if (round.phase === "voting") await voting(round.proposals.filter((p) => p.status === "accepted"));
  if (round.phase === "results") await results();
  article.setAttribute("aria-busy", "false");
}

start().catch((err) => {
  article.setAttribute("aria-busy", "false");
  article.prepend(h("p", { class: "notice error" }, errorText(err)));
});
