/**
 * Promise: no report is lost or sent twice, whatever moment the server dies (issue 11 item 3).
 * A real `vertrouwd serve` is killed with SIGKILL at each point of a send — before the seal,
 * after the ciphertext was queued, after the transport accepted it, before the melder saw the
 * receipt — and a fresh process takes over (same Redis, same config). Every case reaches the
 * counsellor exactly once per case id (the receiver de-duplicates by Idempotency-Key, as
 * docs/delivery.md tells it to), and the melder ends up with a receipt for that same case.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultPoint } from "../../src/resilience/faults.ts";
import { deletePrefix, uniquePrefix } from "../store/helpers.ts";
import { writeTestConfig } from "../support/config-file.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { httpTransport, slackMelder } from "../support/slack-melder.ts";
import { type ServeProcess, slackServeEnv, startServe } from "../support/spawn.ts";
import { type WebhookReceiver, startWebhookReceiver, webhookDelivery } from "../support/webhook-receiver.ts";
import { CANARY, playForm, toForm } from "./helpers.ts";

const SECRET = `crash-${randomBytes(8).toString("hex")}`;

let fake: FakeSlack;
let hooks: WebhookReceiver;
const dirs: string[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
  hooks = await startWebhookReceiver();
});

afterAll(async () => {
  await fake?.close();
  await hooks?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  for (const p of prefixes) await deletePrefix(p);
});

async function setup(point: FaultPoint) {
  const cwd = await mkdtemp(path.join(tmpdir(), "vt-crash-"));
  dirs.push(cwd);
  const prefix = uniquePrefix("crash");
  prefixes.push(prefix);
  // demo-extern gets its handoffs by webhook (one path per kill point), so every attempt is seen.
  await writeTestConfig(cwd, { delivery: { "demo-extern": webhookDelivery(hooks.url(`/hook/${point}`)) } });
  const env = {
    ...slackServeEnv({ fakeUrl: fake.url, secret: SECRET, prefix }),
    HOOK_SECRET: hooks.secret,
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
      const got = () => hooks.hits(`/hook/${point}`);
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
