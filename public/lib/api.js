// @ts-check
// The one JSON path: /api/v1, called with the session cookie and the page's CSRF token in a header.

/**
 * @typedef {{ code: string, message: string, details?: unknown }} ApiError
 * @typedef {{ ok: boolean, status: number, body: any }} ApiAnswer
 */

/** The page's CSRF token, from `<meta name="csrf-token">`. */
export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";
}

/**
 * Calls the API. Network failures and aborted calls answer `{ ok: false, status: 0 }`; a body that is
 * not JSON answers an empty object, so callers read `body.error?.message` without guarding.
 * @param {"GET" | "POST" | "PUT" | "PATCH" | "DELETE"} method
 * @param {string} path after /api/v1
 * @param {unknown} [body]
 * @param {AbortSignal} [signal]
 * @returns {Promise<ApiAnswer>}
 */
export async function api(method, path, body, signal) {
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken();
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch {
    return { ok: false, status: 0, body: {} };
  }
  const parsed = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body: parsed };
}

/**
 * The API path of a paragraph's translation.
 * @param {string} doc
 * @param {string} lang
 * @param {string} pid
 */
export function paragraphPath(doc, lang, pid) {
  return `/documents/${encodeURIComponent(doc)}/translations/${encodeURIComponent(lang)}/paragraphs/${encodeURIComponent(pid)}`;
}
