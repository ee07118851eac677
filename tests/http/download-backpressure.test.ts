/** A large export to a reader slower than the server: every wait for the reader leaves nothing behind. */

import http from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiToken, makeApp, type TestApp } from "../helpers.ts";

let t: TestApp;
let server: http.Server;
let token: string;

beforeAll(async () => {
  t = await makeApp();
  token = await apiToken(t.app);
  const units = Array.from(
    { length: 20_000 },
    (_, i) =>
      `<tu><tuv xml:lang="en"><seg>The council approved plan number ${i} for the northern district after a long debate.</seg></tuv>` +
      `<tuv xml:lang="es"><seg>El concejo aprobó el plan número ${i} para el distrito norte tras un largo debate.</seg></tuv></tu>`,
  );
  const imported = await request(t.app)
    .post("/api/v1/memory/import?sourceLang=en&targetLang=es")
    .set("Authorization", `Bearer ${token}`)
    .set("Content-Type", "application/x-tmx+xml")
    .send(`<tmx version="1.4"><header srclang="en"/><body>${units.join("")}</body></tmx>`);
  expect(imported.body.created).toBe(20_000);
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

/** Reads the export a little at a time; resolves to the bytes read. */
function slowRead(): Promise<number> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        port,
        host: "127.0.0.1",
        path: "/api/v1/memory/export?sourceLang=en&targetLang=es",
        headers: { Authorization: `Bearer ${token}` },
      },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          res.pause();
          setTimeout(() => res.resume(), 2);
        });
        res.on("end", () => resolve(bytes));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}

describe("a memory export to a slow reader", () => {
  it("waits for the reader without leaving listeners behind", async () => {
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on("warning", warned);
    try {
      const bytes = await slowRead();
      expect(bytes).toBeGreaterThan(4_000_000);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", warned);
    }
    expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
  }, 60_000);
});
