/**
 * `npm run bench`: what a conversation costs, side by side with a bare Bolt app's floor.
 *
 *   1. turns under load: N = 10, 100, 1000 simulated melders, whole conversations over signed
 *      HTTP against `vertrouwd serve` (Redis, demo counsellors, outbox), then the same load
 *      against the floor app; a loopback fake Slack Web API on the other side
 *   2. sealing: validate key + pad + encrypt (± sign) per report size and key type
 *   3. memory: bytes per idle conversation in Redis and in the memory store
 *
 * Writes bench/results/<YYYY-MM-DD>.json and rewrites the summary in docs/benchmarks.md.
 * Needs Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/9: database 9 is the bench's own).
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { generateStateKey } from "../src/store/index.ts";
import type { Templates } from "./lib/conversation.ts";
import { renderSummary, updateDocs } from "./lib/docs.ts";
import { type RateLimitMode, SLACK_TIERS, startFakeSlackApi } from "./lib/fake-slack-api.ts";
import { type LoadPair, type LoadResult, type PacedRun, type ServerRun, runLoad } from "./lib/load.ts";
import { type ServerChild, cpuMs, peakRss } from "./lib/processes.ts";
import { stats } from "./lib/stats.ts";
import { REPO_ROOT, outboxCount, startFloor, startVertrouwd } from "./lib/targets.ts";
import { benchRedis, deleteKeys, memoryStoreHeap, redisMemory } from "./memory.ts";
import { runSealBench } from "./seal.ts";

const LEVELS = (process.env.BENCH_N ?? "10,100,1000").split(",").map(Number);
/** Fake Slack: answer after BENCH_LATENCY_MS ± BENCH_JITTER_MS; Slack's rate limits counted, enforced or off. */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 150);
const JITTER_MS = Number(process.env.BENCH_JITTER_MS ?? 50);
const RATE_LIMITS = (process.env.BENCH_RATE_LIMITS ?? "count") as RateLimitMode;
if (!["count", "enforce", "off"].includes(RATE_LIMITS))
  throw new Error("BENCH_RATE_LIMITS: count, enforce or off");
/**
 * The paced run: one workspace at BENCH_PACED_PER_MINUTE conversations a minute (default 30) for
 * BENCH_PACED_SECONDS (default 60; 0 skips it), people pausing 0.5–1.5 s before each step, Slack's
 * rate limits enforced (429 + Retry-After).
 */
const PACED_PER_MINUTE = Number(process.env.BENCH_PACED_PER_MINUTE ?? 30);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 60);
/** BENCH_ONLY=load skips sealing and memory (quicker runs while working on latency). */
const ONLY_LOAD = process.env.BENCH_ONLY === "load";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/9";
const MEMORY_CONVERSATIONS = 1000;
const WARMUP_MELDERS = 10;
const STEP_TIMEOUT_MS = 30_000;
/** Per load run; with the step timeout this bounds the whole bench. */
const RUN_TIMEOUT_MS = 120_000;
/** Melders arrive within this window (5 ms apart, at most 5 s): no SYN flood past the listen backlog. */
const rampFor = (n: number) => Math.min(5_000, n * 5);

const log = (line: string) => process.stdout.write(`${line}\n`);

async function measured(
  child: ServerChild,
  run: () => Promise<{ result: LoadResult; templates?: Templates }>,
): Promise<{ run: ServerRun; templates?: Templates }> {
  child.problems.clear();
  const cpuBefore = await cpuMs(child.pid);
  const { result, templates } = await run();
  const cpu = (await cpuMs(child.pid)) - cpuBefore;
  return {
    run: {
      ...result,
      peakRssBytes: await peakRss(child.pid),
      cpuMsTotal: Math.round(cpu),
      cpuMsPerConversation:
        result.conversationsCompleted > 0 ? Math.round(cpu / result.conversationsCompleted) : Number.NaN,
      serverWarnings: Object.fromEntries(child.problems),
    },
    ...(templates ? { templates } : {}),
  };
}

function describe(r: ServerRun): string {
  return (
    `chat ack p50/p95/p99 ${r.chatAckMs.p50}/${r.chatAckMs.p95}/${r.chatAckMs.p99} ms, turn p50/p95/p99 ${r.turnMs.p50}/${r.turnMs.p95}/${r.turnMs.p99} ms, ` +
    `${r.turnsPerSecond} turns/s, ${r.conversationsCompleted}/${r.melders} conversations, ${r.errors.total} errors, ` +
    `peak RSS ${Math.round(r.peakRssBytes / 2 ** 20)} MiB, CPU ${r.cpuMsPerConversation} ms/conversation, driver CPU ${r.driverCpuPercent}%`
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const date = new Date().toISOString().slice(0, 10);
  const redis = benchRedis(REDIS_URL);
  try {
    await redis.connect();
  } catch {
    throw new Error(
      `Redis is not reachable at ${REDIS_URL}; start it first (see README.md) or set BENCH_REDIS_URL`,
    );
  }
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info("server"))?.[1] ?? "unknown";
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    redis: redisVersion,
  };
  log(
    `vertrouwd bench ${date}: ${machine.cpus} cores (${machine.cpuModel}), ${Math.round(machine.memoryBytes / 2 ** 30)} GiB, Node ${machine.node}, Redis ${redisVersion}`,
  );

  const home = await mkdtemp(path.join(os.tmpdir(), "vt-bench-"));
  const prefix = `vtbench:${randomBytes(4).toString("hex")}:`;
  const fake = await startFakeSlackApi({
    latencyMs: LATENCY_MS,
    jitterMs: JITTER_MS,
    rateLimits: RATE_LIMITS,
  });
  log(`fake Slack Web API: ${LATENCY_MS} ± ${JITTER_MS} ms, rate limits ${RATE_LIMITS}`);
  const signingSecret = randomBytes(24).toString("hex");
  const env = {
    signingSecret,
    slackApiUrl: fake.url,
    redisUrl: REDIS_URL,
    stateKey: generateStateKey(),
    serverSecret: generateStateKey(),
    redisPrefix: prefix,
  };
  const children: ServerChild[] = [];
  try {
    // --- 1. sealing (first, while nothing else runs)
    log("\n[1/3] sealing: loadCounsellorKey + sealHandoff");
    const sealing = ONLY_LOAD
      ? undefined
      : await runSealBench(home, { budgetMsPerCase: 2_000, maxIterations: 500, progress: log });

    // --- 2. memory per idle conversation
    log(`\n[2/3] memory: ${MEMORY_CONVERSATIONS} conversations parked at the review step`);
    const redisMem = ONLY_LOAD ? undefined : await redisMemory(home, REDIS_URL, MEMORY_CONVERSATIONS);
    if (redisMem)
      log(
        `  Redis: ${redisMem.bytesPerConversation} B/conversation (MEMORY USAGE), ${redisMem.usedMemoryDeltaPerConversation} B (used_memory delta)`,
      );
    const heapMem = ONLY_LOAD ? undefined : await memoryStoreHeap(home, MEMORY_CONVERSATIONS);
    if (heapMem)
      log(`  memory store: ${heapMem.bytesPerConversation} B/conversation (heap + external delta)`);

    // --- 3. load
    log(`\n[3/3] turns under load: N = ${LEVELS.join(", ")} (vertrouwd, then the floor)`);
    const pairs: LoadPair[] = [];
    let templates: Templates | undefined;
    for (const n of LEVELS) {
      const base = {
        melders: n,
        signingSecret,
        fake,
        stepTimeoutMs: STEP_TIMEOUT_MS,
        runTimeoutMs: RUN_TIMEOUT_MS,
        progress: log,
      };
      // vertrouwd: a fresh server per N, so its peak RSS belongs to this N.
      // BENCH_CPU_PROF=<dir>: V8 CPU profile of each vertrouwd server (summarise with bench/profile-top.ts).
      const profDir = process.env.BENCH_CPU_PROF;
      const server = await startVertrouwd(
        home,
        env,
        profDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profDir)}`] : [],
      );
      children.push(server);
      const eventsUrl = `http://127.0.0.1:${server.port}/slack/events`;
      const warm = await runLoad({
        ...base,
        melders: WARMUP_MELDERS,
        target: "vertrouwd",
        eventsUrl,
        rampMs: 0,
      });
      templates ??= warm.templates;
      const outboxBefore = await outboxCount(home);
      log(`  vertrouwd N=${n}…`);
      const ours = await measured(server, () =>
        runLoad({ ...base, target: "vertrouwd", eventsUrl, rampMs: rampFor(n) }),
      );
      ours.run.handoffsInOutbox = (await outboxCount(home)) - outboxBefore;
      await server.stop();
      log(`  vertrouwd N=${n}: ${describe(ours.run)}`);

      const floorServer = await startFloor(home, env);
      children.push(floorServer);
      const floorUrl = `http://127.0.0.1:${floorServer.port}/slack/events`;
      const floorBase = {
        ...base,
        target: "floor" as const,
        eventsUrl: floorUrl,
        ...(templates ? { templates } : {}),
      };
      await runLoad({ ...floorBase, melders: WARMUP_MELDERS, rampMs: 0 });
      log(`  floor N=${n}…`);
      const floor = await measured(floorServer, () => runLoad({ ...floorBase, rampMs: rampFor(n) }));
      await floorServer.stop();
      log(`  floor     N=${n}: ${describe(floor.run)}`);
      const ratio = {
        ackP99: stats.ratio(ours.run.ackMs.p99, floor.run.ackMs.p99),
        turnP99: stats.ratio(ours.run.turnMs.p99, floor.run.turnMs.p99),
        ackP99AfterRamp: stats.ratio(ours.run.ackMsAfterRamp.p99, floor.run.ackMsAfterRamp.p99),
        turnP99AfterRamp: stats.ratio(ours.run.turnMsAfterRamp.p99, floor.run.turnMsAfterRamp.p99),
        chatAckP99: stats.ratio(ours.run.chatAckMs.p99, floor.run.chatAckMs.p99),
        chatAckP99AfterRamp: stats.ratio(ours.run.chatAckMsAfterRamp.p99, floor.run.chatAckMsAfterRamp.p99),
      };
      log(
        `  N=${n}: p99 vertrouwd/floor: chat ack ${ratio.chatAckP99}x, full turn ${ratio.turnP99}x; after the ramp: chat ack ${ratio.chatAckP99AfterRamp}x, full turn ${ratio.turnP99AfterRamp}x`,
      );
      const o = ours.run.clickToViewsOpenMs;
      log(
        `  N=${n}: click → views.open p50/p95/p99/max ${o.p50}/${o.p95}/${o.p99}/${o.max} ms (${o.over2500} over 2.5 s, ${o.expired} expired); ` +
          `critical path per conversation ${ours.run.criticalPathPerConversation} (floor ${floor.run.criticalPathPerConversation}); ` +
          `calls per conversation ${ours.run.callsPerConversation} (floor ${floor.run.callsPerConversation}); ` +
          `would-be 429s ${JSON.stringify(ours.run.rateLimited)} (floor ${JSON.stringify(floor.run.rateLimited)})`,
      );
      pairs.push({ melders: n, vertrouwd: ours.run, floor: floor.run, ratio });
    }

    // --- 3b. one workspace at a human pace, Slack's limits enforced
    let paced: PacedRun | undefined;
    if (PACED_SECONDS > 0) {
      const conversations = Math.round((PACED_PER_MINUTE * PACED_SECONDS) / 60);
      log(
        `\n[3b] one workspace: ${conversations} conversations over ${PACED_SECONDS} s (${PACED_PER_MINUTE} a minute), rate limits enforced`,
      );
      const server = await startVertrouwd(home, env);
      children.push(server);
      const eventsUrl = `http://127.0.0.1:${server.port}/slack/events`;
      const mode = fake.settings.rateLimits;
      fake.settings.rateLimits = "enforce";
      try {
        const { run } = await measured(server, () =>
          runLoad({
            target: "vertrouwd",
            melders: conversations,
            eventsUrl,
            signingSecret,
            fake,
            stepTimeoutMs: STEP_TIMEOUT_MS,
            runTimeoutMs: PACED_SECONDS * 1000 + RUN_TIMEOUT_MS,
            rampMs: PACED_SECONDS * 1000,
            thinkMs: () => 500 + Math.random() * 1000,
            settleMs: 3_000,
            progress: log,
          }),
        );
        paced = { perMinute: PACED_PER_MINUTE, seconds: PACED_SECONDS, run };
        log(
          `  ${run.conversationsCompleted}/${conversations} conversations, ${run.errors.total} errors, full turn p50/p99 ${run.turnMs.p50}/${run.turnMs.p99} ms; ` +
            `429s ${JSON.stringify(run.rateLimited)}; most calls in any 60 s ${JSON.stringify(run.peakPerMinute)}`,
        );
      } finally {
        fake.settings.rateLimits = mode;
        await server.stop();
      }
    }

    const results = {
      date,
      machine,
      settings: {
        levels: LEVELS,
        requestsPerConversation: pairs[0]?.vertrouwd.requestsPerMelder,
        warmupMelders: WARMUP_MELDERS,
        stepTimeoutMs: STEP_TIMEOUT_MS,
        runTimeoutMs: RUN_TIMEOUT_MS,
        rampMs: Object.fromEntries(LEVELS.map((n) => [n, rampFor(n)])),
        redisUrl: REDIS_URL,
        logLevel: "info",
        fakeSlack: fake.settings,
        slackTiers: SLACK_TIERS,
      },
      load: pairs,
      ...(paced ? { paced } : {}),
      sealing,
      memory: { redis: redisMem, memoryStore: heapMem },
      durationS: Math.round((performance.now() - started) / 1000),
    };
    const resultsDir = path.join(REPO_ROOT, "bench/results");
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(
      resultsDir,
      `${date}${process.env.BENCH_LABEL ? `-${process.env.BENCH_LABEL}` : ""}.json`,
    );
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    if (sealing && redisMem && heapMem)
      await updateDocs(
        path.join(REPO_ROOT, "docs/benchmarks.md"),
        renderSummary({
          ...results,
          sealing,
          memory: { redis: redisMem, memoryStore: heapMem },
          file: path.relative(REPO_ROOT, file),
        }),
      );
    log(
      `\nwrote ${path.relative(REPO_ROOT, file)}${sealing ? " and docs/benchmarks.md" : ""} (${results.durationS} s)`,
    );
  } finally {
    for (const child of children) await child.stop().catch(() => undefined);
    await fake.close();
    // The server's conversations: our prefix, and "vt:" while serve ignores VERTROUWD_REDIS_PREFIX
    // (database 9 belongs to the bench, so nothing else lives there).
    const deleted = (await deleteKeys(redis, `${prefix}*`)) + (await deleteKeys(redis, "vt:*"));
    log(`cleaned up ${deleted} Redis keys`);
    await redis.quit();
    await rm(home, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
