/**
 * Requests carrying what no store can hold (a NUL byte, a lone surrogate, bytes that are not UTF-8, a
 * control character in stored free text), as the hostile run of 2026-11-26 sent them. The file store's
 * HTTP tests and the PostgreSQL ones send the same list and expect the same answers: PostgreSQL
 * refused NUL and lone surrogates with a 500, the file store answered 404 or stored them.
 */

import request from "supertest";
import type { GlosaApp } from "../../server/app.ts";
import { SEED_DOCUMENT_ID } from "../../server/seed.ts";

export const DOC = SEED_DOCUMENT_ID;
const API = "/api/v1";
const TRANSLATION = `${API}/documents/${DOC}/translations/es`;
export const PARA = `${TRANSLATION}/paragraphs`;

/** Path segments that name nothing: NUL, overlong UTF-8 for NUL, an encoded lone surrogate, a control. */
export const BAD_SEGMENTS = ["%00", "%C0%80", "%ED%A0%80", "a%01b"];

/** Strings no stored text may hold, in the two kinds every body and query is refused for. */
export const UNSTORABLE = ["bad\u0000text", "lone \ud800 surrogate", "lone \udc00 low"];

/** Free text the field rules refuse: a control character other than tab and newline. */
export const CONTROL = "reason \u0001 ctl";

export interface HostileCase {
  name: string;
  status: number;
  code: string;
  send(app: GlosaApp, token: string): request.Test;
}

type Method = "get" | "put" | "post" | "patch" | "delete";

function api(method: Method, path: string, body?: object) {
  return (app: GlosaApp, token: string) => {
    const req = request(app)[method](path).set("Authorization", `Bearer ${token}`);
    return body ? req.send(body) : req;
  };
}

/** Routes whose path takes an id, a language or a name: `X` stands where the bad segment goes. */
const PATH_ROUTES: [Method, string, object?][] = [
  ["get", `${API}/documents/X`],
  ["get", `${API}/documents/X/translations/es`],
  ["get", `${API}/documents/${DOC}/translations/X`],
  ["put", `${API}/documents/X/translations/es/paragraphs/p1`, { text: "Hola.", baseRevision: 0 }],
  ["put", `${PARA}/X`, { text: "Hola.", baseRevision: 0 }],
  ["get", `${PARA}/X/revisions`],
  ["post", `${PARA}/X/review`, { action: "approve", revision: 1 }],
  ["post", `${PARA}/X/waivers`, { termId: "t", code: "missing-term", reason: "r" }],
  ["get", `${PARA}/X/comments`],
  ["post", `${PARA}/X/comments`, { text: "hi" }],
  ["patch", `${API}/comments/X`, { text: "x" }],
  ["delete", `${API}/comments/X`],
  ["get", `${TRANSLATION}/pretranslate/X`],
  ["delete", `${TRANSLATION}/pretranslate/X`],
  ["put", `${API}/glossary/terms/X`, { sourceLang: "en", source: "a", targets: {} }],
  ["delete", `${API}/glossary/terms/X`],
  ["get", `${API}/documents/X/export/es`],
  ["post", `${API}/replace/batches/X/undo`, { lang: "es" }],
];

export const PATH_CASES: HostileCase[] = PATH_ROUTES.flatMap(([method, path, body]) =>
  BAD_SEGMENTS.map((bad) => ({
    name: `${method.toUpperCase()} ${path.replace("X", bad)}`,
    status: 404,
    code: "not_found",
    send: api(method, path.replace("X", bad), body),
  })),
);

const QUERIES = [
  `${API}/stats?document=%00`,
  `${API}/stats?user=a%00b`,
  `${API}/glossary/terms?q=%00`,
  `${API}/memory?sourceLang=en&targetLang=es&q=a%00`,
  `${TRANSLATION}?from=%00`,
  `${PARA}/p3/waivers?code=missing-term&termId=%00`,
  `${API}/documents?cursor=%00`,
];

export const QUERY_CASES: HostileCase[] = QUERIES.map((path) => ({
  name: `GET ${path}`,
  status: 400,
  code: "invalid_fields",
  send: api(path.includes("waivers") ? "delete" : "get", path),
}));

/** Bodies holding a NUL or a lone surrogate, where the route would read it as an id or store it. */
function bodies(bad: string): [Method, string, object][] {
  return [
    ["post", `${API}/replace/preview`, { lang: "es", documentId: bad, find: "a", replace: "b" }],
    [
      "post",
      `${API}/replace/apply`,
      { lang: "es", documentId: bad, find: "a", replace: "b", occurrences: ["x"] },
    ],
    ["post", `${API}/replace/batches/b1/undo`, { lang: "es", documentId: bad }],
    [
      "post",
      `${API}/replace/batches/b1/undo`,
      { lang: "es", revisions: [{ documentId: bad, pid: "p1", revision: 1 }] },
    ],
    ["post", `${PARA}/p3/review`, { action: "reject", revision: 1, comment: bad }],
    ["post", `${PARA}/p3/waivers`, { termId: bad, code: "missing-term", reason: "fine" }],
    ["post", `${PARA}/p3/waivers`, { termId: "t", code: "missing-term", reason: bad }],
    ["post", `${PARA}/p3/comments`, { text: bad }],
    ["put", `${PARA}/p3`, { text: bad, baseRevision: 1 }],
    ["post", `${API}/documents`, { sourceLang: "en", format: "text", content: `Title\n\n${bad}` }],
    ["post", `${API}/glossary/terms`, { sourceLang: "en", source: bad, targets: { es: { text: "x" } } }],
    ["post", `${API}/documents/${DOC}/languages`, { lang: bad }],
    ["post", `${API}/users`, { username: bad, password: "password-1234", role: "translator" }],
    ["put", `${API}/quality/settings/es`, { quoteStyle: { outer: [bad, "»"], inner: ["“", "”"] } }],
    ["post", `${TRANSLATION}/presence`, { connection: "c1", pid: bad }],
    ["post", `${TRANSLATION}/presence`, { connection: "c1", pid: null, [bad]: 1 }],
  ];
}

export const BODY_CASES: HostileCase[] = UNSTORABLE.flatMap((bad) =>
  bodies(bad).map(([method, path, body]) => ({
    name: `${method.toUpperCase()} ${path} ${JSON.stringify(body)}`,
    status: 400,
    code: "invalid_fields",
    send: api(method, path, body),
  })),
);

/** Stored free text with a control character: refused by the field's own rule, as other text is. */
export const CONTROL_CASES: HostileCase[] = [
  ["post", `${PARA}/p3/review`, { action: "reject", revision: 1, comment: CONTROL }] as const,
  ["post", `${PARA}/p3/waivers`, { termId: "t", code: "missing-term", reason: CONTROL }] as const,
  ["post", `${PARA}/p3/comments`, { text: CONTROL }] as const,
].map(([method, path, body]) => ({
  name: `${method.toUpperCase()} ${path} ${JSON.stringify(body)}`,
  status: 400,
  code: "invalid_fields",
  send: api(method, path, body),
}));

/** A body nested deeper than any route reads. */
export function deepBody(depth: number): object {
  let body: object = { text: "x" };
  for (let i = 0; i < depth; i++) body = { a: body };
  return body;
}

/** What a test needs first: paragraph p3 translated (revision 1), so that a review can name it. */
export async function translateP3(app: GlosaApp, token: string): Promise<void> {
  const res = await request(app)
    .put(`${PARA}/p3`)
    .set("Authorization", `Bearer ${token}`)
    .send({ text: "Hola, mundo.", baseRevision: 0 });
  if (res.status !== 200) throw new Error(`save failed: ${res.status} ${res.text}`);
}

/** Pages (signed in): a bad segment is a 404 page, a bad query a 400 page. */
export const PAGE_GETS: [string, number][] = [
  ...BAD_SEGMENTS.flatMap((bad): [string, number][] => [
    [`/documents/${bad}/es`, 404],
    [`/documents/${bad}/es/review`, 404],
    [`/documents/${bad}/history`, 404],
    [`/documents/${DOC}/es/paragraphs/${bad}`, 404],
    [`/documents/${DOC}/es/paragraphs/${bad}/waive`, 404],
  ]),
  ["/stats?document=%00", 400],
  ["/glossary?q=%00", 400],
];
