// The jobs page: every job with its latest run, run count, last duration, a sparkline of recent durations and
// incomplete runs; filter, sort, and live (re-read when the service commits new events).
import { getJson, follow } from "./api.js";
import { esc, fmtDuration, fmtTime, badge, links } from "./util.js";
import { sparkline } from "./charts.js";

const columns = [
  ["name", "Job", j => j.name],
  ["latest_status", "Latest run", j => j.latest_status ?? ""],
  ["run_count", "Runs", j => j.run_count],
  ["last_duration_ms", "Last duration", j => j.last_duration_ms ?? -1],
  ["recent", "Recent durations", null],
  ["recent_incomplete", "Incomplete (last 20)", j => j.recent_incomplete],
  ["last_seen_at", "Last heard", j => j.last_seen_at],
];

export async function jobsPage({ main, signal }) {
  const state = { filter: "", sort: "last_seen_at", descending: true, jobs: await getJson("/ui/api/jobs") };
  main.innerHTML = `
    <h1>Jobs</h1>
    <div class="toolbar">
      <label>Filter by name <input id="job-filter" type="search" autocomplete="off"></label>
      <span id="job-count" class="muted" aria-live="polite"></span>
    </div>
    <div class="panel"><table id="jobs-table"><caption class="muted" style="text-align:left">Every job Sparkwatch has heard from. Select a column title to sort.</caption>
      <thead><tr>${columns.map(([key, title, value]) => value
        ? `<th scope="col" class="${key === "name" || key === "latest_status" ? "" : "num"}" data-key="${key}"><button type="button">${title}</button></th>`
        : `<th scope="col">${title}</th>`).join("")}</tr></thead><tbody></tbody></table></div>`;
  const draw = () => {
    const value = columns.find(c => c[0] === state.sort)[2];
    const rows = state.jobs.filter(j => j.name.toLowerCase().includes(state.filter.toLowerCase()))
      .sort((a, b) => { const x = value(a), y = value(b); return (x < y ? -1 : x > y ? 1 : 0) * (state.descending ? -1 : 1); });
    main.querySelector("#job-count").textContent = `${rows.length} of ${state.jobs.length} jobs`;
    main.querySelectorAll("th[data-key]").forEach(th => th.setAttribute("aria-sort", th.dataset.key === state.sort ? (state.descending ? "descending" : "ascending") : "none"));
    main.querySelector("#jobs-table tbody").innerHTML = rows.map(j => `<tr data-job="${esc(j.name)}">
      <td><a href="${links.job(j.name)}">${esc(j.name)}</a></td>
      <td>${j.latest_run ? `${badge(j.latest_status)} <a href="${links.run(j.name, j.latest_run)}">${esc(j.latest_run)}</a>` : "—"}</td>
      <td class="num">${j.run_count}</td>
      <td class="num">${fmtDuration(j.last_duration_ms)}</td>
      <td>${sparkline(j.recent_durations, `Durations of the last ${j.recent_durations.length} runs of ${j.name}`)}</td>
      <td class="num">${j.recent_incomplete}</td>
      <td class="num">${fmtTime(j.last_seen_at)}</td></tr>`).join("");
  };
  main.querySelector("#job-filter").addEventListener("input", e => { state.filter = e.target.value; draw(); });
  main.querySelectorAll("th[data-key] button").forEach(button => button.addEventListener("click", () => {
    const key = button.parentElement.dataset.key;
    state.descending = state.sort === key ? !state.descending : key !== "name";
    state.sort = key;
    draw();
  }));
  draw();
  follow({}, async () => { state.jobs = await getJson("/ui/api/jobs"); if (!signal.aborted) draw(); }, signal);
}
