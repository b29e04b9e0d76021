/**
 * SIGTERM on a real `vertrouwd serve` (issue 15 item 5): it stops accepting, lets the turn in
 * flight finish, lets a slow delivery finish within the grace or hands it to the next replica at
 * once, closes Redis and exits 0.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY, playForm, toForm } from "../security/helpers.ts";
import { deletePrefix, uniquePrefix } from "../store/helpers.ts";
import { writeTestConfig } from "../support/config-file.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { httpTransport, slackMelder } from "../support/slack-melder.ts";
import { type ServeProcess, slackServeEnv, startServe } from "../support/spawn.ts";
import { type WebhookReceiver, startWebhookReceiver, webhookDelivery } from "../support/webhook-receiver.ts";

const SECRET = `stop-${randomBytes(8).toString("hex")}`;

/** Set per test: how long the fake Web API takes to answer. */
let slackLatencyMs = 0;

let fake: FakeSlack;
let hooks: WebhookReceiver;
const dirs: string[] = [];
const prefixes: string[] = [];
const running: ServeProcess[] = [];

beforeAll(async () => {
  fake = await startFakeSlack({ latencyMs: () => slackLatencyMs });
  hooks = await startWebhookReceiver();
});

afterAll(async () => {
  for (const s of running) s.kill("SIGKILL");
  await fake?.close();
  await hooks?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  for (const p of prefixes) await deletePrefix(p);
});

/** A config whose demo-extern counsellor gets handoffs by webhook at `/hook/<name>`. */
async function setup(name: string, extraEnv: Record<string, string> = {}) {
  const cwd = await mkdtemp(path.join(tmpdir(), "vt-stop-"));
  dirs.push(cwd);
  const prefix = uniquePrefix("stop");
  prefixes.push(prefix);
  await writeTestConfig(cwd, { delivery: { "demo-extern": webhookDelivery(hooks.url(`/hook/${name}`)) } });
  const env = {
    ...slackServeEnv({ fakeUrl: fake.url, secret: SECRET, prefix }),
    HOOK_SECRET: hooks.secret,
    ...extraEnv,
  };
  const start = async () => {
    const s = await startServe({ cwd, env });
    running.push(s);
    return s;
  };
  return { start };
}

const REPORT = [
  { type: "CHOOSE" as const, choice: "report" },
  { type: "CHOOSE" as const, choice: "bullying" },
  { type: "CHOOSE" as const, choice: "counsellor:demo-extern" },
  { type: "CHOOSE" as const, choice: "anonymous" },
  { type: "SUBMIT" as const, form: "report" as const, values: { what: CANARY } },
];

const newUser = () => `U${randomBytes(5).toString("hex").toUpperCase()}`;
const logEvents = (s: ServeProcess) =>
  s.logs
    .join("")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function until(probe: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("SIGTERM", () => {
  it("finishes the turn in flight, refuses new requests, closes Redis and exits 0", async () => {
    const { start } = await setup("turn");
    const server = await start();
    const m = slackMelder(fake, httpTransport(`${server.url}/slack/events`, SECRET), { user: newUser() });
    await m.openDm();
    await m.settle();
    await m.click("continue");
    await m.settle();

    // The next click's reply waits 1.5 s at Slack: the turn is in flight when SIGTERM arrives.
    slackLatencyMs = 1_500;
    let acked = false;
    const clicked = m.click("ack").then((r) => {
      acked = true;
      return r;
    });
    clicked.catch(() => undefined); // awaited below; a rejection must not count as unhandled meanwhile
    // The click was answered, and its reply (the next step, with the form button) is on its way.
    const replying = () =>
      fake
        .callsOf("chat.postMessage")
        .some((c) => c.params.channel === m.channel && JSON.stringify(c.params).includes("vt_choice:form"));
    await until(() => acked && replying());
    server.kill("SIGTERM");
    // Accepting has stopped: a new connection is refused or answered 503.
    await until(() => logEvents(server).some((e) => e.event === "server.stopping"));
    const refused = await fetch(`${server.url}/healthz`).then(
      (r) => r.status,
      () => "refused",
    );
    expect([503, "refused"]).toContain(refused);

    await clicked;
    expect(await server.exited).toBe(0);
    slackLatencyMs = 0;
    const events = logEvents(server);
    const drained = events.find((e) => e.event === "server.drained");
    expect(drained).toMatchObject({ finished: true, abandoned: 0 });
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(["server.stopping", "server.drained", "store.closed", "server.stopped"]),
    );
    // The reply that was in flight reached the melder: the question after the acknowledgement.
    const last = fake.history(m.channel).at(-1);
    expect(JSON.stringify(last?.blocks)).toContain("vt_choice:form");
  }, 40_000);

  it("lets a slow delivery finish within the grace", async () => {
    const { start } = await setup("finish");
    const server = await start();
    const m = slackMelder(fake, httpTransport(`${server.url}/slack/events`, SECRET), { user: newUser() });
    await toForm(m);
    await playForm(m, REPORT);
    hooks.holdMs = 2_000;
    const arrived = new Promise<void>((resolve) => (hooks.onPost = () => resolve()));
    await m.submit();
    await arrived;
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    hooks.holdMs = 0;
    hooks.onPost = undefined;
    const events = logEvents(server).map((e) => e.event);
    // Delivered by this process before it stopped: nothing left for another replica.
    expect(events).toContain("delivery.delivered");
    expect(events.indexOf("delivery.delivered")).toBeLessThan(events.indexOf("server.stopped"));
    expect(hooks.hits("/hook/finish")).toHaveLength(1);
  }, 40_000);

  it("hands a delivery that outlasts the grace to the next replica at once", async () => {
    // The default 30 s lease: only an explicit hand-over lets the next replica start sooner.
    const { start } = await setup("handover", { VERTROUWD_SHUTDOWN_GRACE_SECONDS: "1" });
    const first = await start();
    const m = slackMelder(fake, httpTransport(`${first.url}/slack/events`, SECRET), { user: newUser() });
    await toForm(m);
    await playForm(m, REPORT);
    hooks.holdMs = 8_000;
    const arrived = new Promise<void>((resolve) => (hooks.onPost = () => resolve()));
    await m.submit();
    await arrived;
    const stoppedAt = Date.now();
    first.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(6_000);
    expect(logEvents(first).map((e) => e.event)).not.toContain("delivery.delivered");

    hooks.holdMs = 0;
    hooks.onPost = undefined;
    const second = await start();
    const mine = () => hooks.hits("/hook/handover");
    await until(() => mine().length >= 2, 8_000);
    expect(Date.now() - stoppedAt).toBeLessThan(20_000);
    await until(() => logEvents(second).some((e) => e.event === "delivery.delivered"));
    // The same case both times (the receiver de-duplicates by Idempotency-Key), signed both times.
    expect(new Set(mine().map((h) => h.idempotencyKey)).size).toBe(1);
    expect(mine().every((h) => h.verified)).toBe(true);
    second.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 60_000);
});
