// Two runs of a job side by side: durations, stages by id, and the Spark properties that differ (redacted as stored).
import { getJson } from "./api.js";
import { esc, fmtDuration, badge, links, query } from "./util.js";

export async function comparePage({ main }, job, a, b) {
  const v = await getJson(`/ui/api/compare?${query({ job, a, b })}`);
  const delta = (x, y) => x === null || y === null ? "—" : `${y >= x ? "+" : "−"}${fmtDuration(Math.abs(y - x))}`;
  main.innerHTML = `
    <p class="crumbs"><a href="${links.jobs()}">Jobs</a> › <a href="${links.job(job)}">${esc(job)}</a> ›</p>
    <h1>Compare ${esc(a)} and ${esc(b)}</h1>
    <div class="panel"><table id="compare-runs"><thead><tr><th scope="col"></th><th scope="col">A: <a href="${links.run(job, a)}">${esc(a)}</a></th><th scope="col">B: <a href="${links.run(job, b)}">${esc(b)}</a></th><th scope="col">B − A</th></tr></thead>
      <tbody><tr><th scope="row">Status</th><td>${badge(v.a.status)}</td><td>${badge(v.b.status)}</td><td></td></tr>
      <tr><th scope="row">Duration</th><td>${fmtDuration(v.a.duration_ms)}</td><td>${fmtDuration(v.b.duration_ms)}</td><td>${delta(v.a.duration_ms, v.b.duration_ms)}</td></tr>
      <tr><th scope="row">Events</th><td>${v.a.event_count}</td><td>${v.b.event_count}</td><td></td></tr></tbody></table></div>
    <h2>Stages side by side</h2>
    <div class="panel"><table id="compare-stages"><thead><tr><th scope="col">Stage</th><th scope="col">Name</th><th scope="col" class="num">A duration</th><th scope="col" class="num">B duration</th><th scope="col" class="num">B − A</th><th scope="col" class="num">A task time</th><th scope="col" class="num">B task time</th></tr></thead>
      <tbody>${v.stages.map(s => `<tr><td>${s.id}</td><td>${esc(s.name)}</td><td class="num">${fmtDuration(s.a_duration_ms)}</td><td class="num">${fmtDuration(s.b_duration_ms)}</td>
        <td class="num">${delta(s.a_duration_ms, s.b_duration_ms)}</td><td class="num">${fmtDuration(s.a_task_ms)}</td><td class="num">${fmtDuration(s.b_task_ms)}</td></tr>`).join("")}</tbody></table></div>
    <h2>Configuration differences</h2>
    <div class="panel">${v.config.length ? `<table id="compare-config"><thead><tr><th scope="col">Spark property</th><th scope="col">A</th><th scope="col">B</th></tr></thead>
      <tbody>${v.config.map(d => `<tr><td>${esc(d.key)}</td><td>${esc(d.a ?? "(unset)")}</td><td>${esc(d.b ?? "(unset)")}</td></tr>`).join("")}</tbody></table>` : `<p>The two runs have the same Spark properties.</p>`}
      <p class="muted">Values as stored: secrets are redacted at ingest as Spark redacts them.</p></div>`;
}
