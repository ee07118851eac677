/** Local stand-ins for LibreTranslate and DeepL, following their published request and response shapes. */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export type StubHandler = (
  req: StubRequest,
) => { status: number; body: unknown; delayMs?: number } | undefined;

export interface Stub {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

export async function startStub(handler: StubHandler): Promise<Stub> {
  const requests: StubRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      raw += chunk;
    });
    req.on("end", () => {
      const request: StubRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      requests.push(request);
      const answer = handler(request) ?? { status: 404, body: { message: "Not found" } };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(JSON.stringify(answer.body));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A pretend engine: upper-cases every word except placeholders, so tests can see what went through it. */
export function fakeTranslate(text: string): string {
  return text.replace(/\b(?!Zqx\d+z)[a-z]+\b/g, (w) => w.toUpperCase());
}

/** LibreTranslate: `POST /translate` {q, source, target, format, api_key?} → {translatedText}; `GET /languages`. */
export function libreHandler(options: { key?: string } = {}): StubHandler {
  return (req) => {
    if (req.method === "GET" && req.path === "/languages")
      return { status: 200, body: [{ code: "en", name: "English", targets: ["en", "es", "fr"] }] };
    if (req.method === "POST" && req.path === "/translate") {
      const body = req.body as { q: string | string[]; api_key?: string };
      if (options.key && body.api_key !== options.key)
        return { status: 403, body: { error: "Invalid API key" } };
      const q = body.q;
      return {
        status: 200,
        body: { translatedText: Array.isArray(q) ? q.map(fakeTranslate) : fakeTranslate(q) },
      };
    }
    return undefined;
  };
}

/** DeepL v2: `POST /v2/translate` with `Authorization: DeepL-Auth-Key`, languages, glossaries. */
export function deeplHandler(options: { key: string; status?: number }): StubHandler {
  let glossaries = 0;
  return (req) => {
    if (req.headers.authorization !== `DeepL-Auth-Key ${options.key}`)
      return { status: 403, body: { message: "Wrong endpoint or authorization" } };
    if (options.status) return { status: options.status, body: { message: "Stub failure" } };
    if (req.method === "GET" && req.path === "/v2/languages?type=source")
      return { status: 200, body: [{ language: "EN", name: "English" }] };
    if (req.method === "GET" && req.path === "/v2/languages?type=target")
      return {
        status: 200,
        body: [
          { language: "ES", name: "Spanish", supports_formality: true },
          { language: "EN-GB", name: "English (British)", supports_formality: false },
        ],
      };
    if (req.method === "GET" && req.path === "/v2/glossary-language-pairs")
      return { status: 200, body: { supported_languages: [{ source_lang: "en", target_lang: "es" }] } };
    if (req.method === "POST" && req.path === "/v2/glossaries")
      return { status: 201, body: { glossary_id: `g${++glossaries}`, ready: true, entry_count: 1 } };
    if (req.method === "POST" && req.path === "/v2/translate") {
      const body = req.body as { text: string[] };
      return {
        status: 200,
        body: {
          translations: body.text.map((t) => ({
            detected_source_language: "EN",
            text: t.replace(
              /(<[^>]*>)|([^<]+)/g,
              (_m, tag: string, text: string) => tag ?? text.toUpperCase(),
            ),
          })),
        },
      };
    }
    return undefined;
  };
}
