/**
 * `npm run bench:startup`: how long `vertrouwd serve` takes from spawn to its first 200 from
 * `GET /healthz`, and its resident memory at that moment, with no platform, Slack only and Teams
 * only. Median of `--runs` runs (default 5) after one warm-up run per case (which also generates
 * the demo keys, so key generation is never timed).
 *
 *   tsx bench/startup.ts [--runs 5] [--runner built|tsx] [--root <checkout>] [--json <file>]
 *
 * --runner built (default) runs `node bin/vertrouwd.js serve`, exactly what `npm start` runs (so
 * `npm run build` first); --runner tsx runs `node --import tsx src/cli/entry.ts serve`, how the
 * server ran before there was a build. --root measures another checkout (e.g. an older commit
 * unpacked with `git archive`, its node_modules linked to this one's) with this script.
 *
 * Besides the wall-clock time, the CPU time the server process used until that 200 (user + system,
 * from /proc): on a busy machine the wall clock also counts waiting for a core, the CPU time less so.
 *
 * Every child runs on loopback with the memory store and the demo counsellors in a temp
 * directory; Slack's Web API is the bench's loopback fake (it answers `auth.test` at start);
 * Teams runs with VERTROUWD_TEAMS_DEV_NO_AUTH=1, so NODE_ENV is left unset for all three cases.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { startFakeSlackApi } from "./lib/fake-slack-api.ts";
import { REPO_ROOT } from "./lib/targets.ts";

const START_TIMEOUT_MS = 60_000;
const POLL_MS = 5;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    runner: { type: "string", default: "built" },
    root: { type: "string" },
    json: { type: "string" },
  },
  strict: true,
});
const RUNS = Number(values.runs);
const RUNNER = values.runner;
const ROOT = path.resolve(values.root ?? REPO_ROOT);
if (!Number.isInteger(RUNS) || RUNS < 1) fail("--runs must be a whole number of at least 1");
if (RUNNER !== "built" && RUNNER !== "tsx") fail("--runner must be built or tsx");

interface Case {
  name: string;
  env: NodeJS.ProcessEnv;
}

interface Sample {
  /** Spawn to the first 200 from GET /healthz, in ms. */
  readyMs: number;
  /** CPU time (user + system) the server process had used by then, in ms. */
  cpuMs: number;
  /** VmRSS of the server process right after that 200, in bytes. */
  rssBytes: number;
}

export interface CaseResult {
  name: string;
  runs: Sample[];
  median: Sample;
}

function fail(message: string): never {
  process.stderr.write(`bench/startup: ${message}\n`);
  process.exit(2);
}

function command(): string[] {
  if (RUNNER === "built") return [path.join(ROOT, "bin/vertrouwd.js")];
  return ["--import", import.meta.resolve("tsx"), path.join(ROOT, "src/cli/entry.ts")];
}

/** A port nobody listens on right now (the child binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

function healthz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", () => resolve(0));
    req.end();
  });
}

async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
}

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // After the command name "(...)": utime and stime are fields 14 and 15 (1-based), in USER_HZ (100).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function once(c: Case, cwd: string): Promise<Sample> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...command(), "serve", "--port", String(port)], {
    cwd,
    env: c.env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    if (stderr.length < 20) stderr.push(chunk.trim());
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  try {
    for (;;) {
      if (exited) throw new Error(`${c.name}: the server exited before answering: ${stderr.join(" | ")}`);
      if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`${c.name}: no 200 in time`);
      if ((await healthz(port)) === 200) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const readyMs = performance.now() - started;
    const pid = child.pid as number;
    return { readyMs, cpuMs: await cpuMs(pid), rssBytes: await rss(pid) };
  } finally {
    if (!exited) child.kill("SIGTERM");
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exit;
    clearTimeout(kill);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function main(): Promise<void> {
  if (RUNNER === "built") {
    await access(path.join(ROOT, "dist/src/cli/entry.js")).catch(() =>
      fail(`${path.join(ROOT, "dist")} is missing: run npm run build first`),
    );
  }
  const { PATH, HOME, LANG, TMPDIR } = process.env;
  const base: NodeJS.ProcessEnv = { PATH, HOME, LANG, TMPDIR, LOG_LEVEL: "info" };
  const slack = await startFakeSlackApi();
  const cases: Case[] = [
    { name: "no platform", env: base },
    {
      name: "Slack only",
      env: {
        ...base,
        SLACK_BOT_TOKEN: "xoxb-startup-bench",
        SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
        SLACK_API_URL: slack.url,
      },
    },
    { name: "Teams only", env: { ...base, VERTROUWD_TEAMS_DEV_NO_AUTH: "1" } },
  ];
  const home = await mkdtemp(path.join(os.tmpdir(), "vt-startup-"));
  const results: CaseResult[] = [];
  try {
    process.stdout.write(
      `start-up of vertrouwd serve (${RUNNER}, ${ROOT}), Node ${process.version}, median of ${RUNS}, ` +
        `load average ${os.loadavg()[0]?.toFixed(1)}\n`,
    );
    for (const c of cases) {
      await once(c, home); // warm-up: demo keys, file cache
      const runs: Sample[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await once(c, home));
      const result = {
        name: c.name,
        runs,
        median: {
          readyMs: median(runs.map((r) => r.readyMs)),
          cpuMs: median(runs.map((r) => r.cpuMs)),
          rssBytes: median(runs.map((r) => r.rssBytes)),
        },
      };
      results.push(result);
      process.stdout.write(
        `${c.name.padEnd(12)} first 200 from /healthz ${result.median.readyMs.toFixed(0).padStart(5)} ms` +
          `   CPU ${result.median.cpuMs.toFixed(0).padStart(5)} ms` +
          `   RSS ${(result.median.rssBytes / 2 ** 20).toFixed(1).padStart(6)} MiB` +
          `   (runs: ${runs.map((r) => r.readyMs.toFixed(0)).join(", ")} ms)\n`,
      );
    }
  } finally {
    await slack.close();
    await rm(home, { recursive: true, force: true });
  }
  if (values.json) {
    await writeFile(
      values.json,
      `${JSON.stringify({ runner: RUNNER, root: ROOT, node: process.version, loadavg: os.loadavg(), runs: RUNS, results }, null, 2)}\n`,
    );
  }
}

await main();
