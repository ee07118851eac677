/**
 * Races for both stores (attack findings 3 and 5, 2026-11-26), over real HTTP: requests sent at
 * once, spread over one app or over two apps on one database (two processes' worth of caches). The
 * store decides, so the answers are the same on each: a paragraph's comments never pass their
 * bounds, and a review decision made twice at once is written once.
 */

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import type { GlosaApp } from "../../server/app.ts";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";
import type { Store } from "../../server/storage/store.ts";

/** An app listening on a free port, called by its base URL. */
export interface Node {
  base: string;
  close(): Promise<void>;
}

export async function listen(app: GlosaApp): Promise<Node> {
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several shapes
  body: any;
}

export async function call(
  node: Node,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${node.base}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** `n` calls started at once, the i-th on node i mod the number of nodes. */
function burst(nodes: Node[], n: number, send: (node: Node, i: number) => Promise<Answer>) {
  return Promise.all(Array.from({ length: n }, (_, i) => send(nodes[i % nodes.length] as Node, i)));
}

const thread = (pid: string) =>
  `/api/v1/documents/${SEED_DOCUMENT_ID}/translations/es/paragraphs/${pid}/comments`;

/** How many answers had each status (and error code). */
function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = a.body?.error?.code ? `${a.status} ${a.body.error.code}` : String(a.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function storedThread(node: Node, token: string, pid: string): Promise<{ text: string }[]> {
  const res = await call(node, "GET", thread(pid), token);
  expect(res.status).toBe(200);
  return res.body.comments;
}

/**
 * 400 comments posted at once on a paragraph that holds at most `limit` (GLOSA_MAX_COMMENTS, 200 by
 * default): exactly `limit` stored, the rest 409 too_many_comments. Then, with `limit - 10` there,
 * 30 more at once on another paragraph: 10 stored.
 */
export async function raceCommentCount(nodes: Node[], token: string, limit = 200): Promise<void> {
  const answers = await burst(nodes, 400, (node, i) =>
    call(node, "POST", thread("p12"), token, { text: `burst ${i}` }),
  );
  expect(tally(answers)).toEqual({ 201: limit, "409 too_many_comments": 400 - limit });
  for (const node of nodes) expect(await storedThread(node, token, "p12")).toHaveLength(limit);

  const fill = await burst(nodes, limit - 10, (node, i) =>
    call(node, "POST", thread("p11"), token, { text: `first ${i}` }),
  );
  expect(tally(fill)).toEqual({ 201: limit - 10 });
  const more = await burst(nodes, 30, (node, i) =>
    call(node, "POST", thread("p11"), token, { text: `more ${i}`, scope: i % 2 ? "source" : "translation" }),
  );
  expect(tally(more)).toEqual({ 201: 10, "409 too_many_comments": 20 });
  expect(await storedThread(nodes.at(-1) as Node, token, "p11")).toHaveLength(limit);
}

/**
 * 150 comments of 3,990 characters posted at once on a paragraph whose comments hold at most
 * 400,000 characters (GLOSA_MAX_THREAD_CHARS' default): 100 stored (399,000), 50 refused.
 */
export async function raceThreadSize(nodes: Node[], token: string): Promise<void> {
  const answers = await burst(nodes, 150, (node, i) =>
    call(node, "POST", thread("p10"), token, { text: `${String(i).padStart(3, "0")}${"x".repeat(3987)}` }),
  );
  expect(tally(answers)).toEqual({ 201: 100, "409 thread_too_large": 50 });
  const stored = await storedThread(nodes[0] as Node, token, "p10");
  expect(stored.reduce((sum, c) => sum + c.text.length, 0)).toBe(399_000);
}

/**
 * Two authors edit their comments at once on a paragraph with room for one of the edits only (an
 * edit keeps the earlier text in the history, so each adds its new text): one edit is written, the
 * other is 409 thread_too_large, and the paragraph holds at most 400,000 characters.
 */
export async function raceEdits(nodes: Node[], tokens: [string, string]): Promise<void> {
  const [a, b] = tokens;
  const fill = await burst(nodes, 98, (node, i) =>
    call(node, "POST", thread("p9"), a, { text: `${String(i).padStart(3, "0")}${"f".repeat(3997)}` }),
  );
  expect(tally(fill)).toEqual({ 201: 98 });
  // 392,000 + 2 × 1,000 held: room for 6,000 more, one 4,000-character edit.
  const first = await call(nodes[0] as Node, "POST", thread("p9"), a, { text: "a".repeat(1000) });
  const second = await call(nodes.at(-1) as Node, "POST", thread("p9"), b, { text: "b".repeat(1000) });
  expect([first.status, second.status]).toEqual([201, 201]);
  const edits = await Promise.all([
    call(nodes[0] as Node, "PATCH", `/api/v1/comments/${first.body.id}`, a, { text: "A".repeat(4000) }),
    call(nodes.at(-1) as Node, "PATCH", `/api/v1/comments/${second.body.id}`, b, { text: "B".repeat(4000) }),
  ]);
  expect(tally(edits)).toEqual({ 200: 1, "409 thread_too_large": 1 });
  const held = (await storedThread(nodes[0] as Node, a, "p9")).reduce((sum, c) => sum + c.text.length, 0);
  // The texts shown, plus the 1,000 characters the written edit moved to its history.
  expect(held + 1000).toBe(398_000);
}

/** The words reviewed and approved of a document, per user, from GET /api/v1/stats. */
export async function reviewStats(
  node: Node,
  token: string,
  doc: string,
): Promise<Record<string, { reviewed: number; approved: number }>> {
  const res = await call(node, "GET", `/api/v1/stats?groupBy=user&document=${doc}`, token);
  expect(res.status).toBe(200);
  return Object.fromEntries(
    res.body.rows.map((r: { key: string; reviewed: { total: number }; approved: { total: number } }) => [
      r.key,
      { reviewed: r.reviewed.total, approved: r.approved.total },
    ]),
  );
}

/**
 * A new document of a 2-word title and a 5-word paragraph (p2), translated by `translator`: its id.
 */
export async function documentToReview(node: Node, editor: string, translator: string): Promise<string> {
  const created = await call(node, "POST", "/api/v1/documents", editor, {
    sourceLang: "en",
    format: "text",
    title: "Review race",
    content: "One two three four five.",
    languages: ["es"],
  });
  expect(created.status).toBe(201);
  const doc = created.body.id as string;
  const saved = await call(
    node,
    "PUT",
    `/api/v1/documents/${doc}/translations/es/paragraphs/p2`,
    translator,
    {
      text: "Uno dos tres cuatro cinco.",
      baseRevision: 0,
    },
  );
  expect(saved.status).toBe(200);
  return doc;
}

/**
 * Twelve approvals of one revision sent at once by `reviewer` (the double-clicks of several tabs),
 * then twelve rejections: every answer 200 with the decision, one event of each in the store's
 * history (read from `store`), and the statistics count 5 words reviewed per decision and 5 approved.
 */
export async function raceReviews(
  nodes: Node[],
  store: Store,
  tokens: { reviewer: string; reviewerName: string; editor: string; translator: string },
): Promise<void> {
  const reviews = async (doc: string) =>
    (await store.readTranslationEvents(doc, "es")).filter((e) => e.type === "review").map((e) => e.action);
  const first = nodes[0] as Node;
  const doc = await documentToReview(first, tokens.editor, tokens.translator);
  const review = `/api/v1/documents/${doc}/translations/es/paragraphs/p2/review`;
  const approvals = await burst(nodes, 12, (node) =>
    call(node, "POST", review, tokens.reviewer, { action: "approve", revision: 1 }),
  );
  expect(tally(approvals)).toEqual({ 200: 12 });
  for (const a of approvals) expect(a.body).toMatchObject({ revision: 1, status: "approved" });
  expect(await reviews(doc)).toEqual(["approve"]);
  let stats = await reviewStats(first, tokens.editor, doc);
  expect(stats[tokens.reviewerName]?.reviewed).toBe(5);
  expect(stats.tina?.approved).toBe(5);

  const rejections = await burst(nodes, 12, (node) =>
    call(node, "POST", review, tokens.reviewer, { action: "reject", revision: 1, comment: "Tono" }),
  );
  expect(tally(rejections)).toEqual({ 200: 12 });
  for (const r of rejections) expect(r.body).toMatchObject({ revision: 1, status: "rejected" });
  expect(await reviews(doc)).toEqual(["approve", "reject"]);
  stats = await reviewStats(nodes.at(-1) as Node, tokens.editor, doc);
  expect(stats[tokens.reviewerName]?.reviewed).toBe(10);
  expect(stats.tina?.approved).toBe(5);
  const revisions = await call(
    first,
    "GET",
    `/api/v1/documents/${doc}/translations/es/paragraphs/p2/revisions`,
    tokens.editor,
  );
  expect(revisions.body.revisions).toMatchObject([{ revision: 1, status: "rejected" }]);
}
