/**
 * Two real Glosa processes on one fresh database behave as one: racing saves get one 200, a save
 * or an import through one is read back through the other, a session and a token work on both,
 * and a process killed mid-import leaves the import all there or not at all.
 */

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { dropDatabases, freshDatabase } from "./database.ts";
import { ADMIN_PASSWORD, failedStart, type GlosaProcess, startGlosa } from "./processes.ts";

let databaseUrl: string;
let a: GlosaProcess;
let b: GlosaProcess;
let token: string;

async function sql<T extends pg.QueryResultRow>(query: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(query, values)).rows;
  } finally {
    await client.end();
  }
}

async function api(base: string, method: string, route: string, body?: unknown, type = "application/json") {
  const res = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": type }),
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith("{") ? JSON.parse(text) : text };
}

interface Paragraph {
  id: string;
  text: string | null;
  revision: number;
}

async function paragraphs(base: string, docId: string): Promise<Paragraph[]> {
  const res = await api(base, "GET", `/documents/${docId}/translations/es`);
  expect(res.status).toBe(200);
  return res.body.paragraphs as Paragraph[];
}

function xliff(units: { id: string; source: string; target: string }[]): string {
  const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="es"><file id="f">${units
    .map(
      (u) =>
        `<unit id="${u.id}"><segment><source>${escapeXml(u.source)}</source><target>${escapeXml(u.target)}</target></segment></unit>`,
    )
    .join("")}</file></xliff>`;
}

/** A document of `count` paragraphs created through `base`, with its paragraphs. */
async function bigDocument(base: string, count: number) {
  const content = Array.from(
    { length: count },
    (_, i) => `Paragraph number ${i + 1} of the long article.`,
  ).join("\n\n");
  const created = await api(base, "POST", "/documents", {
    sourceLang: "en",
    format: "text",
    content,
    languages: ["es"],
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const res = await api(base, "GET", `/documents/${id}`);
  const units = (res.body.paragraphs as { id: string; source: string }[]).map((p) => ({
    id: p.id,
    source: p.source,
    target: `Traducción de ${p.source}`,
  }));
  return { id, units };
}

beforeAll(async () => {
  databaseUrl = await freshDatabase();
  // Both start at once on the empty database: it is migrated and seeded once.
  [a, b] = await Promise.all([startGlosa(databaseUrl), startGlosa(databaseUrl)]);
  const res = await fetch(`${a.url}/api/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(201);
  token = ((await res.json()) as { token: string }).token;
}, 90_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await dropDatabases();
});

describe("two Glosa processes on one database", () => {
  it("seeded the empty database once although both started at once", async () => {
    const seeded = await sql<{ n: string }>(
      "SELECT count(*) AS n FROM audit WHERE entry->>'action' = 'document.create' AND entry->>'object' = $1",
      [`document:${SEED_DOCUMENT_ID}`],
    );
    expect(Number(seeded[0]?.n)).toBe(1);
    expect(await sql("SELECT username FROM users")).toEqual([{ username: "admin" }]);
  });

  it("answers 20 racing saves on one base, split across both, with one 200 and nineteen 409", async () => {
    const [p] = (await paragraphs(a.url, SEED_DOCUMENT_ID)).slice(1);
    if (!p) throw new Error("no paragraph");
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api(
          i % 2 ? a.url : b.url,
          "PUT",
          `/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${p.id}`,
          {
            text: `Versión ${i}`,
            baseRevision: p.revision,
          },
        ).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const events = await sql("SELECT 1 FROM translation_events WHERE pid = $1 AND revision = $2", [
      p.id,
      p.revision + 1,
    ]);
    expect(events).toHaveLength(1);
  });

  it("answers racing source updates on one base, split across both, with one 200 and the rest 409", async () => {
    const { id } = await bigDocument(a.url, 5);
    const statuses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api(i % 2 ? a.url : b.url, "PUT", `/documents/${id}/source`, {
          format: "text",
          content: `Title\n\nParagraph number 1 of the long article, version ${i}.`,
          baseVersion: 1,
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    const [fromA, fromB] = await Promise.all([
      api(a.url, "GET", `/documents/${id}`),
      api(b.url, "GET", `/documents/${id}`),
    ]);
    expect(fromA.body.version).toBe(2);
    expect(fromB.body.version).toBe(2);
    const kept = await sql("SELECT version FROM source_versions WHERE document = $1 ORDER BY version", [id]);
    expect(kept).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it("reads a save made through A back through B, whose cache held the paragraph before", async () => {
    const before = (await paragraphs(b.url, SEED_DOCUMENT_ID))[0] as Paragraph;
    const saved = await api(
      a.url,
      "PUT",
      `/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${before.id}`,
      {
        text: "Guardado en A",
        baseRevision: before.revision,
      },
    );
    expect(saved.status).toBe(200);
    const after = (await paragraphs(b.url, SEED_DOCUMENT_ID))[0] as Paragraph;
    expect(after).toMatchObject({ text: "Guardado en A", revision: before.revision + 1 });
    // And B's next save builds on it rather than conflicting with its own stale copy.
    const next = await api(
      b.url,
      "PUT",
      `/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${before.id}`,
      {
        text: "Guardado en B",
        baseRevision: after.revision,
      },
    );
    expect(next.status).toBe(200);
    expect(((await paragraphs(a.url, SEED_DOCUMENT_ID))[0] as Paragraph).text).toBe("Guardado en B");
  });

  it("signs in through A's /login and is signed in on B with the same cookie", async () => {
    const page = await fetch(`${a.url}/login`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
    let cookie = (page.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const login = await fetch(`${a.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body: new URLSearchParams({ _csrf: csrf, username: "admin", password: ADMIN_PASSWORD, next: "/" }),
    });
    expect(login.status).toBe(303);
    cookie = (login.headers.get("set-cookie") ?? cookie).split(";")[0] ?? "";
    const signedOut = await fetch(`${b.url}/`, { redirect: "manual" });
    expect(signedOut.status).toBe(303);
    const home = await fetch(`${b.url}/`, { redirect: "manual", headers: { Cookie: cookie } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("admin");
  });

  it("shows an XLIFF import made through A in B's translations", async () => {
    const { id, units } = await bigDocument(a.url, 30);
    expect((await paragraphs(b.url, id)).every((p) => p.text === null)).toBe(true);
    const imported = await api(
      a.url,
      "POST",
      `/documents/${id}/translations/es/import`,
      xliff(units),
      "application/xliff+xml",
    );
    expect(imported.status).toBe(200);
    expect(imported.body.updated).toBe(30);
    const seen = await paragraphs(b.url, id);
    expect(seen.map((p) => p.text)).toEqual(units.map((u) => u.target));
  });
});

describe("a process killed in the middle of an import", () => {
  it("leaves the import all there with its audit entry, or none of it", async () => {
    let victim = await startGlosa(databaseUrl);
    try {
      // How long one import of this size takes, to kill the next ones somewhere inside it.
      const warm = await bigDocument(victim.url, 2000);
      const started = Date.now();
      const first = await api(
        victim.url,
        "POST",
        `/documents/${warm.id}/translations/es/import`,
        xliff(warm.units),
        "application/xliff+xml",
      );
      expect(first.status).toBe(200);
      const took = Date.now() - started;
      const outcomes: string[] = [];
      for (let round = 0; round < 4; round++) {
        const { id, units } = await bigDocument(victim.url, 2000);
        const request = api(
          victim.url,
          "POST",
          `/documents/${id}/translations/es/import`,
          xliff(units),
          "application/xliff+xml",
        ).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, took * (0.2 + 0.25 * round)));
        await victim.kill();
        await request;
        // The killed process's last statement may still run in its server backend, which commits or
        // rolls back on its own: wait for it, then count both in one snapshot.
        for (let i = 0; i < 200; i++) {
          const busy = await sql(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'",
          );
          if (busy.length === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const [counts] = await sql<{ events: string; audits: string }>(
          `SELECT (SELECT count(*) FROM translation_events WHERE document = $1) AS events,
                  (SELECT count(*) FROM audit WHERE entry->>'action' = 'translation.import'
                     AND entry->>'object' = 'document:' || $1 || '/es') AS audits`,
          [id],
        );
        const events = Number(counts?.events);
        const audits = Number(counts?.audits);
        expect([0, units.length]).toContain(events);
        expect(audits).toBe(events === 0 ? 0 : 1);
        outcomes.push(events === 0 ? "none" : "all");
        victim = await startGlosa(databaseUrl);
        // The restarted process serves what is there.
        const seen = await paragraphs(victim.url, id);
        expect(seen.filter((p) => p.text !== null)).toHaveLength(events);
      }
      process.stdout.write(`kill -9 mid-import (import takes ${took} ms): ${outcomes.join(", ")}\n`);
    } finally {
      await victim.stop();
    }
  }, 240_000);
});

describe("start-up on a database it cannot use", () => {
  it("stops with a message naming the variable when the URL is not a PostgreSQL URL", async () => {
    const { code, stderr } = await failedStart({ GLOSA_DATABASE_URL: "mysql://user:pw@localhost/glosa" });
    expect(code).toBe(1);
    expect(stderr).toContain("Invalid GLOSA_DATABASE_URL");
    expect(stderr).not.toContain("pw@");
  });

  it("stops with a message naming the problem when the database cannot be reached", async () => {
    const { code, stderr } = await failedStart({
      GLOSA_DATABASE_URL: "postgres://postgres@127.0.0.1:1/glosa",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("Glosa cannot start: Cannot use the PostgreSQL database");
    expect(stderr).toContain("refused");
  });

  it("stops when GLOSA_DATABASE_POOL_MAX is not a number of connections", async () => {
    const { code, stderr } = await failedStart({
      GLOSA_DATABASE_URL: databaseUrl,
      GLOSA_DATABASE_POOL_MAX: "1",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("GLOSA_DATABASE_POOL_MAX");
  });
});
