// The dashboard's shell: hash routing (deep links such as #/job/NAME/run/ID), one live stream per open page, the
// search box when the service has a search endpoint.
import { esc, links } from "./js/util.js";
import { jobsPage } from "./js/jobs.js";
import { runsPage } from "./js/runs.js";
import { runPage } from "./js/run.js";
import { comparePage } from "./js/compare.js";
import { searchPage } from "./js/search.js";

const routes = [
  [/^#?\/?$/, () => jobsPage],
  [/^#\/job\/([^/]+)$/, m => ctx => runsPage(ctx, decodeURIComponent(m[1]))],
  [/^#\/job\/([^/]+)\/run\/([^/]+)$/, m => ctx => runPage(ctx, decodeURIComponent(m[1]), decodeURIComponent(m[2]))],
  [/^#\/job\/([^/]+)\/compare\/([^/]+)\/([^/]+)$/, m => ctx => comparePage(ctx, decodeURIComponent(m[1]), decodeURIComponent(m[2]), decodeURIComponent(m[3]))],
  [/^#\/search(?:\?(.*))?$/, m => ctx => searchPage(ctx, new URLSearchParams(m[1] ?? ""))],
];

let current = null;

async function render() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  document.getElementById("live").textContent = "";
  const main = document.getElementById("main");
  const hash = location.hash || "#/";
  const match = routes.map(([pattern, page]) => [hash.match(pattern), page]).find(([m]) => m);
  const ctx = { main, signal: controller.signal };
  try {
    if (!match) throw new Error(`No page at ${hash}.`);
    await match[1](match[0])(ctx);
  } catch (error) {
    if (!controller.signal.aborted) main.innerHTML = `<h1>Something went wrong</h1><p class="error" role="alert">${esc(error.message)}</p>`;
  }
  if (!controller.signal.aborted) {
    main.dataset.ready = "true";
    // When the page had drawn its data, for the speed tests and anyone profiling (performance.getEntriesByName).
    performance.mark("sparkwatch-ready");
  }
}

/**
 * Shows the search box when this service serves /search (the OpenAPI document is open and names every path); a search
 * opens the dashboard's search page (deep-linkable: #/search?q=…). Without script the form GETs /search's JSON.
 */
async function offerSearch() {
  const form = document.getElementById("search");
  form.addEventListener("submit", event => {
    event.preventDefault();
    location.hash = links.search(document.getElementById("search-q").value);
  });
  try {
    const response = await fetch("/openapi/v1.json");
    if (response.ok && "/search" in ((await response.json()).paths ?? {})) {
      form.hidden = false;
      document.body.classList.add("has-search"); // shows the pages' search links and forms (.needs-search)
    }
  } catch { /* no search box */ }
}

// The skip link moves the focus to the page's content without touching the hash, which holds the route.
document.querySelector(".skip").addEventListener("click", event => {
  event.preventDefault();
  document.getElementById("main").focus();
});
window.addEventListener("hashchange", () => { document.getElementById("main").dataset.ready = "false"; render(); });
render();
offerSearch();
