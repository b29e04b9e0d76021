/**
 * Promise: no report is lost or sent twice, whatever moment the server dies (issue 11 item 3).
 * A real `vertrouwd serve` is killed with SIGKILL at each point of a send — before the seal,
 * after the ciphertext was queued, after the transport accepted it, before the melder saw the
 * receipt — and a fresh process takes over (same Redis, same config). Every case reaches the
 * counsellor exactly once per case id (the receiver de-duplicates by Idempotency-Key, as
 * docs/delivery.md tells it to), and the melder ends up with a receipt for that same case.
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultPoint } from "../../src/resilience/faults.ts";
import { generateStateKey } from "../../src/store/index.ts";
import { REDIS_URL, deletePrefix, uniquePrefix } from "../store/helpers.ts";
import { writeTestConfig } from "../support/config-file.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { httpTransport, slackMelder } from "../support/slack-melder.ts";
import { type ServeProcess, startServe } from "../support/spawn.ts";
import { CANARY, playForm, toForm } from "./helpers.ts";

const SECRET = `crash-${randomBytes(8).toString("hex")}`;
const HOOK_SECRET = randomBytes(24).toString("hex");

interface Received {
  idempotencyKey: string;
  verified: boolean;
}

let fake: FakeSlack;
let receiver: Server;
/** POSTs received, per webhook path (one path per kill point: the scenarios run side by side). */
const received = new Map<string, Received[]>();
let hookBase: string;
const dirs: string[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
  receiver = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const ts = String(req.headers["x-vertrouwd-timestamp"] ?? "");
      const mac = `v1=${createHmac("sha256", HOOK_SECRET).update(`${ts}.`).update(body).digest("hex")}`;
      const list = received.get(req.url ?? "") ?? [];
      list.push({
        idempotencyKey: String(req.headers["idempotency-key"] ?? ""),
        verified: mac === req.headers["x-vertrouwd-signature"],
      });
      received.set(req.url ?? "", list);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await fake?.close();
  await new Promise((r) => receiver.close(r));
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  for (const p of prefixes) await deletePrefix(p);
});

async function setup(point: FaultPoint) {
  const hookUrl = `${hookBase}/${point}`;
  const cwd = await mkdtemp(path.join(tmpdir(), "vt-crash-"));
  dirs.push(cwd);
  const prefix = uniquePrefix("crash");
  prefixes.push(prefix);
  await writeTestConfig(cwd);
  // demo-extern gets its handoffs by webhook, so every delivery attempt is seen.
  const { readFile, writeFile } = await import("node:fs/promises");
  const file = path.join(cwd, "vertrouwd.config.yaml");
  const yaml = (await readFile(file, "utf8")).replace(
    /(id: demo-extern[\s\S]*?delivery:\n\s+type: outbox\n\s+dir: outbox)/,
    (block) =>
      block.replace(
        /delivery:\n(\s+)type: outbox\n\s+dir: outbox/,
        `delivery:\n$1type: webhook\n$1url: ${hookUrl}\n$1secretEnv: HOOK_SECRET`,
      ),
  );
  await writeFile(file, yaml);
  const env = {
    SLACK_BOT_TOKEN: "xoxb-crash",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    REDIS_URL,
    VERTROUWD_STATE_KEY: generateStateKey(),
    VERTROUWD_SERVER_SECRET: generateStateKey(),
    VERTROUWD_REDIS_PREFIX: prefix,
    HOOK_SECRET,
    // A dead worker's lease runs out quickly here, so the test need not wait half a minute.
    VERTROUWD_DELIVERY_LEASE_SECONDS: "2",
  };
  return { cwd, env };
}

const REPORT = [
  { type: "CHOOSE" as const, choice: "report" },
  { type: "CHOOSE" as const, choice: "bullying" },
  { type: "CHOOSE" as const, choice: "counsellor:demo-extern" },
  { type: "CHOOSE" as const, choice: "anonymous" },
  { type: "SUBMIT" as const, form: "report" as const, values: { what: CANARY } },
];

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The table for the closing note: kill point → raw deliveries and distinct case ids. */
const table: string[] = [];

describe("a send survives a SIGKILL", () => {
  // Side by side: each scenario has its own directory, Redis prefix, melder and webhook path.
  it.concurrent.each<FaultPoint>(["before-seal", "after-queue", "after-transport", "before-receipt"])(
    "killed %s: one case, delivered once per case id, the melder holds its receipt",
    async (point) => {
      const { cwd, env } = await setup(point);
      const got = () => received.get(`/hook/${point}`) ?? [];
      const first: ServeProcess = await startServe({ cwd, env: { ...env, VERTROUWD_FAULT_POINT: point } });
      const user = `U${randomBytes(5).toString("hex").toUpperCase()}`;
      const melder = (s: ServeProcess) =>
        slackMelder(fake, httpTransport(`${s.url}/slack/events`, SECRET), { user });
      const m1 = melder(first);
      await toForm(m1);
      await playForm(m1, REPORT);
      // Send: the process dies during the request (or, for after-transport, in its worker).
      await m1.submit().catch(() => undefined);
      const code = await Promise.race([
        first.exited,
        new Promise((r) => setTimeout(() => r("alive"), 8_000)),
      ]);
      expect(code, first.logs.join("").slice(-400)).not.toBe("alive");

      const second = await startServe({ cwd, env });
      try {
        const m2 = melder(second);
        const hasReceipt = () => /VT-[0-9A-Z]{4}-[0-9A-Z]{4}/.test(JSON.stringify(m2.modal()?.view));
        const receiptShown = hasReceipt();
        // The melder presses send again while the form still shows the review (Slack kept it
        // open). Until the dead process's lock runs out, the form honestly says "try again in a
        // moment", and the melder does.
        for (let i = 0; i < 20 && !hasReceipt(); i++) {
          await m2.submit();
          if (!hasReceipt()) await new Promise((r) => setTimeout(r, 1000));
        }
        const receipt = JSON.stringify(m2.modal()?.view);
        const caseCode = /VT-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(receipt)?.[0];
        expect(caseCode, receipt.slice(0, 300)).toBeDefined();
        await until(() => (got().length > 0 ? true : undefined));
        // Give the worker time for any duplicate it would send.
        await new Promise((r) => setTimeout(r, 1500));
        const ids = new Set(got().map((r) => r.idempotencyKey));
        expect(got().every((r) => r.verified)).toBe(true);
        expect(ids.size, [...ids].join(", ")).toBe(1);
        table.push(
          `| ${point} | ${got().length} | ${ids.size} | ${receiptShown ? "receipt shown before the kill" : "receipt after pressing send again"} |`,
        );
      } finally {
        second.kill("SIGTERM");
        await second.exited;
      }
    },
    60_000,
  );

  it("prints the table of kill points", () => {
    console.log(
      ["| kill point | POSTs received | distinct case ids | melder |", "|---|---|---|---|", ...table].join(
        "\n",
      ),
    );
    expect(table).toHaveLength(4);
  });
});
