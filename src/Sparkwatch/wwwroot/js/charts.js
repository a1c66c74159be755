// Charts: uPlot for time series (drawn from server-side buckets), SVG for the Gantt timeline and sparklines.
import { esc, cssVar, fmtDuration } from "./util.js";

/** A uPlot chart in container; data is [xs, ...ys]. The container says how many series it drew (for tests and readers). */
export function lineChart(container, { data, series, yLabel, height = 260, scatter = [] }) {
  container.innerHTML = "";
  const width = Math.max(320, container.clientWidth || 800);
  const axisColor = cssVar("--muted");
  const grid = { stroke: cssVar("--line"), width: 1 };
  const opts = {
    width, height,
    // Values start at zero, so a small change does not look like a big one.
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.05] } },
    axes: [{ stroke: axisColor, grid }, { stroke: axisColor, grid, label: yLabel, size: 60 }],
    series: [{}, ...series.map((s, i) => ({
      label: s.label, stroke: s.color, width: 2, fill: s.fill,
      paths: scatter[i] ? () => null : s.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
      points: scatter[i] ? { show: true, size: 7, fill: s.color, stroke: s.color } : { show: false },
    }))],
  };
  const chart = new uPlot(opts, data, container);
  container.dataset.series = String(series.length);
  container.dataset.points = String(data[0].length);
  const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, container.clientWidth), height }));
  resize.observe(container);
  return chart;
}

/** A tiny SVG line of values (null gaps skipped), with a text alternative. */
export function sparkline(values, label) {
  const points = values.map((v, i) => [i, v]).filter(([, v]) => v !== null);
  if (points.length < 2) return `<span class="muted">—</span>`;
  const max = Math.max(...points.map(([, v]) => v)) || 1;
  const w = 100, h = 22, step = w / Math.max(1, values.length - 1);
  const coords = points.map(([i, v]) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`).join(" ");
  return `<svg class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(label)}"><polyline points="${coords}"/></svg>`;
}

/**
 * The Gantt timeline: one row per Spark job, then one per stage attempt, each bar from start to end coloured by status.
 * rows: [{ label, start, end, status, kind }]; from/to: the run's range (epoch ms).
 */
export function gantt(container, rows, from, to) {
  const rowH = 16, labelW = 220, width = Math.max(600, container.clientWidth || 900), plotW = width - labelW - 10;
  const span = Math.max(1, to - from);
  const x = t => labelW + ((t - from) / span) * plotW;
  const height = rows.length * rowH + 24;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(f => `<line class="axis" x1="${labelW + f * plotW}" x2="${labelW + f * plotW}" y1="0" y2="${height - 18}"/>` +
    `<text x="${labelW + f * plotW}" y="${height - 4}" text-anchor="${f === 1 ? "end" : f === 0 ? "start" : "middle"}">${fmtDuration(f * span)}</text>`).join("");
  const bars = rows.map((r, i) => {
    const start = r.start ?? from, end = r.end ?? to;
    const y = i * rowH;
    const status = String(r.status).toLowerCase();
    return `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${esc(r.label.length > 34 ? r.label.slice(0, 33) + "…" : r.label)}</text>` +
      `<rect class="bar ${esc(r.kind)} s-${esc(status)}" x="${x(start).toFixed(1)}" y="${y + 2}" width="${Math.max(2, x(end) - x(start)).toFixed(1)}" height="${rowH - 4}" rx="2">` +
      `<title>${esc(r.label)} — ${esc(status)}, ${fmtDuration(end - start)}</title></rect>`;
  }).join("");
  container.innerHTML = `<svg class="gantt" width="${width}" height="${height}" role="img" aria-label="Timeline of ${rows.length} jobs and stages">${ticks}${bars}</svg>`;
  container.dataset.bars = String(rows.length);
}
