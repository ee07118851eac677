/** JSON over HTTP for the providers, with their error statuses named and nothing of the request repeated. */

import { MachineTranslationError, type MachineTranslationFailure } from "./provider.ts";

const FAILURES: Record<number, MachineTranslationFailure> = {
  401: "unauthorized",
  403: "unauthorized",
  429: "rate_limited",
  456: "quota_exceeded",
};

export async function requestJson(
  provider: string,
  url: URL,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal },
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        accept: "application/json",
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
      redirect: "error",
    });
  } catch {
    // The fetch error can name the URL; it is not passed on.
    throw new MachineTranslationError(provider, init.signal?.aborted ? "timeout" : "unavailable");
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new MachineTranslationError(
      provider,
      FAILURES[response.status] ?? "unavailable",
      `HTTP ${response.status}`,
    );
  }
  try {
    return await response.json();
  } catch {
    throw new MachineTranslationError(provider, init.signal?.aborted ? "timeout" : "bad_response");
  }
}

/** `strings` when every item is a string and there are `count` of them; otherwise a bad response. */
export function stringsOf(provider: string, value: unknown, count: number): string[] {
  if (Array.isArray(value) && value.length === count && value.every((v) => typeof v === "string"))
    return value;
  throw new MachineTranslationError(provider, "bad_response");
}
