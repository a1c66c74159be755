// A run: header (status, last heard, duration, attempts), efficiency with its formula, the jobs/stages timeline,
// executor cores allocated vs busy, slowest stages with skew, failures (each linked to a search for it), executors,
// links to the raw documents, and a search of the job's events.
// Everything is computed by the service (/ui/api/run); a running run's page re-reads it when the stream says so.
import { getJson, follow } from "./api.js";
import { esc, fmtDuration, fmtTime, fmtPercent, fmtBytes, badge, links, query, cssVar } from "./util.js";
import { gantt, lineChart } from "./charts.js";

export async function runPage({ main, signal }, job, run) {
  const read = () => getJson(`/ui/api/run?${query({ job, run })}`);
  let view = await read();
  let readAt = Date.now();
  const draw = () => {
    main.innerHTML = render(job, run, view);
    wireSearch(main);
    if (view.cores) drawCharts(main, view);
  };
  draw();
  const tick = setInterval(() => {
    const heard = main.querySelector("#last-heard");
    if (heard) heard.textContent = ago(view.last_heard_ms_ago + (Date.now() - readAt));
  }, 1000);
  signal.addEventListener("abort", () => clearInterval(tick));
  follow({ job, run }, async () => { view = await read(); readAt = Date.now(); if (!signal.aborted) draw(); }, signal);
}

function ago(ms) {
  return `${fmtDuration(Math.max(0, ms))} ago`;
}

function render(job, run, v) {
  const r = v.run;
  const events = `/job/${encodeURIComponent(job)}/${encodeURIComponent(run)}`;
  const app = v.app_ref ? `/api/v1/applications/${encodeURIComponent(v.app_ref)}` : null;
  const types = ["SparkListenerJobEnd", "SparkListenerStageCompleted", "SparkListenerExecutorAdded", "SparkListenerExecutorRemoved", "SparkListenerTaskEnd"];
  const e = v.efficiency;
  return `
    <p class="crumbs"><a href="${links.jobs()}">Jobs</a> › <a href="${links.job(job)}">${esc(job)}</a> ›</p>
    <h1>${esc(run)}</h1>
    <ul class="facts" aria-label="Run facts">
      <li><span class="k">Status</span><span class="v" id="run-status">${badge(r.status)}</span></li>
      <li><span class="k">Last heard</span><span class="v" id="last-heard">${ago(v.last_heard_ms_ago)}</span></li>
      <li><span class="k">Duration</span><span class="v" id="run-duration" data-ms="${r.duration_ms ?? ""}">${fmtDuration(r.duration_ms)}</span></li>
      <li><span class="k">Attempts</span><span class="v">${v.attempts}</span></li>
      <li><span class="k">Started</span><span class="v">${fmtTime(r.start_time)}</span></li>
      <li><span class="k">Events</span><span class="v" id="run-events">${r.event_count}</span></li>
      <li><span class="k">Stages</span><span class="v" id="stage-count">${v.stages.length}</span></li>
      <li><span class="k">Tasks</span><span class="v">${v.tasks} (${v.failed_tasks} failed)</span></li>
      <li><span class="k">Application</span><span class="v">${esc(r.app_id ?? "—")}</span></li>
    </ul>
    ${v.model_on ? "" : `<p class="panel" role="note">This Sparkwatch does not keep the run model (<code>Sparkwatch:RunModel</code> is off), so the timeline, executor and efficiency sections stay empty. Start it with <code>--Sparkwatch:RunModel=true</code>, and run <code>sparkwatch rebuild</code> for runs stored before.</p>`}
    <section aria-labelledby="h-eff"><h2 id="h-eff">Efficiency</h2><div class="panel">
      ${e ? `<p><span class="big" id="efficiency" data-value="${e.value ?? ""}">${fmtPercent(e.value)}</span> of the executor cores' time was spent running tasks.</p>
      <p class="formula">${esc(e.formula)}<br>= ${fmtDuration(e.task_ms)} ÷ ${fmtDuration(e.core_ms)}</p>
      <p>Idle core time: ${fmtDuration(e.idle_ms)}, of which ${fmtDuration(e.idle_without_tasks_ms)} while no task ran at all (e.g. driver-side work, waiting for executors, or executors kept after the last stage).</p>`
      : `<p class="muted">No executor has reported yet.</p>`}</div></section>
    <section aria-labelledby="h-exec"><h2 id="h-exec">Executor cores over time</h2><div class="panel">
      <div id="cores-chart" role="img" aria-label="Executor cores allocated and cores busy with tasks over the run"></div>
      <p class="muted">Allocated: the cores of every executor while it was up. Busy: each stage's task time spread evenly over the time its tasks ran. The gap between the two is idle capacity. ${v.cores ? `One point per ${fmtDuration(v.cores.bucket_ms)}.` : ""}</p></div></section>
    <section aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline of jobs and stages</h2><div class="panel">
      <p class="legend"><span><span class="swatch" style="background:var(--ok)"></span>succeeded</span><span><span class="swatch" style="background:var(--run)"></span>running</span><span><span class="swatch" style="background:var(--fail)"></span>failed</span><span><span class="swatch" style="background:var(--skip)"></span>skipped / pending</span></p>
      <div id="timeline"></div>${v.stages_truncated ? `<p class="muted">Only the first ${v.stages.length} stage attempts are drawn.</p>` : ""}</div></section>
    <section aria-labelledby="h-slow"><h2 id="h-slow">Slowest stages and skew</h2><div class="panel">
      <table id="slowest"><thead><tr><th scope="col">Stage</th><th scope="col">Name</th><th scope="col" class="num">Duration</th><th scope="col" class="num">Tasks</th><th scope="col" class="num">Median task</th><th scope="col" class="num">Max task</th><th scope="col" class="num">Skew (max ÷ median)</th></tr></thead>
      <tbody>${v.slowest.map(s => `<tr><td>${s.id}.${s.attempt}</td><td>${esc(s.name)}</td><td class="num">${fmtDuration(s.duration_ms)}</td><td class="num">${s.num_tasks}</td>
        <td class="num">${fmtDuration(s.median_task_ms)}</td><td class="num">${fmtDuration(s.max_task_ms)}</td>
        <td class="num">${s.median_task_ms > 0 ? (s.max_task_ms / s.median_task_ms).toFixed(1) + "×" : "—"}</td></tr>`).join("")}</tbody></table>
      <p class="muted">Task time is executor run time; a skew far above 1× means one task held the stage up.</p></div></section>
    <section aria-labelledby="h-fail"><h2 id="h-fail">Failures</h2><div class="panel">
      ${v.failures.length ? `<ul id="failures">${v.failures.map(f => `<li><strong>${esc(f.what)}</strong>: ${esc(f.reason || "no reason given")}${f.reason ? ` <a class="needs-search" href="${links.search(firstLine(f.reason))}">runs with this error</a>` : ""}</li>`).join("")}</ul>` : `<p id="failures">No failure.</p>`}</div></section>
    <section aria-labelledby="h-executors"><h2 id="h-executors">Executors</h2><div class="panel">
      <table><thead><tr><th scope="col">Executor</th><th scope="col">Host</th><th scope="col" class="num">Cores</th><th scope="col">Added</th><th scope="col">Removed</th><th scope="col" class="num">Tasks</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Task time</th><th scope="col" class="num">Peak JVM heap</th><th scope="col" class="num">Peak RSS</th></tr></thead>
      <tbody>${v.executors.map(x => `<tr><td>${esc(x.id)}</td><td>${esc(x.host_port)}</td><td class="num">${x.cores}</td><td>${fmtTime(x.added)}</td><td>${x.removed ? fmtTime(x.removed) + (x.remove_reason ? ` (${esc(x.remove_reason)})` : "") : "—"}</td>
        <td class="num">${x.total_tasks}</td><td class="num">${x.failed_tasks}</td><td class="num">${fmtDuration(x.task_time)}</td><td class="num">${fmtBytes(x.peak_heap)}</td><td class="num">${fmtBytes(x.peak_rss)}</td></tr>`).join("")}</tbody></table></div></section>
    <section aria-labelledby="h-links"><h2 id="h-links">Raw documents</h2>
      <ul class="links"><li><a href="${events}/events">all events (NDJSON)</a></li>
        ${types.map(t => `<li><a href="${events}/events?type=${t}">${t.replace("SparkListener", "")} events</a></li>`).join("")}
        <li><a href="${events}/summary">run summary</a></li><li><a href="${events}">run facts</a></li>
        ${app ? ["", "/jobs", "/stages", "/executors", "/environment"].map(p => `<li><a href="${app}${p}">/api/v1 ${p ? p.slice(1) : "application"}</a></li>`).join("") : ""}</ul>
      <p class="muted">These open the API directly; with read keys on, use a client that sends the X-API-key header.</p>
      <form id="search-job" class="needs-search" role="search" data-job="${esc(job)}">
        <label for="search-job-q">Search the events of ${esc(job)}</label>
        <input id="search-job-q" name="q" type="search" required>
        <button type="submit">Search</button>
      </form></section>`;
}

/** A failure reason's first line, at most 200 characters: enough to find the same error in other runs. */
function firstLine(reason) {
  return reason.split("\n")[0].slice(0, 200);
}

/** The job-scoped search form opens the search page for this job. */
function wireSearch(main) {
  const form = main.querySelector("#search-job");
  form?.addEventListener("submit", event => {
    event.preventDefault();
    location.hash = links.search(form.elements.q.value, form.dataset.job);
  });
}

function drawCharts(main, v) {
  const rows = [
    ...v.jobs.map(j => ({ label: `job ${j.id} ${j.name}`, start: j.start, end: j.end, status: j.status, kind: "job" })),
    ...v.stages.map(s => ({ label: `stage ${s.id}.${s.attempt} ${s.name}`, start: s.first_launch ?? s.start, end: s.end, status: s.status, kind: "stage" })),
  ];
  gantt(main.querySelector("#timeline"), rows, v.from, v.to);
  const c = v.cores;
  lineChart(main.querySelector("#cores-chart"), {
    data: [c.t.map(t => t / 1000), c.allocated, c.busy],
    series: [
      { label: "cores allocated", color: cssVar("--alloc"), stepped: true },
      { label: "cores busy with tasks", color: cssVar("--busy"), fill: cssVar("--busy") + "55", stepped: true },
    ],
    yLabel: "cores",
  });
}
