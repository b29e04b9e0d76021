/**
 * One load run: N melders at once, each playing the whole conversation (closed loop, no think
 * time: the next request goes out as soon as the previous reply arrived). Bounded in time.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ReplyRouter,
  type StepRecord,
  type Target,
  type Templates,
  playConversation,
} from "./conversation.ts";
import type { FakeSlackApi } from "./fake-slack-api.ts";
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
  router.close();
  sender.close();

  const records: StepRecord[] = runs.flatMap((r) => r.records);
  const ok = records.filter((r) => r.ok);
  const count = (e: StepRecord["error"]) => records.filter((r) => r.error === e).length;
  const completed = runs.filter(
    (r) => r.records.length > 0 && r.records.every((x) => x.ok) && r.records.length === 10,
  );
  const errors = {
    ackStatus: count("ack_status"),
    ackTimeout: count("ack_timeout"),
    unavailable: count("unavailable"),
    missingReply: count("missing_reply"),
    deadline: count("deadline"),
    total: 0,
  };
  errors.total =
    errors.ackStatus + errors.ackTimeout + errors.unavailable + errors.missingReply + errors.deadline;
  const result: LoadResult = {
    target: options.target,
    melders: options.melders,
    requestsPerMelder: 10,
    rampMs: options.rampMs,
    requestsSent: records.filter((r) => r.ackMs !== undefined).length,
    conversationsCompleted: completed.length,
    wallMs: round(wallMs, 0),
    turnsPerSecond: round(ok.length / (wallMs / 1000), 1),
    ackMs: summarize(records.flatMap((r) => (r.ackMs !== undefined && r.status === 200 ? [r.ackMs] : []))),
    turnMs: summarize(ok.map((r) => r.turnMs as number)),
    handoffTurnMs: summarize(ok.filter((r) => r.step === "send_handoff").map((r) => r.turnMs as number)),
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
  ratio: { ackP99: number; turnP99: number };
}

export interface ServerRun extends LoadResult {
  peakRssBytes: number;
  cpuMsTotal: number;
  cpuMsPerConversation: number;
  handoffsInOutbox?: number;
  /** Warn/error log events of the server during the run, by name. */
  serverWarnings: Record<string, number>;
}
