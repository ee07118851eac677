/** A browser's session without a browser: for tests that need the session cookie rather than a token. */

import { csrfFrom } from "./helpers.ts";

/** Signs in through the form with fetch and answers the session cookie and the page's CSRF token. */
export async function browserSession(origin: string, username: string, password: string) {
  const login = await fetch(`${origin}/login`);
  let cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const form = new URLSearchParams({ _csrf: csrfFrom(await login.text()), username, password, next: "/" });
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    body: form,
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
  cookie = (res.headers.get("set-cookie") ?? cookie).split(";")[0] ?? cookie;
  const home = await fetch(`${origin}/`, { headers: { cookie } });
  return { cookie, csrf: csrfFrom(await home.text()) };
}
