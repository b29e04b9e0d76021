/**
 * The summary table in docs/benchmarks.md: rendered from a results file and written between
 * two marker comments, so the prose around it stays as written.
 */
import { readFile, writeFile } from "node:fs/promises";
import type { MemoryStoreResult, RedisMemoryResult } from "../memory.ts";
import type { SealBenchResult } from "../seal.ts";
import type { LoadPair, PacedRun } from "./load.ts";

export interface BenchResults {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    node: string;
    platform: string;
    redis: string;
  };
  settings: {
    rampMs: Record<string, number>;
    stepTimeoutMs: number;
    fakeSlack: { latencyMs: number; jitterMs: number; rateLimits: string };
    slackTiers: Record<string, { tier: string; perMinute: number }>;
  };
  /** The results file, relative to the repository. */
  file: string;
  load: LoadPair[];
  paced?: PacedRun;
  sealing: SealBenchResult;
  memory: { redis: RedisMemoryResult; memoryStore: MemoryStoreResult };
  durationS: number;
}

export const BEGIN = "<!-- bench:summary:begin (written by npm run bench) -->";
export const END = "<!-- bench:summary:end -->";

const ms = (x: number) => (Number.isFinite(x) ? String(x) : "–");
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const yes = (ok: boolean) => (ok ? "**met**" : "**missed**");

export function renderSummary(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `Run of ${r.date} on ${m.cpus} cores (${m.cpuModel}), ${Math.round(m.memoryBytes / 2 ** 30)} GiB RAM, ` +
      `Node ${m.node}, Redis ${m.redis}, ${m.platform}; the whole bench took ${r.durationS} s. ` +
      `Fake Slack Web API answering in ${r.settings.fakeSlack.latencyMs} ± ${r.settings.fakeSlack.jitterMs} ms, rate limits ${r.settings.fakeSlack.rateLimits}. ` +
      `Raw figures: \`${r.file}\`.`,
    "",
    "### Turns under load (whole conversations, 10 requests each)",
    "",
    "Chat ack: the 4 chat requests (acked before their turn runs). A modal step is answered in its ack, so its ack is its full turn. Handoff turn: the send, sealed before its ack.",
    "",
    "| N | system | chat ack p50 / p95 / p99 (ms) | full turn p50 / p95 / p99 (ms) | handoff turn p99 (ms) | turns/s | conversations done | errors | peak RSS | server CPU / conversation |",
    "|---:|---|---|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const p of r.load) {
    for (const [name, s] of [
      ["vertrouwd", p.vertrouwd],
      ["floor (bare Bolt)", p.floor],
    ] as const) {
      const errs = s.errors;
      const detail = [
        errs.ackStatus ? `${errs.ackStatus} non-200` : "",
        errs.ackTimeout ? `${errs.ackTimeout} ack timeout` : "",
        errs.unavailable ? `${errs.unavailable} "unavailable"` : "",
        errs.missingReply ? `${errs.missingReply} no reply` : "",
        errs.deadline ? `${errs.deadline} cut by deadline` : "",
      ].filter(Boolean);
      out.push(
        `| ${p.melders} | ${name} | ${ms(s.chatAckMs.p50)} / ${ms(s.chatAckMs.p95)} / ${ms(s.chatAckMs.p99)} | ` +
          `${ms(s.turnMs.p50)} / ${ms(s.turnMs.p95)} / ${ms(s.turnMs.p99)} | ${name === "vertrouwd" ? ms(s.handoffTurnMs.p99) : "–"} | ` +
          `${s.turnsPerSecond} | ${s.conversationsCompleted} / ${s.melders} | ${errs.total}${detail.length ? ` (${detail.join(", ")})` : ""} | ` +
          `${mib(s.peakRssBytes)} | ${ms(s.cpuMsPerConversation)} ms |`,
      );
    }
  }
  out.push(
    "",
    "| N | p99 chat ack ÷ floor: all / after the ramp | p99 full turn ÷ floor: all / after the ramp |",
    "|---:|---:|---:|",
  );
  for (const p of r.load)
    out.push(
      `| ${p.melders} | ${ms(p.ratio.chatAckP99)}× / ${ms(p.ratio.chatAckP99AfterRamp)}× | ${ms(p.ratio.turnP99)}× / ${ms(p.ratio.turnP99AfterRamp)}× |`,
    );
  out.push(...slackShape(r));

  out.push(
    "",
    "### Sealing (loadCounsellorKey + sealHandoff, one at a time)",
    "",
    "| recipient key | signed | report | sealed size | mean (ms) | p50 (ms) | p95 (ms) | iterations |",
    "|---|---|---|---:|---:|---:|---:|---:|",
  );
  for (const c of r.sealing.cases) {
    out.push(
      `| ${c.key === "curve25519" ? "Curve25519" : "RSA-4096"} | ${c.signed ? "yes (Ed25519)" : "no"} | ${c.report} | ` +
        `${Math.round(c.sealedBytes / 1024)} KiB | ${c.mean} | ${c.p50} | ${c.p95} | ${c.iterations} |`,
    );
  }

  const redis = r.memory.redis;
  const heap = r.memory.memoryStore;
  out.push(
    "",
    "### Memory per idle conversation (parked at the review step with a ~1 KB report)",
    "",
    "| store | bytes per conversation | how |",
    "|---|---:|---|",
    `| Redis | ${redis.bytesPerConversation} | MEMORY USAGE summed over ${redis.keys} keys of ${redis.conversations} conversations (${Object.entries(
      redis.keysPerConversation,
    )
      .map(([k, n]) => `${n} ${k}`)
      .join(", ")} per conversation) |`,
    `| Redis | ${redis.usedMemoryDeltaPerConversation} | INFO used_memory delta ÷ ${redis.conversations} |`,
    `| memory store | ${heap.bytesPerConversation} | heap + external delta after GC ÷ ${heap.conversations} (child process, --expose-gc) |`,
  );

  // Targets.
  const top = r.load.find((p) => p.melders === 1000);
  const seal10k = r.sealing.cases.find((c) => c.key === "curve25519" && c.report === "10 KB" && !c.signed);
  const seal10kSigned = r.sealing.cases.find(
    (c) => c.key === "curve25519" && c.report === "10 KB" && c.signed,
  );
  out.push("", "### Targets", "", "| target | result | |", "|---|---|---|");
  if (top) {
    out.push(
      `| p99 chat ack < 100 ms at N = 1,000, zero errors | p99 ${ms(top.vertrouwd.chatAckMs.p99)} ms, ${top.vertrouwd.errors.total} errors | ${yes(
        top.vertrouwd.chatAckMs.p99 < 100 && top.vertrouwd.errors.total === 0,
      )} |`,
    );
  }
  out.push(...slackTargets(r));
  for (const p of r.load) {
    out.push(
      // Percentiles cover answered turns only: with failed conversations the ratio says nothing.
      `| earlier target: p99 within 1.5× the floor over all requests, N = ${p.melders} | chat ack ${ms(p.ratio.chatAckP99)}×, full turn ${ms(p.ratio.turnP99)}×${
        p.vertrouwd.errors.total > 0 ? ` (but ${p.vertrouwd.errors.total} vertrouwd errors)` : ""
      } | ${yes(p.ratio.chatAckP99 <= 1.5 && p.ratio.turnP99 <= 1.5 && p.vertrouwd.errors.total === 0)} |`,
    );
  }
  if (seal10k && seal10kSigned) {
    out.push(
      `| sealing 10 KB < 20 ms with Curve25519 | mean ${seal10k.mean} ms unsigned, ${seal10kSigned.mean} ms signed (p95 ${seal10k.p95} / ${seal10kSigned.p95}) | ${yes(
        seal10k.mean < 20 && seal10kSigned.mean < 20,
      )} |`,
    );
  }
  return out.join("\n");
}

/** Replaces the text between the markers; appends a marked section when the markers are missing. */
export async function updateDocs(file: string, summary: string): Promise<void> {
  const current = await readFile(file, "utf8").catch(() => "# Benchmarks\n");
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const block = `${BEGIN}\n${summary}\n${END}`;
  const next =
    begin >= 0 && end > begin
      ? `${current.slice(0, begin)}${block}${current.slice(end + END.length)}`
      : `${current.trimEnd()}\n\n## Summary\n\n${block}\n`;
  await writeFile(file, next);
}

/** Web API calls: critical path per step, calls per conversation, click → views.open, rate limits. */
export function slackShape(r: Pick<BenchResults, "load" | "settings" | "paced">): string[] {
  const out: string[] = [];
  const first = r.load[0];
  if (!first) return out;
  const steps = Object.keys(first.vertrouwd.criticalPath);
  out.push(
    "",
    `### Web API calls (N = ${first.melders})`,
    "",
    "Critical path = Web API round trips in sequence from the request to the call the melder waits for (median over the turns; max in brackets when higher).",
    "",
    `| step | ${steps.join(" | ")} | per conversation |`,
    `|---|${steps.map(() => "---:").join("|")}|---:|`,
  );
  for (const [name, run] of [
    ["vertrouwd", first.vertrouwd],
    ["floor", first.floor],
  ] as const) {
    const cells = steps.map((s) => {
      const c = run.criticalPath[s];
      return c ? (c.max > c.median ? `${c.median} (${c.max})` : String(c.median)) : "–";
    });
    out.push(`| ${name} | ${cells.join(" | ")} | ${run.criticalPathPerConversation} |`);
  }
  out.push(
    "",
    "| N | system | calls per conversation | by method | click → views.open p50 / p95 / p99 / max (ms) | over 2.5 s / expired | calls over Slack's limits (429) |",
    "|---:|---|---:|---|---|---:|---|",
  );
  for (const p of r.load) {
    for (const [name, run] of [
      ["vertrouwd", p.vertrouwd],
      ["floor", p.floor],
    ] as const) {
      const o = run.clickToViewsOpenMs;
      const methods = Object.entries(run.callsPerConversationByMethod)
        .map(([m, n]) => `${m} ${n}`)
        .join(", ");
      const limited = Object.entries(run.rateLimited)
        .map(([m, n]) => `${m} ${n}`)
        .join(", ");
      out.push(
        `| ${p.melders} | ${name} | ${run.callsPerConversation} | ${methods} | ${
          name === "vertrouwd" ? `${ms(o.p50)} / ${ms(o.p95)} / ${ms(o.p99)} / ${ms(o.max)}` : "–"
        } | ${name === "vertrouwd" ? `${o.over2500} / ${o.expired}` : "–"} | ${limited || "none"} |`,
      );
    }
  }
  // A workspace at 30 conversations a minute: calls per conversation × 30 against each method's tier.
  out.push(
    "",
    `### One workspace at 30 conversations a minute (calls per conversation at N = ${first.melders} × 30)`,
    "",
    "| method | Slack's limit | calls per minute | within |",
    "|---|---|---:|---|",
  );
  for (const [method, perConversation] of Object.entries(first.vertrouwd.callsPerConversationByMethod)) {
    const tier = r.settings.slackTiers[method];
    const perMinute = round1(perConversation * 30);
    const limit =
      method === "chat.postMessage"
        ? "about 1 per second per channel (each melder has their own DM)"
        : method === "response_url"
          ? "no tier: 5 uses per click within 30 minutes"
          : tier
            ? `${tier.tier}, ${tier.perMinute}+ per minute`
            : "–";
    const within = tier ? (perMinute <= tier.perMinute ? "yes" : "**no**") : "yes";
    out.push(`| ${method} | ${limit} | ${perMinute} | ${within} |`);
  }
  if (r.paced) {
    const p = r.paced.run;
    out.push(
      "",
      `Measured: ${p.melders} conversations arriving over ${r.paced.seconds} s (${r.paced.perMinute} a minute) in one workspace, ` +
        `0.5–1.5 s of thought before each step, Slack's limits enforced (429 + Retry-After): ${p.conversationsCompleted} / ${p.melders} completed, ` +
        `${p.errors.total} errors, full turn p50 / p99 ${ms(p.turnMs.p50)} / ${ms(p.turnMs.p99)} ms.`,
      "",
      "| method | most calls in any 60 s | Slack's limit | refused (429) |",
      "|---|---:|---|---:|",
    );
    for (const [method, peak] of Object.entries(p.peakPerMinute)) {
      const tier = r.settings.slackTiers[method];
      out.push(
        `| ${method} | ${peak} | ${tier ? `${tier.perMinute} (${tier.tier})` : method === "chat.postMessage" ? "1/s per channel" : "none"} | ${p.rateLimited[method] ?? 0} |`,
      );
    }
  }
  return out;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function slackTargets(r: Pick<BenchResults, "load" | "settings" | "paced">): string[] {
  const out: string[] = [];
  const at = (n: number) => r.load.find((p) => p.melders === n);
  for (const [n, bound] of [
    [10, 1.5],
    [100, 2],
  ] as const) {
    const p = at(n);
    if (p)
      out.push(
        `| p99 full turn ≤ ${bound}× the floor's after the ramp, N = ${n} | ${ms(p.ratio.turnP99AfterRamp)}× (over all: ${ms(p.ratio.turnP99)}×) | ${yes(p.ratio.turnP99AfterRamp <= bound)} |`,
      );
  }
  const top = at(1000);
  if (top) {
    const o = top.vertrouwd.clickToViewsOpenMs;
    out.push(
      `| click → views.open p99 < 1 s at N = 1,000, none over 2.5 s | p99 ${ms(o.p99)} ms, max ${ms(o.max)} ms, ${o.over2500} over 2.5 s | ${yes(o.p99 < 1000 && o.over2500 === 0 && o.expired === 0)} |`,
    );
  }
  const first = r.load[0];
  if (first) {
    const extra = Math.max(
      ...Object.entries(first.vertrouwd.criticalPath).map(
        ([s, c]) => c.median - (first.floor.criticalPath[s]?.median ?? 1),
      ),
    );
    out.push(
      `| at most one Web API call on a turn's critical path beyond the floor's | at most ${extra} beyond (N = ${first.melders}, median per step) | ${yes(extra <= 1)} |`,
    );
    const over = Object.entries(first.vertrouwd.callsPerConversationByMethod).filter(([m, n]) => {
      const tier = r.settings.slackTiers[m];
      return tier !== undefined && n * 30 > tier.perMinute;
    });
    out.push(
      `| Web API calls within Slack's per-workspace limits at 30 conversations a minute | ${
        over.length
          ? over.map(([m, n]) => `${m} ${round1(n * 30)}/min`).join(", ")
          : "every method within its tier"
      } | ${yes(over.length === 0)} |`,
    );
  }
  return out;
}
