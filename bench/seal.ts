/**
 * Sealing cost: validate the counsellor key (loadCounsellorKey, as before every real seal), then
 * sealHandoff (validate the document, pad to its bucket, encrypt; optionally sign), per report
 * size, recipient key type and signing. Runs in the calling process, one seal at a time.
 */
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import * as openpgp from "openpgp";
import { loadCounsellorKey } from "../src/crypto/keys.ts";
import type { HandoffDocument } from "../src/handoff/document.ts";
import { sealHandoff } from "../src/handoff/seal.ts";
import { round, summarize } from "./lib/stats.ts";

export interface SealCase {
  key: "curve25519" | "rsa4096";
  signed: boolean;
  report: string;
  /** UTF-8 bytes of the report fields. */
  reportBytes: number;
  /** Binary size of the sealed message (its pad bucket). */
  sealedBytes: number;
  iterations: number;
  mean: number;
  p50: number;
  p95: number;
}

export interface SealBenchResult {
  keygenMs: { curve25519: number; rsa4096: number; botEd25519: number };
  cases: SealCase[];
  note: string;
}

const FIELD_LIMITS: [string, number][] = [
  ["what", 10_000],
  ["when", 500],
  ["where", 500],
  ["who", 2_000],
  ["witnesses", 2_000],
  ["impact", 5_000],
  ["urgent", 2_000],
];

/** Reports of about 1 KB and 10 KB (ASCII), and the largest the document schema allows. */
function reports(): { label: string; report: Record<string, string> }[] {
  const sentence = "In het overleg van dinsdag werd ik opnieuw voor het hele team belachelijk gemaakt. ";
  const ascii = (n: number) => sentence.repeat(Math.ceil(n / sentence.length)).slice(0, n);
  // Field limits count characters; "€" is one character and three UTF-8 bytes.
  const largest = Object.fromEntries(FIELD_LIMITS.map(([id, max]) => [id, "€".repeat(max)]));
  return [
    { label: "1 KB", report: { what: ascii(1_000) } },
    { label: "10 KB", report: { what: ascii(10_000) } },
    { label: "max (72 KB)", report: largest },
  ];
}

function documentWith(report: Record<string, string>): HandoffDocument {
  return {
    version: 1,
    caseId: randomUUID(),
    caseCode: "VT-AB12-CD34",
    date: new Date().toISOString().slice(0, 10),
    locale: "nl",
    channel: "slack",
    kind: "report",
    topic: "bullying",
    counsellorId: "bench",
    anonymity: "anonymous",
    report,
    wishes: "advice",
  } as HandoffDocument;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

export async function runSealBench(
  workDir: string,
  options: { budgetMsPerCase: number; maxIterations: number; progress: (line: string) => void },
): Promise<SealBenchResult> {
  const userIDs = [{ name: "Bench counsellor", email: "bench@vertrouwd.invalid" }];
  const [ecc, eccMs] = await timed(() =>
    openpgp.generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs,
      format: "armored",
      config: { v6Keys: false },
    }),
  );
  const [rsa, rsaMs] = await timed(() =>
    openpgp.generateKey({
      type: "rsa",
      rsaBits: 4096,
      userIDs,
      format: "armored",
      config: { v6Keys: false },
    }),
  );
  const [bot, botMs] = await timed(() =>
    openpgp.generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ name: "Bench bot" }],
      format: "object",
      config: { v6Keys: false },
    }),
  );
  options.progress(`  keys generated (Curve25519 ${round(eccMs, 0)} ms, RSA-4096 ${round(rsaMs, 0)} ms)`);

  const refs = {} as Record<"curve25519" | "rsa4096", { publicKeyPath: string; fingerprint: string }>;
  for (const [name, pair] of [
    ["curve25519", ecc],
    ["rsa4096", rsa],
  ] as const) {
    const file = path.join(workDir, `${name}.public.asc`);
    await writeFile(file, pair.publicKey);
    const key = await openpgp.readKey({ armoredKey: pair.publicKey });
    refs[name] = { publicKeyPath: file, fingerprint: key.getFingerprint().toUpperCase() };
  }

  const cases: SealCase[] = [];
  for (const keyName of ["curve25519", "rsa4096"] as const) {
    for (const signed of [false, true]) {
      for (const { label, report } of reports()) {
        const once = async () => {
          const loaded = await loadCounsellorKey(refs[keyName], "bench");
          return sealHandoff(documentWith(report), {
            recipients: [loaded.key],
            ...(signed ? { signingKey: bot.privateKey } : {}),
          });
        };
        // Warm-up: JIT, openpgp's lazy module loading, key caches.
        let sealed = await once();
        for (let i = 0; i < 3; i++) sealed = await once();
        const samples: number[] = [];
        const until = performance.now() + options.budgetMsPerCase;
        while (samples.length < options.maxIterations && (samples.length < 20 || performance.now() < until)) {
          const [, ms] = await timed(once);
          samples.push(ms);
        }
        const s = summarize(samples);
        const reportBytes = Object.values(report).reduce((n, v) => n + Buffer.byteLength(v, "utf8"), 0);
        const sealedBytes = openpgp.unarmor
          ? (await openpgp.unarmor(sealed.armored)).data.length
          : Number.NaN;
        cases.push({
          key: keyName,
          signed,
          report: label,
          reportBytes,
          sealedBytes,
          iterations: s.n,
          mean: s.mean,
          p50: s.p50,
          p95: s.p95,
        });
        options.progress(
          `  ${keyName} ${signed ? "signed  " : "unsigned"} ${label.padEnd(11)} mean ${s.mean} ms, p50 ${s.p50}, p95 ${s.p95} (n=${s.n})`,
        );
      }
    }
  }
  return {
    keygenMs: { curve25519: round(eccMs, 0), rsa4096: round(rsaMs, 0), botEd25519: round(botMs, 0) },
    cases,
    note:
      "Each iteration = loadCounsellorKey (read + validate the pinned public key file) + sealHandoff " +
      "(schema check, pad to the size bucket, encrypt, optional Ed25519 signature). A 100 KB report is " +
      "not possible: the document schema caps the fields at 24,000 characters in total, so the largest " +
      "case fills every field to its limit with 3-byte characters (72,000 bytes).",
  };
}
