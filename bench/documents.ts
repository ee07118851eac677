/**
 * The documents list with many documents (issue 12): the documents page's p50 over HTTP with 1,000
 * and with 10,000 documents (each with one language and three revisions), the first page and one
 * deep in the list, and the ratio 10,000 / 1,000, which paging and the summary cache should keep
 * flat. The same server grows from 1,000 to 10,000 documents between the two measurements.
 */

import { documentCursor } from "../server/storage/store.ts";
import { createDocument } from "../translations/document.ts";
import type { RevisionEvent } from "../translations/translation.ts";
import { ms, type Row, time } from "./harness.ts";
import { type BenchServer, startBenchServer } from "./server.ts";

const RUNS = 60;

/** Documents `from` to `to` - 1, each with a Spanish translation three revisions deep, written 100 at a time. */
export async function addDocuments(
  store: Pick<BenchServer["store"], "putDocument" | "appendTranslationEvents">,
  from: number,
  to: number,
): Promise<void> {
  const one = async (i: number) => {
    const doc = createDocument({
      id: `bench${String(i).padStart(6, "0")}`,
      title: `Story ${i}: the chainsaw reaches the ministries`,
      sourceLang: "en",
      format: "text",
      content: `Story ${i}\n\nOfficials at the Casa Rosada said the chainsaw would reach every ministry.\n\nThe opposition said it would fight.`,
      createdBy: "admin",
      createdAt: new Date(Date.UTC(2030, 0, 1) + i * 1000).toISOString(),
      languages: ["es"],
    });
    await store.putDocument(doc);
    const at = doc.createdAt;
    const events: RevisionEvent[] = [1, 2, 3].map((revision) => ({
      type: "revision",
      pid: revision === 3 ? "p2" : "p1",
      revision: revision === 3 ? 1 : revision,
      text: `Historia ${i}, revisión ${revision}`,
      status: "translated",
      author: "admin",
      createdAt: at,
    }));
    await store.appendTranslationEvents(doc.id, "es", events);
  };
  for (let i = from; i < to; i += 100)
    await Promise.all(Array.from({ length: Math.min(100, to - i) }, (_, k) => one(i + k)));
}

/** Cookie header of a browser session signed in through the login form (behind a TLS proxy, as in production). */
export async function signInCookie(url: string, password: string): Promise<string> {
  const https = { "X-Forwarded-Proto": "https" };
  const login = await fetch(`${url}/login`, { headers: https });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? "";
  const signedIn = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, ...https },
    body: new URLSearchParams({ _csrf: csrf, username: "admin", password }).toString(),
  });
  return (signedIn.headers.get("set-cookie") ?? cookie).split(";")[0] as string;
}

export async function measureList(url: string, cookie: string, path: string): Promise<number> {
  const headers = { Cookie: cookie, "X-Forwarded-Proto": "https" };
  const t = await time(async () => {
    const res = await fetch(`${url}${path}`, { headers });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    await res.text();
  }, RUNS);
  return t.median;
}

/** The rows for one store: p50 of the first page and a deep page at 1,000 and 10,000 documents. */
export async function listRows(
  label: string,
  grow: (from: number, to: number) => Promise<void>,
  url: string,
  cookie: string,
): Promise<Row[]> {
  await grow(0, 1_000);
  const deep = (n: number) =>
    `/?after=${documentCursor({ id: `bench${String(n).padStart(6, "0")}`, createdAt: new Date(Date.UTC(2030, 0, 1) + n * 1000).toISOString() })}`;
  const small = {
    first: await measureList(url, cookie, "/"),
    deep: await measureList(url, cookie, deep(500)),
  };
  await grow(1_000, 10_000);
  const large = {
    first: await measureList(url, cookie, "/"),
    deep: await measureList(url, cookie, deep(9_500)),
  };
  const rows: Row[] = [];
  for (const which of ["first", "deep"] as const) {
    const ratio = large[which] / small[which];
    rows.push({
      benchmark: `${label}: documents page (${which === "first" ? "first page" : "a page deep in the list"}), 10,000 documents vs 1,000, p50 over HTTP`,
      measured: `${ms(large[which])} with 10,000 documents`,
      baseline: `${ms(small[which])} with 1,000 documents`,
      ratio,
      goal: "≤ 1.5 and p50 < 50 ms",
      ok: ratio <= 1.5 && large[which] < 50,
    });
  }
  return rows;
}

export async function documentsBenchmarks(): Promise<Row[]> {
  const server = await startBenchServer();
  try {
    return await listRows(
      "File store",
      (from, to) => addDocuments(server.store, from, to),
      server.url,
      server.cookie,
    );
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { report } = await import("./harness.ts");
  report(await documentsBenchmarks());
}
