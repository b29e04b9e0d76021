/**
 * One load run: N melders at once, each playing the whole conversation (closed loop, no think
 * time: the next request goes out as soon as the previous reply arrived). Bounded in time.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ReplyRouter,
  SEND_STEP,
  type StepRecord,
  type Target,
  type Templates,
  playConversation,
} from "./conversation.ts";
import type { FakeSlackApi, LoggedCall } from "./fake-slack-api.ts";
import { SlackSender } from "./slack-requests.ts";
import { type Summary, round, summarize } from "./stats.ts";

export interface LoadResult {
  target: Target;
  melders: number;
  requestsPerMelder: number;
  requestsSent: number;
  conversationsCompleted: number;
  wallMs: number;
  turnsPerSecond: number;
  ackMs: Summary;
  turnMs: Summary;
  /** Acks of the chat requests only (a modal step's ack carries its turn: see turnMs). */
  chatAckMs: Summary;
  chatAckMsAfterRamp: Summary;
  /** The same, over requests started after the arrival ramp (all melders have arrived). */
  ackMsAfterRamp: Summary;
  turnMsAfterRamp: Summary;
  /** Click on "open the form" → views.open reaching Slack (the trigger_id expires after 3 s). */
  clickToViewsOpenMs: Summary & { over2500: number; over3000: number; expired: number };
  /**
   * Web API round trips on each turn's critical path, by step: the longest chain of calls for the
   * melder's DM in which each call started after the previous one was answered, ending with the
   * call the melder waits for. With ≥ 100 ms latency, calls made alongside never chain.
   */
  criticalPath: Record<string, { median: number; max: number }>;
  /** Sum of the steps' median critical paths: sequential round trips per conversation. */
  criticalPathPerConversation: number;
  /** Web API calls (response_url posts included, auth.test not) per completed conversation. */
  callsPerConversation: number;
  callsPerConversationByMethod: Record<string, number>;
  /** Calls Slack would have refused with 429 (or did, when enforced), by method. */
  rateLimited: Record<string, number>;
  /** The most calls of each method in any 60 s of the run (Slack's tiers are per minute). */
  peakPerMinute: Record<string, number>;
  /** Full turn of the handoff step alone (seal + deliver for vertrouwd). */
  handoffTurnMs: Summary;
  /** Arrival ramp: melder i starts at i × rampMs / N. */
  rampMs: number;
  errors: {
    total: number;
    ackStatus: number;
    ackTimeout: number;
    unavailable: number;
    missingReply: number;
    deadline: number;
    triggerExpired: number;
  };
  webApiCalls: Record<string, number>;
  /** CPU the load generator + fake Web API process used, as % of one core over the run. */
  driverCpuPercent: number;
}

export interface LoadOptions {
  target: Target;
  melders: number;
  eventsUrl: string;
  signingSecret: string;
  fake: FakeSlackApi;
  stepTimeoutMs: number;
  runTimeoutMs: number;
  templates?: Templates;
  rampMs: number;
  /** How long to wait after the last turn for calls made alongside it. */
  settleMs?: number;
  /** A person's pause before each step after the first (paced runs). */
  thinkMs?: () => number;
  progress: (line: string) => void;
}

export async function runLoad(options: LoadOptions): Promise<{ result: LoadResult; templates?: Templates }> {
  const { fake } = options;
  fake.reset();
  const router = new ReplyRouter(fake);
  const sender = new SlackSender(options.eventsUrl, options.signingSecret);
  const started = performance.now();
  const driverCpu = process.cpuUsage();
  const deadline = started + options.runTimeoutMs;
  let finished = 0;
  const ticker = setInterval(
    () =>
      options.progress(
        `    ${options.target} N=${options.melders}: ${finished}/${options.melders} conversations done`,
      ),
    5_000,
  );
  const runs = await Promise.all(
    Array.from({ length: options.melders }, async (_, i) => {
      // Melders arrive spread over the ramp, not in one SYN flood beyond the listen backlog.
      await sleep((i * options.rampMs) / options.melders);
      return playConversation({
        target: options.target,
        sender,
        router,
        fake,
        ...(options.thinkMs ? { thinkMs: options.thinkMs } : {}),
        teamId: `T0BENCH${i % 4}`,
        stepTimeoutMs: options.stepTimeoutMs,
        deadline,
        ...(options.templates ? { templates: options.templates } : {}),
      }).finally(() => finished++);
    }),
  );
  clearInterval(ticker);
  const wallMs = performance.now() - started;
  const driverUsage = process.cpuUsage(driverCpu);
  // Calls made alongside the last turns (answered-message marks, the receipt) still count.
  await sleep(options.settleMs ?? 1_500);
  router.close();
  sender.close();

  const records: StepRecord[] = runs.flatMap((r) => r.records);
  const ok = records.filter((r) => r.ok);
  const count = (e: StepRecord["error"]) => records.filter((r) => r.error === e).length;
  const completed = runs.filter((r) => r.finished && r.records.length > 0 && r.records.every((x) => x.ok));
  const errors = {
    triggerExpired: count("trigger_expired"),
    ackStatus: count("ack_status"),
    ackTimeout: count("ack_timeout"),
    unavailable: count("unavailable"),
    missingReply: count("missing_reply"),
    deadline: count("deadline"),
    total: 0,
  };
  errors.total =
    errors.triggerExpired +
    errors.ackStatus +
    errors.ackTimeout +
    errors.unavailable +
    errors.missingReply +
    errors.deadline;
  const rampEnd = started + options.rampMs;
  const afterRamp = records.filter((r) => (r.startedAt ?? 0) >= rampEnd);
  const opens = records.filter((r) => r.step === "open_form" && r.reachedSlackMs !== undefined);
  const openMs = opens.map((r) => r.reachedSlackMs as number);
  const calls = fake.log.filter((c) => c.method !== "auth.test");
  const perMethod = new Map<string, number>();
  for (const c of calls) perMethod.set(c.method, (perMethod.get(c.method) ?? 0) + 1);
  const conversations = Math.max(1, completed.length);
  const criticalPath = criticalPaths(ok, calls);
  const result: LoadResult = {
    target: options.target,
    melders: options.melders,
    requestsPerMelder: round(
      completed.reduce((sum, r) => sum + r.records.length, 0) / Math.max(1, completed.length),
      1,
    ),
    rampMs: options.rampMs,
    requestsSent: records.filter((r) => r.ackMs !== undefined).length,
    conversationsCompleted: completed.length,
    wallMs: round(wallMs, 0),
    turnsPerSecond: round(ok.length / (wallMs / 1000), 1),
    ackMs: summarize(records.flatMap((r) => (r.ackMs !== undefined && r.status === 200 ? [r.ackMs] : []))),
    turnMs: summarize(ok.map((r) => r.turnMs as number)),
    chatAckMs: summarize(
      records.flatMap((r) => (r.ackMs !== undefined && r.status === 200 && !isModal(r) ? [r.ackMs] : [])),
    ),
    chatAckMsAfterRamp: summarize(
      afterRamp.flatMap((r) => (r.ackMs !== undefined && r.status === 200 && !isModal(r) ? [r.ackMs] : [])),
    ),
    ackMsAfterRamp: summarize(
      afterRamp.flatMap((r) => (r.ackMs !== undefined && r.status === 200 ? [r.ackMs] : [])),
    ),
    turnMsAfterRamp: summarize(afterRamp.filter((r) => r.ok).map((r) => r.turnMs as number)),
    clickToViewsOpenMs: {
      ...summarize(openMs),
      over2500: openMs.filter((x) => x > 2_500).length,
      over3000: openMs.filter((x) => x > 3_000).length,
      expired: opens.filter((r) => r.error === "trigger_expired").length,
    },
    criticalPath,
    criticalPathPerConversation: Object.values(criticalPath).reduce((sum, c) => sum + c.median, 0),
    callsPerConversation: round(calls.length / conversations, 1),
    callsPerConversationByMethod: Object.fromEntries(
      [...perMethod.entries()].sort().map(([m, n]) => [m, round(n / conversations, 2)]),
    ),
    rateLimited: Object.fromEntries([...fake.rateLimited.entries()].sort()),
    peakPerMinute: peakPerMinute(calls),
    handoffTurnMs: summarize(ok.filter((r) => r.step === SEND_STEP).map((r) => r.turnMs as number)),
    errors,
    driverCpuPercent: round(((driverUsage.user + driverUsage.system) / 1000 / wallMs) * 100, 0),
    webApiCalls: Object.fromEntries([...fake.counts.entries()].sort()),
  };
  // The first whole vertrouwd conversation is what the floor replays (same request sizes).
  const templates = completed[0]?.templates;
  return { result, ...(templates ? { templates } : {}) };
}

export interface LoadPair {
  melders: number;
  vertrouwd: ServerRun;
  floor: ServerRun;
  ratio: {
    ackP99: number;
    turnP99: number;
    ackP99AfterRamp: number;
    turnP99AfterRamp: number;
    chatAckP99: number;
    chatAckP99AfterRamp: number;
  };
}

export interface ServerRun extends LoadResult {
  peakRssBytes: number;
  cpuMsTotal: number;
  cpuMsPerConversation: number;
  handoffsInOutbox?: number;
  /** Warn/error log events of the server during the run, by name. */
  serverWarnings: Record<string, number>;
}

/** A modal step (view_submission), answered in its ack. */
const isModal = (r: StepRecord) => r.step.startsWith("form:");

/** Per step: the median and longest critical path (Web API round trips in sequence) of its turns. */
function criticalPaths(
  ok: StepRecord[],
  calls: LoggedCall[],
): Record<string, { median: number; max: number }> {
  const byChannel = new Map<string, LoggedCall[]>();
  for (const c of calls) {
    const list = byChannel.get(c.channel) ?? [];
    list.push(c);
    byChannel.set(c.channel, list);
  }
  const depths = new Map<string, number[]>();
  for (const r of ok) {
    if (r.answeredInAck) {
      depths.set(r.step, [...(depths.get(r.step) ?? []), 0]);
      continue;
    }
    if (r.startedAt === undefined || r.endAt === undefined) continue;
    const start = r.startedAt;
    const end = r.endAt;
    const turn = (byChannel.get(r.channel) ?? [])
      .filter((c) => c.at >= start && c.at <= end)
      .sort((a, b) => a.at - b.at);
    const depth: number[] = [];
    for (const [i, c] of turn.entries()) {
      let before = 0;
      for (let j = 0; j < i; j++) {
        const prev = turn[j] as LoggedCall;
        if (prev.doneAt <= c.at) before = Math.max(before, depth[j] as number);
      }
      depth.push(before + 1);
    }
    const list = depths.get(r.step) ?? [];
    list.push(depth.at(-1) ?? 0);
    depths.set(r.step, list);
  }
  return Object.fromEntries(
    [...depths.entries()].map(([step, list]) => {
      const sorted = list.sort((a, b) => a - b);
      return [step, { median: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0, max: sorted.at(-1) ?? 0 }];
    }),
  );
}

/** Per method, the most calls that arrived within any 60 s. */
function peakPerMinute(calls: LoggedCall[]): Record<string, number> {
  const byMethod = new Map<string, number[]>();
  for (const c of calls) {
    const times = byMethod.get(c.method) ?? [];
    times.push(c.at);
    byMethod.set(c.method, times);
  }
  const peaks: Record<string, number> = {};
  for (const [method, times] of [...byMethod.entries()].sort()) {
    times.sort((a, b) => a - b);
    let peak = 0;
    let from = 0;
    for (let to = 0; to < times.length; to++) {
      while ((times[to] as number) - (times[from] as number) >= 60_000) from++;
      peak = Math.max(peak, to - from + 1);
    }
    peaks[method] = peak;
  }
  return peaks;
}

/** One workspace at a human pace with Slack's limits enforced. */
export interface PacedRun {
  perMinute: number;
  seconds: number;
  run: ServerRun;
}
