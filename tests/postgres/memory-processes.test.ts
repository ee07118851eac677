/**
 * The translation memory across two Glosa processes on one database: a save or a TMX import through
 * one is suggested by the other at once (the save crosses through LISTEN/NOTIFY), not at the next
 * background check of the store (SYNC_INTERVAL_MS, 5 s).
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import { dropDatabases, freshDatabase } from "./database.ts";
import { adminToken, type GlosaProcess, startGlosa } from "./processes.ts";

let a: GlosaProcess;
let b: GlosaProcess;
let token: string;

async function api(
  p: GlosaProcess,
  method: string,
  route: string,
  body?: unknown,
  type = "application/json",
) {
  const res = await fetch(`${p.url}/api/v1${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": type }) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

type Suggestion = { score: number; source: string; text: string };

/** Asks `p` for a paragraph's suggestions until `until` holds or `ms` pass; returns the last answer and when. */
async function suggestionsUntil(
  p: GlosaProcess,
  doc: string,
  pid: string,
  until: (s: Suggestion[]) => boolean,
  ms: number,
) {
  const started = Date.now();
  for (;;) {
    const res = await api(p, "GET", `/documents/${doc}/translations/es/paragraphs/${pid}/suggestions`);
    expect(res.status).toBe(200);
    const suggestions = res.body.suggestions as Suggestion[];
    if (until(suggestions) || Date.now() - started > ms) return { suggestions, after: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  const url = await freshDatabase();
  a = await startGlosa(url);
  b = await startGlosa(url);
  token = await adminToken(a);
}, 90_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await dropDatabases();
});

describe("translation memory across two processes", () => {
  it("suggests in B a translation saved in A, at once", async () => {
    const seed = await api(a, "GET", `/documents/${SEED_DOCUMENT_ID}`);
    const paragraph = (seed.body.paragraphs as { id: string; source: string }[])[2] as {
      id: string;
      source: string;
    };
    const created = await api(b, "POST", "/documents", {
      sourceLang: "en",
      format: "text",
      content: paragraph.source,
      languages: ["es"],
    });
    expect(created.status).toBe(201);
    const doc = created.body.id as string;
    const pid = (created.body.paragraphs as { id: string }[])[0]?.id as string;
    // B has built its memory and just checked the store: its next check is 5 s away.
    const before = await suggestionsUntil(b, doc, pid, () => true, 0);
    expect(before.suggestions.filter((s) => s.score === 100)).toEqual([]);

    const saved = await api(
      a,
      "PUT",
      `/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${paragraph.id}`,
      {
        text: "Traducción guardada en el proceso A.",
        baseRevision: 0,
      },
    );
    expect(saved.status).toBe(200);
    const after = await suggestionsUntil(b, doc, pid, (s) => s[0]?.score === 100, 3_000);
    expect(after.suggestions[0]).toMatchObject({ score: 100, text: "Traducción guardada en el proceso A." });
    expect(after.after).toBeLessThan(3_000);
  });

  it("suggests in B a unit imported through A, at once", async () => {
    const created = await api(b, "POST", "/documents", {
      sourceLang: "en",
      format: "text",
      content: "The harbour reopened after the storm passed over the coast.",
      languages: ["es"],
    });
    const doc = created.body.id as string;
    const pid = (created.body.paragraphs as { id: string }[])[0]?.id as string;
    await suggestionsUntil(b, doc, pid, () => true, 0);
    const tmx = `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>
<tu><tuv xml:lang="en"><seg>The harbour reopened after the storm passed over the coast.</seg></tuv><tuv xml:lang="es"><seg>El puerto reabrió tras pasar la tormenta por la costa.</seg></tuv></tu></body></tmx>`;
    const imported = await api(
      a,
      "POST",
      "/memory/import?sourceLang=en&targetLang=es",
      tmx,
      "application/x-tmx+xml",
    );
    expect(imported.status).toBe(200);
    const after = await suggestionsUntil(b, doc, pid, (s) => s[0]?.score === 100, 3_000);
    expect(after.suggestions[0]).toMatchObject({
      score: 100,
      text: "El puerto reabrió tras pasar la tormenta por la costa.",
    });
  });
});
