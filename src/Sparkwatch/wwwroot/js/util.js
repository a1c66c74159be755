// Small helpers shared by the pages: escaping, formatting, DOM building.

/** Escapes text for HTML. */
export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** A duration in ms as people read it: 850 ms, 12.3 s, 4 min 05 s, 2 h 03 min. */
export function fmtDuration(ms) {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/** Epoch ms as a local date and time. */
export function fmtTime(ms) {
  if (ms === null || ms === undefined) return "—";
  const d = new Date(ms);
  const pad = n => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A ratio as a percentage. */
export function fmtPercent(ratio) {
  return ratio === null || ratio === undefined ? "—" : `${(ratio * 100).toFixed(1)} %`;
}

/** Bytes as KiB/MiB/GiB. */
export function fmtBytes(n) {
  if (n === null || n === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** A status badge. */
export function badge(status) {
  const s = String(status ?? "unknown").toLowerCase();
  return `<span class="badge s-${esc(s)}">${esc(s)}</span>`;
}

/** The hash link of a job, a run, a comparison or a search. */
export const links = {
  jobs: () => "#/",
  job: job => `#/job/${encodeURIComponent(job)}`,
  run: (job, run) => `#/job/${encodeURIComponent(job)}/run/${encodeURIComponent(run)}`,
  compare: (job, a, b) => `#/job/${encodeURIComponent(job)}/compare/${encodeURIComponent(a)}/${encodeURIComponent(b)}`,
  search: (q, job, cursor) => `#/search?${query({ q, job, cursor })}`,
};

/** A query string from an object. */
export function query(params) {
  return new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null)).toString();
}

/** A value of a CSS custom property of the page (chart colours follow the light/dark theme). */
export function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
