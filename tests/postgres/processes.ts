/** Real Glosa processes (`node --import tsx server/main.ts`) on one PostgreSQL database. */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export const ADMIN_PASSWORD = "multi-process-admin-password";

export interface GlosaProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown, nothing flushed. */
  kill(): Promise<void>;
}

function environment(databaseUrl: string, dataDir: string, extra: Record<string, string>) {
  return {
    ...process.env,
    NODE_ENV: "development",
    PORT: "0",
    GLOSA_DATABASE_URL: databaseUrl,
    // Not used with a database; set so that a mistake could not write into the working tree.
    GLOSA_DATA_DIR: dataDir,
    GLOSA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    GLOSA_RATE_LIMIT: "off",
    GLOSA_LOG_LEVEL: "warn",
    ...extra,
  };
}

export async function startGlosa(
  databaseUrl: string,
  extra: Record<string, string> = {},
): Promise<GlosaProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), "glosa-pg-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: environment(databaseUrl, dir, extra),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Glosa did not start: ${out}`)), 30_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Glosa listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Glosa exited with ${code}: ${out}`));
    });
  });
  const exit = (signal: NodeJS.Signals) => async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  };
  return { url, child, stop: exit("SIGTERM"), kill: exit("SIGKILL") };
}

/** Runs `server/main.ts` expecting it to refuse to start; resolves to its exit code and stderr. */
export function failedStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      env: { ...process.env, PORT: "0", GLOSA_LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Glosa did not stop: ${stderr}`));
    }, 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** An API token of the admin, asked of process `p`. */
export async function adminToken(p: GlosaProcess): Promise<string> {
  const res = await fetch(`${p.url}/api/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}
