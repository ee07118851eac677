// @ts-check
// The review queue kept current (issue 17): when a translation changes in any document (the queue's
// event stream, /api/v1/review/events), the page is read again and its table swapped in, so waiting
// counts and progress follow without a reload. Nothing on this page is typed into: swapping is safe.

/** Changes heard within this long are read together: a batch of saves costs one page read. */
const GATHER_MS = 300;

const queue = document.getElementById("queue");
if (queue && typeof EventSource === "function") follow(queue);

/** @param {HTMLElement} queue */
function follow(queue) {
  const source = new EventSource("/api/v1/review/events");
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  source.addEventListener("hello", () => {
    queue.dataset.live = "ready";
  });
  source.addEventListener("changed", () => {
    if (timer) return;
    timer = setTimeout(async () => {
      timer = undefined;
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" } }).catch(
        () => undefined,
      );
      if (!response?.ok) return;
      const fresh = new DOMParser()
        .parseFromString(await response.text(), "text/html")
        .getElementById("queue");
      if (fresh) queue.replaceChildren(...Array.from(fresh.childNodes, (n) => document.importNode(n, true)));
    }, GATHER_MS);
  });
  window.addEventListener("pagehide", () => source.close());
}
