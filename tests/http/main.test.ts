import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pino } from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { FileStore } from "../../server/storage/file-store.ts";
import { ADMIN_PASSWORD, csrfFrom, makeApp, tempDir } from "../helpers.ts";

function start(dir: string): { child: ChildProcess; output: () => string; listening: Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      PORT: "0",
      GLOSA_DATA_DIR: dir,
      GLOSA_LOG_LEVEL: "warn",
      NODE_ENV: "development",
      GLOSA_ADMIN_PASSWORD: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Glosa listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 20);
    child.once("exit", () => {
      clearInterval(timer);
      reject(new Error(out));
    });
  });
  // A server that is meant to refuse to start never listens: that is not an unhandled error.
  listening.catch(() => undefined);
  return { child, output: () => out, listening };
}

describe("npm start", () => {
  it("starts on an empty directory, prints the address and a one-time admin password, refuses a second server, and stops cleanly", async () => {
    const dir = await tempDir();
    const first = start(dir);
    const url = await first.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.output()).toMatch(/the user "admin" has the password \S{12,}/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(existsSync(path.join(dir, "glosa.lock"))).toBe(true);

    const second = start(dir);
    const code = await new Promise((resolve) => second.child.once("exit", resolve));
    expect(code).toBe(1);
    expect(second.output()).toContain("is in use by another Glosa process");

    const exited = new Promise((resolve) => first.child.once("exit", resolve));
    first.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(existsSync(path.join(dir, "glosa.lock"))).toBe(false);

    // A later start never seeds again nor prints a password.
    const third = start(dir);
    await third.listening;
    expect(third.output()).not.toContain("has the password");
    const stopped = new Promise((resolve) => third.child.once("exit", resolve));
    third.child.kill("SIGINT");
    expect(await stopped).toBe(0);
  }, 60_000);
});

describe("sessions", () => {
  async function signedInSession(t: Awaited<ReturnType<typeof makeApp>>) {
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const res = await agent
      .post("/login")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), username: "admin", password: ADMIN_PASSWORD });
    const cookie = (res.headers["set-cookie"] as unknown as string[])
      .find((c) => c.startsWith("glosa.sid="))
      ?.split(";")[0] as string;
    // The cookie holds "s:<sid>.<signature>".
    const sid = decodeURIComponent(cookie.slice("glosa.sid=".length))
      .slice(2)
      .replace(/\.[^.]+$/, "");
    return { agent, sid, cookie };
  }

  it("end after the absolute timeout however active they are", async () => {
    const t = await makeApp();
    const { agent, sid } = await signedInSession(t);
    expect((await agent.get("/")).status).toBe(200);
    const record = await t.store.getSession(sid);
    const data = record?.data as { signedInAt: number };
    data.signedInAt = Date.now() - 25 * 60 * 60 * 1000;
    await t.store.setSession(sid, { data, expires: Date.now() + 60_000 });
    expect((await agent.get("/")).status).toBe(303);
    await t.close();
  });

  it("end after the idle timeout", async () => {
    const t = await makeApp();
    const { agent, sid } = await signedInSession(t);
    const record = await t.store.getSession(sid);
    await t.store.setSession(sid, { data: record?.data, expires: Date.now() - 1 });
    expect((await agent.get("/")).status).toBe(303);
    await t.close();
  });

  it("of nobody signed in are never written to the file store; a sign-in's is, and a sign-out's goes", async () => {
    const t = await makeApp();
    const sidOf = (res: { headers: Record<string, unknown> }) => {
      const cookie = (res.headers["set-cookie"] as string[] | undefined)?.find((c) =>
        c.startsWith("glosa.sid="),
      );
      return (
        cookie &&
        decodeURIComponent(cookie.split(";")[0]?.slice("glosa.sid=".length) ?? "")
          .slice(2)
          .replace(/\.[^.]+$/, "")
      );
    };
    // The attack's 2,000 anonymous login pages each stored a session the file was rewritten for.
    const anonymous: string[] = [];
    for (let i = 0; i < 20; i++) {
      const page = await request(t.app).get("/login");
      const sid = sidOf(page);
      expect(sid).toBeTruthy();
      anonymous.push(sid as string);
    }
    for (const sid of anonymous) expect(await t.store.getSession(sid)).toBeUndefined();
    // The form's token is still the session's: the sign-in works, and its session is kept on disk.
    const { agent, sid } = await signedInSession(t);
    expect(await t.store.getSession(sid)).toMatchObject({ data: { username: "admin" } });
    const home = await agent.get("/");
    const out = await agent
      .post("/logout")
      .type("form")
      .send({ _csrf: csrfFrom(home.text) });
    expect(out.status).toBe(303);
    expect(await t.store.getSession(sid)).toBeUndefined();
    expect((await agent.get("/")).status).toBe(303);
    await t.close();
  });

  it("survive a restart of the server", async () => {
    const t = await makeApp();
    const { cookie } = await signedInSession(t);
    await t.app.shutdown();
    await t.store.close();

    const store = await FileStore.open(t.dir);
    const config = loadConfig({ NODE_ENV: "test", GLOSA_DATA_DIR: t.dir, GLOSA_LOG_LEVEL: "silent" });
    const app = createApp({
      config,
      store,
      logger: pino({ level: "silent" }),
      sessionSecret: "s".repeat(40),
    });
    const home = await request(app).get("/").set("Cookie", cookie);
    expect(home.status).toBe(200);
    expect(home.text).toMatch(/<strong title="admin">admin<\/strong>/);
    await app.shutdown();
    await store.close();
  });
});
