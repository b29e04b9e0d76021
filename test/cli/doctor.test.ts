/** `vertrouwd doctor` and CLI error handling, run as a real process the way an admin runs it. */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateStateKey } from "../../src/store/index.ts";
import { freePort } from "../store/helpers.ts";
import { sharedDemo } from "../support/app.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const ENTRY = path.join(ROOT, "src/cli/entry.ts");

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; out: string }>((resolve, reject) => {
    const child = spawn(TSX, [ENTRY, ...args], {
      cwd,
      env: { ...process.env, REDIS_URL: "", VERTROUWD_CONFIG: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

let dir: string;
let keyPath: string;
let fingerprint: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vt-doctor-"));
  const demo = await sharedDemo();
  const k = demo.keys.counsellors[0]!;
  keyPath = path.join(dir, "anna.asc");
  await writeFile(keyPath, await readFile(k.publicKeyPath, "utf8"));
  fingerprint = k.fingerprint;
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const config = (fpr: string, keyFile = "anna.asc") => `
organisation: { name: Test BV }
counsellors:
  - id: anna
    name: Anna
    kind: internal
    languages: [nl]
    introduction: { nl: Hallo }
    key: { publicKeyPath: ${keyFile}, fingerprint: "${fpr}" }
    delivery: { type: outbox }
  - id: bert
    name: Bert
    kind: external
    languages: [nl]
    introduction: { nl: Hallo }
    key: { publicKeyPath: ${keyFile}, fingerprint: "${fpr}" }
    delivery: { type: webhook, url: "https://example.invalid/hook", secretEnv: BERT_WEBHOOK_SECRET }
`;

describe("vertrouwd doctor", () => {
  it("passes on a good config and exits 0", async () => {
    const file = path.join(dir, "good.yaml");
    await writeFile(file, config(fingerprint));
    const r = await cli(["doctor", "--config", file], dir, { BERT_WEBHOOK_SECRET: "s".repeat(40) });
    expect(r.out).toContain("doctor: all checks passed");
    expect(r.code).toBe(0);
  });

  it("lists every problem — wrong fingerprint, missing secret — and exits 1", async () => {
    const file = path.join(dir, "bad.yaml");
    await writeFile(file, config("F".repeat(40)));
    const r = await cli(["doctor", "--config", file], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/counsellor "anna".*fingerprint/);
    expect(r.out).toMatch(/counsellor "bert".*fingerprint/);
    expect(r.out).toMatch(/BERT_WEBHOOK_SECRET/);
    expect(r.out).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it("reports a missing key file and an invalid config clearly, without a stack trace", async () => {
    const missing = path.join(dir, "missing.yaml");
    await writeFile(missing, config(fingerprint, "nope.asc"));
    const r1 = await cli(["doctor", "--config", missing], dir, { BERT_WEBHOOK_SECRET: "s".repeat(40) });
    expect(r1.code).toBe(1);
    expect(r1.out).toMatch(/counsellor "anna": public key file .*nope.asc" does not exist/);

    const invalid = path.join(dir, "invalid.yaml");
    await writeFile(invalid, "organisation: {}\ncounsellors: []\n");
    const r2 = await cli(["doctor", "--config", invalid], dir);
    expect(r2.code).toBe(1);
    expect(r2.out).toContain("organisation.name");
    expect(r2.out).toContain("counsellors");
    expect(r2.out).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it("reports an unreachable Redis Sentinel set by its topology, and exits 1 without hanging", async () => {
    const file = path.join(dir, "sentinel.yaml");
    await writeFile(file, config(fingerprint));
    const port = await freePort();
    const r = await cli(["doctor", "--config", file], dir, {
      BERT_WEBHOOK_SECRET: "s".repeat(40),
      REDIS_SENTINELS: `127.0.0.1:${port}`,
      REDIS_SENTINEL_NAME: "vertrouwd",
      REDIS_SENTINEL_PASSWORD: "sentinel-canary-password",
      VERTROUWD_STATE_KEY: generateStateKey(),
      VERTROUWD_SERVER_SECRET: generateStateKey(),
    });
    expect(r.out).toContain("✗ state store (redis sentinel): redis not connected (ping)");
    expect(r.out).not.toContain("sentinel-canary-password");
    expect(r.code).toBe(1);
  });

  it("prints the web page's address and its bundle's SHA-256 when the page is on", async () => {
    const { loadWebBundle } = await import("../../adapters/web/server/bundle.ts");
    const bundle = await loadWebBundle({ env: {} });
    const file = path.join(dir, "web.yaml");
    await writeFile(
      file,
      `${config(fingerprint)}web: { enabled: true, publicUrl: "https://meld.example.nl/web/" }\n`,
    );
    const r = await cli(["doctor", "--config", file], dir, { BERT_WEBHOOK_SECRET: "s".repeat(40) });
    expect(r.code).toBe(0);
    expect(r.out).toContain("✓ web page: https://meld.example.nl/web/ (public entry off)");
    for (const name of ["app.js", "app.css"] as const) {
      const f = bundle.files[name];
      expect(r.out).toContain(`✓ web bundle ${name}: ${f.body.length} bytes, sha256 ${f.sha256}`);
    }
  });

  it("answers an unknown command with usage, exit 2", async () => {
    const r = await cli(["frobnicate"], dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('unknown command "frobnicate"');
  });
});
