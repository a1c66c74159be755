// Search: the hits of GET /search (failure reasons, stack traces, names, users and configuration of every run), each
// linked to its run's page and to the run's raw events of that type; 50 a page, the next page through the cursor.
import { getJson } from "./api.js";
import { esc, fmtTime, links, query } from "./util.js";

export async function searchPage({ main }, params) {
  const q = params.get("q") ?? "";
  const job = params.get("job") || undefined;
  const cursor = params.get("cursor") || undefined;
  document.getElementById("search-q").value = q;
  if (!q.trim()) {
    main.innerHTML = `<h1>Search</h1><p class="muted">Type words, an exception's name or a configuration key in the search box above.</p>`;
    return;
  }
  const result = await getJson(`/search?${query({ q, job, cursor, limit: 50 })}`);
  const next = result.next_cursor ? links.search(q, job, result.next_cursor) : null;
  main.innerHTML = `
    <p class="crumbs"><a href="${links.jobs()}">Jobs</a> ›</p>
    <h1>Search: ${esc(q)}</h1>
    ${job ? `<p>In job <a href="${links.job(job)}">${esc(job)}</a> only. <a href="${links.search(q)}">Search every job</a>.</p>` : ""}
    <p class="muted">Failure reasons and stack traces, job, stage and application names, users and configuration of every
      run, best matches first (failures weigh most). Words must all appear; "…" is a phrase; a word ending in * is a prefix.</p>
    ${result.hits.length ? `
    <table id="search-hits"><caption>${result.hits.length} hit${result.hits.length === 1 ? "" : "s"}${cursor ? " on this page" : ""}</caption>
      <thead><tr><th scope="col">Run</th><th scope="col">Event</th><th scope="col">Time</th><th scope="col">Match</th></tr></thead>
      <tbody>${result.hits.map(h => `<tr>
        <td><a href="${links.job(h.job_name)}">${esc(h.job_name)}</a> › <a class="hit-run" href="${links.run(h.job_name, h.run_id)}">${esc(h.run_id)}</a></td>
        <td><a href="${esc(h.link)}">${esc(h.event_type.replace(/^.*SparkListener/, ""))}</a><br><span class="muted">${esc(h.field)}</span></td>
        <td>${fmtTime(h.generated_at)}</td>
        <td class="snippet">${snippet(h.snippet)}</td></tr>`).join("")}</tbody></table>`
      : `<p id="search-hits">No event matches.</p>`}
    ${next ? `<p><a id="search-next" href="${next}">Next page</a></p>` : ""}`;
}

/**
 * The service's snippet is HTML-escaped text with its matches in <mark>: the text between the marks is decoded (as a
 * textarea's content: entities only, never markup, whitespace kept) and escaped again, so nothing but the marks can
 * become markup.
 */
function snippet(html) {
  const decoder = document.createElement("textarea");
  const text = part => { decoder.innerHTML = part; return decoder.value; };
  return (html ?? "").split(/(<\/?mark>)/).map(part => part === "<mark>" || part === "</mark>" ? part : esc(text(part))).join("");
}
