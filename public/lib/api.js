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

/** The user the page was rendered for, from `<meta name="glosa-user">`. */
export function pageUser() {
  return document.querySelector('meta[name="glosa-user"]')?.getAttribute("content") ?? "";
}

/**
 * Calls the API. Network failures and aborted calls answer `{ ok: false, status: 0 }`; a body that is
 * not JSON answers an empty object, so callers read `body.error?.message` without guarding.
 *
 * A write refused for its CSRF token (the page's session ended and its user signed in again in
 * another tab: a new session, a new token) reads the current session's token from GET /api/v1/session
 * and is sent once more, if that session is still the page's user's. Signed in as someone else, the
 * refusal comes back with `body.signedInAs`; signed out, the session's 401.
 * @param {"GET" | "POST" | "PUT" | "PATCH" | "DELETE"} method
 * @param {string} path after /api/v1
 * @param {unknown} [body]
 * @param {AbortSignal} [signal]
 * @returns {Promise<ApiAnswer>}
 */
export async function api(method, path, body, signal) {
  const answer = await send(method, path, body, signal);
  if (answer.status !== 403 || answer.body.error?.code !== "invalid_csrf_token") return answer;
  const session = await currentSession();
  if (!session.ok) return session.status === 401 ? session : answer;
  if (session.body.username !== pageUser())
    return { ...answer, body: { ...answer.body, signedInAs: session.body.username } };
  return send(method, path, body, signal);
}

/** @type {Promise<ApiAnswer> | null} the one session read that concurrent refused writes wait for */
let reading = null;

/**
 * The current session, its CSRF token put in the page (the header of later calls, and the forms' `_csrf`
 * fields) when it is the page's user's.
 * @returns {Promise<ApiAnswer>}
 */
function currentSession() {
  reading ??= send("GET", "/session").then((session) => {
    reading = null;
    const token = session.ok ? session.body.csrfToken : undefined;
    if (typeof token === "string" && session.body.username === pageUser()) {
      document.querySelector('meta[name="csrf-token"]')?.setAttribute("content", token);
      for (const input of Array.from(document.querySelectorAll('input[name="_csrf"]')))
        if (input instanceof HTMLInputElement) input.value = token;
    }
    return session;
  });
  return reading;
}

/**
 * @param {"GET" | "POST" | "PUT" | "PATCH" | "DELETE"} method
 * @param {string} path after /api/v1
 * @param {unknown} [body]
 * @param {AbortSignal} [signal]
 * @returns {Promise<ApiAnswer>}
 */
async function send(method, path, body, signal) {
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
