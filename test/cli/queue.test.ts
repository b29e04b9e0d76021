/**
 * `vertrouwd queue`: the admin sees what waits and what failed (facts, never ciphertext), and
 * puts failed handoffs back; `doctor` counts a failed handoff as a problem. Real Redis.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/cli/doctor.ts";
import { QueueCommandError, runQueue } from "../../src/cli/queue.ts";
import { type DeliveryQueue, createDeliveryQueue } from "../../src/delivery/queue.ts";
import { generateStateKey } from "../../src/store/index.ts";
import type { RedisStore } from "../../src/store/redis.ts";
import { REDIS_URL, connectedRedisStore, deletePrefix, uniquePrefix } from "../store/helpers.ts";
import { writeTestConfig } from "../support/config-file.ts";

const prefix = uniquePrefix("queue-cli");
const env = {
  REDIS_URL,
  VERTROUWD_REDIS_PREFIX: prefix,
  VERTROUWD_STATE_KEY: generateStateKey(),
  VERTROUWD_SERVER_SECRET: generateStateKey(),
};
const ARMORED = "-----BEGIN PGP MESSAGE-----\nCIPHERTEXT-CANARY\n-----END PGP MESSAGE-----\n";
let store: RedisStore;
let queue: DeliveryQueue;
let dir: string;
const waiting = randomUUID();
const broken = randomUUID();

const sealed = (caseId: string) => ({
  caseId,
  counsellorId: "demo-extern",
  armored: ARMORED,
  sha256: "0".repeat(64),
  day: "2026-11-23",
});

async function run(args: string[], e: NodeJS.ProcessEnv = env): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  const code = await runQueue(args, e, { stdout });
  return { code, out };
}

async function doctor(): Promise<{ code: number; out: string }> {
  const out = new PassThrough();
  let text = "";
  out.on("data", (c: Buffer) => (text += c.toString()));
  const code = await runDoctor({
    env: { ...env, VERTROUWD_CONFIG: "" },
    configFile: path.join(dir, "vertrouwd.config.yaml"),
    network: false,
    out,
  });
  return { code, out: text };
}

beforeAll(async () => {
  store = await connectedRedisStore(prefix);
  queue = createDeliveryQueue({ store });
  dir = await mkdtemp(path.join(tmpdir(), "vt-queue-"));
  await writeTestConfig(dir);
});
afterAll(async () => {
  await store?.close();
  await deletePrefix(prefix);
  await rm(dir, { recursive: true, force: true });
});

describe("vertrouwd queue", () => {
  it("says an empty queue is empty, and doctor agrees", async () => {
    const r = await run(["list"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("delivery queue: 0 waiting, 0 failed");
    const d = await doctor();
    expect(d.out).toContain("✓ delivery queue: 0 waiting, none failed");
  });

  it("lists waiting and failed handoffs with the reason, never the ciphertext", async () => {
    await queue.enqueue(sealed(waiting));
    await queue.enqueue(sealed(broken));
    const claim = await queue.claim(broken);
    await queue.failed(broken, "webhook answered 500 after 5 attempts");
    await claim?.release();

    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("delivery queue: 1 waiting");
    expect(r.out).toContain("1 failed");
    expect(r.out).toMatch(
      new RegExp(`${waiting}  to demo-extern  sent 2026-11-23  queued \\d+ s ago  attempts 0`),
    );
    expect(r.out).toContain(`${broken}  to demo-extern`);
    expect(r.out).toContain("reason: webhook answered 500 after 5 attempts");
    expect(r.out).toContain("vertrouwd queue retry --all");
    expect(r.out).not.toContain("CIPHERTEXT-CANARY");

    const json = JSON.parse((await run(["list", "--json"])).out) as {
      waiting: unknown[];
      failed: { caseId: string; failure: string }[];
    };
    expect(json.waiting).toHaveLength(1);
    expect(json.failed[0]).toMatchObject({
      caseId: broken,
      failure: "webhook answered 500 after 5 attempts",
    });
    expect(JSON.stringify(json)).not.toContain("CIPHERTEXT-CANARY");
  });

  it("makes doctor exit 1 while a handoff has failed", async () => {
    const d = await doctor();
    expect(d.code).toBe(1);
    expect(d.out).toContain("✗ delivery queue: 1 handoff(s) failed — see why with `vertrouwd queue list`");
  });

  it("puts a failed handoff back, and says which ids were not failed", async () => {
    const other = randomUUID();
    const r = await run(["retry", broken, other]);
    expect(r.out).toContain(`! ${other}: not among the failed handoffs`);
    expect(r.out).toContain("1 handoff(s) back in the queue");
    expect(r.code).toBe(1);
    expect(await queue.status(broken)).toBe("queued");
    expect(await queue.due(10)).toEqual(expect.arrayContaining([waiting, broken]));
    const after = await run(["list"]);
    expect(after.out).toContain("2 waiting");
    expect(after.out).toContain("0 failed");
    expect(after.out).not.toContain("reason:");

    await queue.failed(broken, "again");
    const all = await run(["retry", "--all"]);
    expect(all.code).toBe(0);
    expect(all.out).toContain("1 handoff(s) back in the queue");
    expect((await run(["retry", "--all"])).out).toContain("nothing to retry");
  });

  it("refuses bad arguments and a server without Redis with one clear line", async () => {
    await expect(run(["retry"])).rejects.toThrow(QueueCommandError);
    await expect(run(["retry", "--all", broken])).rejects.toThrow("not both");
    await expect(run(["retry", "VT-1234-ABCD"])).rejects.toThrow('"vt-1234-abcd" is not a case id');
    await expect(run(["flush"])).rejects.toThrow('unknown queue command "flush"');
    await expect(run(["list"], { REDIS_URL: "" })).rejects.toThrow(/no Redis configured/);
  });
});
