// A job's runs: duration over runs with regressions flagged (the rule is said on the page), a paginated table whose
// model columns are read for the rows on screen only, and a form to compare two runs.
import { getJson, follow } from "./api.js";
import { esc, fmtDuration, fmtTime, fmtPercent, badge, links, query, cssVar } from "./util.js";
import { lineChart } from "./charts.js";

const pageSize = 50;

export async function runsPage({ main, signal }, job) {
  // The table's first page comes first; the chart over every run follows (a job may have 10,000 runs).
  let view = await getJson(`/ui/api/runs?${query({ job, limit: pageSize })}`);
  let page = 0;
  main.innerHTML = `
    <p class="crumbs"><a href="${links.jobs()}">Jobs</a> ›</p>
    <h1>${esc(job)}</h1>
    <section aria-labelledby="h-duration"><h2 id="h-duration">Duration over runs</h2>
      <div class="panel"><div id="duration-chart" role="img" aria-label="Duration of each completed run, regressions marked"></div>
      <p class="legend"><span><span class="swatch" style="background:var(--busy)"></span>duration</span><span><span class="swatch" style="background:var(--alloc)"></span>regression threshold</span><span><span class="swatch" style="background:var(--flag)"></span>regression</span></p>
      <p id="rule" class="muted"></p><p id="regressions"></p></div></section>
    <section aria-labelledby="h-compare"><h2 id="h-compare">Compare two runs</h2>
      <form id="compare" class="toolbar"><label>Run A <select id="compare-a"></select></label><label>Run B <select id="compare-b"></select></label><button type="submit">Compare</button></form></section>
    <section aria-labelledby="h-runs"><h2 id="h-runs">Runs</h2>
      <div class="panel"><table id="runs-table"><thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Start</th><th scope="col" class="num">Duration</th>
        <th scope="col" class="num">Events</th><th scope="col" class="num">Tasks</th><th scope="col" class="num">Failed tasks</th><th scope="col" class="num">Executors</th><th scope="col" class="num">Efficiency</th><th scope="col">Regression</th></tr></thead><tbody></tbody></table>
      <nav class="toolbar" aria-label="Pages of runs"><button type="button" id="prev">Newer</button><span id="page-info" class="muted"></span><button type="button" id="next">Older</button></nav></div></section>`;

  const drawChart = () => {
    const chronological = view.runs.filter(r => r.duration_ms !== null && r.start_time !== null).reverse();
    const xs = chronological.map(r => r.start_time / 1000);
    lineChart(main.querySelector("#duration-chart"), {
      data: [xs, chronological.map(r => r.duration_ms / 1000), chronological.map(r => r.threshold_ms === null ? null : r.threshold_ms / 1000), chronological.map(r => r.regression ? r.duration_ms / 1000 : null)],
      series: [{ label: "duration (s)", color: cssVar("--busy") }, { label: "threshold (s)", color: cssVar("--alloc") }, { label: "regression", color: cssVar("--flag") }],
      scatter: [false, false, true], yLabel: "seconds",
    });
    main.querySelector("#rule").textContent = view.rule + (view.truncated ? " Only the newest runs are shown." : "");
    const flagged = view.runs.filter(r => r.regression);
    main.querySelector("#regressions").innerHTML = flagged.length
      ? `<span class="flag">${flagged.length} regression${flagged.length > 1 ? "s" : ""}:</span> ` + flagged.slice(0, 10).map(r => `<a href="${links.run(job, r.run_id)}">${esc(r.run_id)}</a> (${fmtDuration(r.duration_ms)} &gt; ${fmtDuration(r.threshold_ms)})`).join(", ")
      : "No regression among these runs.";
    const options = view.runs.slice(0, 500).map(r => `<option value="${esc(r.run_id)}">${esc(r.run_id)} — ${fmtDuration(r.duration_ms)}</option>`).join("");
    main.querySelector("#compare-a").innerHTML = options;
    main.querySelector("#compare-b").innerHTML = options;
    if (view.runs.length > 1) main.querySelector("#compare-b").selectedIndex = 1;
  };

  const drawTable = async () => {
    const rows = view.runs.slice(page * pageSize, (page + 1) * pageSize);
    const pages = Math.max(1, Math.ceil(view.runs.length / pageSize));
    main.querySelector("#page-info").textContent = `page ${page + 1} of ${pages} (${view.runs.length} runs)`;
    main.querySelector("#prev").disabled = page === 0;
    main.querySelector("#next").disabled = page >= pages - 1;
    const tbody = main.querySelector("#runs-table tbody");
    tbody.innerHTML = rows.map(r => `<tr data-run="${esc(r.run_id)}"${r.regression ? ' class="regression"' : ""}>
      <td><a href="${links.run(job, r.run_id)}">${esc(r.run_id)}</a></td><td>${badge(r.status)}</td><td>${fmtTime(r.start_time)}</td>
      <td class="num">${fmtDuration(r.duration_ms)}</td><td class="num">${r.event_count}</td>
      <td class="num" data-col="tasks">…</td><td class="num" data-col="failed">…</td><td class="num" data-col="executors">…</td><td class="num" data-col="efficiency">…</td>
      <td>${r.regression ? `<span class="flag">▲ regression</span>` : ""}</td></tr>`).join("");
    if (!rows.length) return;
    const stats = await getJson(`/ui/api/stats?${query({ job, runs: rows.map(r => r.run_id).join(",") })}`);
    for (const s of stats) {
      const tr = [...tbody.rows].find(row => row.dataset.run === s.run_id);
      if (!tr) continue;
      tr.querySelector('[data-col="tasks"]').textContent = s.tasks;
      tr.querySelector('[data-col="failed"]').textContent = s.failed_tasks;
      tr.querySelector('[data-col="executors"]').textContent = s.executors;
      tr.querySelector('[data-col="efficiency"]').textContent = fmtPercent(s.efficiency);
    }
  };

  main.querySelector("#prev").addEventListener("click", () => { page--; drawTable(); });
  main.querySelector("#next").addEventListener("click", () => { page++; drawTable(); });
  main.querySelector("#compare").addEventListener("submit", e => {
    e.preventDefault();
    location.hash = links.compare(job, main.querySelector("#compare-a").value, main.querySelector("#compare-b").value);
  });
  const readAll = async () => {
    view = await getJson(`/ui/api/runs?${query({ job })}`);
    if (signal.aborted) return;
    drawChart();
    performance.mark("sparkwatch-chart");
    await drawTable();
  };
  drawChart();
  drawTable();
  if (view.truncated) readAll();
  follow({ job }, readAll, signal);
}
