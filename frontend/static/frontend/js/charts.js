// Small SVG charts drawn by hand: no chart library to download on a slow connection.
import { formatNumber, formatPeriod } from "./core.js";

const NS = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text != null) node.textContent = text;
  return node;
}

// Grouped columns over time: [{period, <series key>: n}], series [{key, label, colour}].
export function columnChart(rows, series, { title = "", height = 200, period = "week" } = {}) {
  const width = Math.max(320, rows.length * 34 + 60);
  const pad = { left: 34, right: 8, top: 22, bottom: 34 };
  const max = Math.max(1, ...rows.flatMap((r) => series.map((s) => r[s.key])));
  const plotH = height - pad.top - pad.bottom;
  const slot = (width - pad.left - pad.right) / Math.max(rows.length, 1);
  const bar = Math.max(3, (slot - 6) / series.length);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "chart", role: "img", "aria-label": title });
  root.append(svg("title", {}, title));
  for (const tick of [0, Math.ceil(max / 2), max]) {
    const y = pad.top + plotH - (tick / max) * plotH;
    root.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: y, y2: y, stroke: "#e5e7eb" }));
    root.append(svg("text", { x: pad.left - 4, y: y + 4, "text-anchor": "end" }, formatNumber(tick)));
  }
  rows.forEach((row, i) => {
    const x0 = pad.left + i * slot + 3;
    series.forEach((s, j) => {
      const h = (row[s.key] / max) * plotH;
      const rect = svg("rect", { x: x0 + j * bar, y: pad.top + plotH - h, width: bar - 1, height: h, fill: s.colour });
      rect.append(svg("title", {}, `${s.label}: ${row[s.key]}`));
      root.append(rect);
    });
    if (rows.length <= 8 || i % Math.ceil(rows.length / 8) === 0) {
      root.append(svg("text", { x: x0 + slot / 2 - 3, y: height - pad.bottom + 14, "text-anchor": "middle" }, formatPeriod(row.period, period)));
    }
  });
  series.forEach((s, j) => {
    root.append(svg("rect", { x: pad.left + j * 120, y: 4, width: 10, height: 10, fill: s.colour }));
    root.append(svg("text", { x: pad.left + j * 120 + 14, y: 13 }, s.label));
  });
  return root;
}

// Horizontal bars: [{label, value}] with a value formatter.
export function barChart(rows, { title = "", format = (v) => formatNumber(v), colour = "#2563eb" } = {}) {
  const rowH = 24;
  const labelW = 150;
  const width = 460;
  const height = rows.length * rowH + 10;
  const max = Math.max(1, ...rows.map((r) => r.value || 0));
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "chart", role: "img", "aria-label": title });
  root.append(svg("title", {}, title));
  rows.forEach((row, i) => {
    const y = 5 + i * rowH;
    const w = row.value == null ? 0 : ((width - labelW - 70) * row.value) / max;
    root.append(svg("text", { x: labelW - 6, y: y + 15, "text-anchor": "end" }, row.label.length > 24 ? row.label.slice(0, 23) + "…" : row.label));
    root.append(svg("rect", { x: labelW, y: y + 3, width: Math.max(w, 1), height: rowH - 8, fill: colour, rx: 2 }));
    root.append(svg("text", { x: labelW + w + 5, y: y + 15 }, row.value == null ? "–" : format(row.value)));
  });
  return root;
}
