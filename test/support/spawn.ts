/**
 * Running the real CLI as a separate process, the way an admin or a newcomer does: `vertrouwd
 * <command>` through tsx, or `vertrouwd serve` until /readyz answers. Shared by every test (and
 * the benchmark) that needs a process of its own — to kill it, restart it, or read its output.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const TSX = path.join(ROOT, "node_modules/.bin/tsx");
export const ENTRY = path.join(ROOT, "src/cli/entry.ts");

/** The environment every child gets: no Redis or config from the developer's shell. */
const BASE_ENV = { REDIS_URL: "", VERTROUWD_CONFIG: "", NO_COLOR: "1" };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { cwd: string; stdin?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [ENTRY, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...BASE_ENV, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** stdout and stderr, as the process wrote them. */
  logs: string[];
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts `vertrouwd serve` on a port of its own choosing (--port 0: no race with another test for
 * a "free" port) and waits until it says where it listens and /readyz answers there.
 */
export async function startServe(options: {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  args?: string[];
}): Promise<ServeProcess> {
  const logs: string[] = [];
  const child = spawn(TSX, [ENTRY, "serve", "--port", "0", ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...BASE_ENV, LOG_LEVEL: "info", ...options.env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (c: Buffer) => logs.push(c.toString()));
  child.stderr?.on("data", (c: Buffer) => logs.push(c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let ended = false;
  void exited.then(() => (ended = true));
  for (let i = 0; i < 300 && !ended; i++) {
    const port = Number(/"event":"server.listening","port":(\d+)/.exec(logs.join(""))?.[1] ?? 0);
    if (port > 0) {
      const url = `http://127.0.0.1:${port}`;
      const ready = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready)
        return { child, url, port, logs, exited, kill: (signal = "SIGTERM") => void child.kill(signal) };
    }
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error(`serve did not become ready: ${logs.join("").slice(-800)}`);
}
