/**
 * Child processes under test: `vertrouwd serve` and the bare Bolt floor app, each started with
 * Node + the tsx loader directly (no wrapper process), so /proc/<pid> is the server itself.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";

export interface ServerChild {
  pid: number;
  port: number;
  /** Lines the child wrote to stderr (for a failure message). */
  stderr: string[];
  /** Warn/error log events (pino level ≥ 40) by event name, since the last reset. */
  problems: Map<string, number>;
  stop(): Promise<void>;
}

const TSX_LOADER = import.meta.resolve("tsx");

/**
 * Starts `node --import tsx <script> <args>` and waits for the JSON log line with `readyEvent`
 * carrying the port it listens on.
 */
export async function startChild(options: {
  script: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  readyEvent: string;
  nodeFlags?: string[];
  startTimeoutMs?: number;
}): Promise<ServerChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), "--import", TSX_LOADER, options.script, ...options.args],
    { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const stderr: string[] = [];
  const problems = new Map<string, number>();
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (l) => {
    if (stderr.length < 50) stderr.push(l);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.script} did not start in time: ${stderr.join(" | ")}`)),
      options.startTimeoutMs ?? 60_000,
    );
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (line.includes('"level":40') || line.includes('"level":50') || line.includes('"level":60')) {
        const name = /"event":"([^"]+)"/.exec(line)?.[1] ?? "(no event)";
        problems.set(name, (problems.get(name) ?? 0) + 1);
        if (process.env.BENCH_DEBUG && (problems.get(name) ?? 0) === 1) process.stderr.write(`${line}\n`);
      }
      if (!line.includes(options.readyEvent)) return;
      try {
        const parsed = JSON.parse(line) as { port?: number };
        if (typeof parsed.port === "number") {
          clearTimeout(timer);
          resolve(parsed.port);
        }
      } catch {
        // not our line
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.script} exited with code ${code} before listening: ${stderr.join(" | ")}`));
    });
  });
  return {
    pid: child.pid as number,
    port,
    stderr,
    problems,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Peak resident set size of a live process, in bytes (VmHWM). */
export async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb * 1024;
}

/** User + system CPU time a live process has used so far, in ms. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name "(...)": utime and stime are fields 14 and 15 (1-based).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}
