/** A small server-sent events reader over fetch, for tests and benchmarks of the live streams. */

export interface SseEvent {
  event: string;
  data: unknown;
  /** performance.now() when it was read. */
  at: number;
}

export interface SseStream {
  status: number;
  /** Events read so far, in order. */
  events: SseEvent[];
  /** The next event named `event` (from those not yet taken) that `match` accepts. */
  // biome-ignore lint/suspicious/noExplicitAny: event data is JSON that tests look into freely.
  next(event: string, match?: (data: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openStream(url: string, headers: Record<string, string>): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { Accept: "text/event-stream", ...headers },
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  const taken = new Set<SseEvent>();
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  let endedResolve: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    endedResolve = resolve;
  });
  void (async () => {
    if (!response.body) return endedResolve();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut = buffer.indexOf("\n\n");
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data.push(line.slice(6));
          }
          if (data.length) events.push({ event, data: JSON.parse(data.join("\n")), at: performance.now() });
          cut = buffer.indexOf("\n\n");
        }
        wake();
      }
    } catch {
      // Aborted by close(), or the connection dropped: either way the stream has ended.
    }
    endedResolve();
    wake();
  })();
  return {
    status: response.status,
    events,
    ended,
    close: () => abort.abort(),
    next(event, match = () => true, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => !taken.has(e) && e.event === event && match(e.data));
          if (!found) return false;
          taken.add(found);
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found.data);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no "${event}" event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
  };
}
