/**
 * The summary table in docs/benchmarks.md: rendered from a results file and written between
 * two marker comments, so the prose around it stays as written.
 */
import { readFile, writeFile } from "node:fs/promises";
import type { MemoryStoreResult, RedisMemoryResult } from "../memory.ts";
import type { SealBenchResult } from "../seal.ts";
import type { LoadPair } from "./load.ts";

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
  settings: { rampMs: Record<string, number>; stepTimeoutMs: number };
  load: LoadPair[];
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
      `Raw figures: \`bench/results/${r.date}.json\`.`,
    "",
    "### Turns under load (whole conversations, 10 requests each)",
    "",
    "| N | system | ack p50 / p95 / p99 (ms) | full turn p50 / p95 / p99 (ms) | handoff turn p99 (ms) | turns/s | conversations done | errors | peak RSS | server CPU / conversation |",
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
        `| ${p.melders} | ${name} | ${ms(s.ackMs.p50)} / ${ms(s.ackMs.p95)} / ${ms(s.ackMs.p99)} | ` +
          `${ms(s.turnMs.p50)} / ${ms(s.turnMs.p95)} / ${ms(s.turnMs.p99)} | ${name === "vertrouwd" ? ms(s.handoffTurnMs.p99) : "–"} | ` +
          `${s.turnsPerSecond} | ${s.conversationsCompleted} / ${s.melders} | ${errs.total}${detail.length ? ` (${detail.join(", ")})` : ""} | ` +
          `${mib(s.peakRssBytes)} | ${ms(s.cpuMsPerConversation)} ms |`,
      );
    }
  }
  out.push("", "| N | p99 ack, vertrouwd ÷ floor | p99 full turn, vertrouwd ÷ floor |", "|---:|---:|---:|");
  for (const p of r.load) out.push(`| ${p.melders} | ${ms(p.ratio.ackP99)}× | ${ms(p.ratio.turnP99)}× |`);

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
      `| p99 ack < 100 ms at N = 1,000, zero errors | p99 ${ms(top.vertrouwd.ackMs.p99)} ms, ${top.vertrouwd.errors.total} errors | ${yes(
        top.vertrouwd.ackMs.p99 < 100 && top.vertrouwd.errors.total === 0,
      )} |`,
    );
  }
  for (const p of r.load) {
    out.push(
      // Percentiles cover answered turns only: with failed conversations the ratio says nothing.
      `| p99 within 1.5× the floor, N = ${p.melders} | ack ${ms(p.ratio.ackP99)}×, full turn ${ms(p.ratio.turnP99)}×${
        p.vertrouwd.errors.total > 0 ? ` (but ${p.vertrouwd.errors.total} vertrouwd errors)` : ""
      } | ${yes(p.ratio.ackP99 <= 1.5 && p.ratio.turnP99 <= 1.5 && p.vertrouwd.errors.total === 0)} |`,
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
