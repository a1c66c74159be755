// Talks to the service: JSON with the read key (session storage, X-API-key header, never in a URL), a key prompt on 401,
// and the page's one live stream (server-sent events read through fetch, so the key goes in a header too).
const keyName = "sparkwatch.apiKey";

function headers() {
  const key = sessionStorage.getItem(keyName);
  return key ? { "X-API-key": key } : {};
}

let asking = null;

/** Shows the key dialog once, however many requests were refused. */
function askForKey() {
  asking ??= new Promise(resolve => {
    const dialog = document.getElementById("key-dialog");
    const input = document.getElementById("key-input");
    dialog.addEventListener("close", () => {
      if (input.value) sessionStorage.setItem(keyName, input.value);
      input.value = "";
      asking = null;
      resolve();
    }, { once: true });
    dialog.showModal();
    input.focus();
  });
  return asking;
}

/** GETs a JSON document; asks for a key and retries when the service answers 401. */
export async function getJson(path) {
  for (;;) {
    const response = await fetch(path, { headers: headers() });
    if (response.status === 401) { await askForKey(); continue; }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || problem.title || `${path} answered ${response.status}`);
    }
    return response.json();
  }
}

/**
 * Follows /ui/api/stream for the open page and calls onChange on each "changed" event. Reconnects after a drop;
 * stops when signal aborts (the page was left).
 */
export function follow(params, onChange, signal) {
  const live = document.getElementById("live");
  const run = async () => {
    while (!signal.aborted) {
      try {
        const response = await fetch(`/ui/api/stream?${new URLSearchParams(params)}`, { headers: { ...headers(), Accept: "text/event-stream" }, signal });
        if (!response.ok) throw new Error(`stream answered ${response.status}`);
        live.textContent = "● live";
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (message.split("\n").includes("event: changed")) onChange();
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      live.textContent = "reconnecting…";
      await new Promise(resolve => setTimeout(resolve, 3000));
    }
  };
  run();
}
