/**
 * SIGTERM on a real `vertrouwd serve` (issue 15 item 5): it stops accepting, lets the turn in
 * flight finish, lets a slow delivery finish within the grace or hands it to the next replica at
 * once, closes Redis and exits 0.
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateStateKey } from "../../src/store/index.ts";
import { CANARY, playForm, toForm } from "../security/helpers.ts";
import { REDIS_URL, deletePrefix, uniquePrefix } from "../store/helpers.ts";
import { writeTestConfig } from "../support/config-file.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { httpTransport, slackMelder } from "../support/slack-melder.ts";
import { type ServeProcess, startServe } from "../support/spawn.ts";

const SECRET = `stop-${randomBytes(8).toString("hex")}`;
const HOOK_SECRET = randomBytes(24).toString("hex");

/** Set per test: how long the fake Web API and the counsellor's webhook take to answer. */
let slackLatencyMs = 0;
let hookHoldMs = 0;

interface Hit {
  path: string;
  idempotencyKey: string;
  verified: boolean;
}
const hits: Hit[] = [];
/** Called when a webhook POST has arrived (before it is answered). */
let onHook: (() => void) | undefined;

let fake: FakeSlack;
let receiver: Server;
let hookBase: string;
const dirs: string[] = [];
const prefixes: string[] = [];
const running: ServeProcess[] = [];

beforeAll(async () => {
  fake = await startFakeSlack({ latencyMs: () => slackLatencyMs });
  receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const ts = String(req.headers["x-vertrouwd-timestamp"] ?? "");
      const mac = `v1=${createHmac("sha256", HOOK_SECRET).update(`${ts}.`).update(body).digest("hex")}`;
      hits.push({
        path: req.url ?? "",
        idempotencyKey: String(req.headers["idempotency-key"] ?? ""),
        verified: mac === req.headers["x-vertrouwd-signature"],
      });
      onHook?.();
      setTimeout(() => res.writeHead(202).end(), hookHoldMs);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  for (const s of running) s.kill("SIGKILL");
  await fake?.close();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  for (const p of prefixes) await deletePrefix(p);
});

/** A config whose demo-extern counsellor gets handoffs by webhook at `/hook/<name>`. */
async function setup(name: string, extraEnv: Record<string, string> = {}) {
  const cwd = await mkdtemp(path.join(tmpdir(), "vt-stop-"));
  dirs.push(cwd);
  const prefix = uniquePrefix("stop");
  prefixes.push(prefix);
  await writeTestConfig(cwd);
  const file = path.join(cwd, "vertrouwd.config.yaml");
  const yaml = (await readFile(file, "utf8")).replace(
    /(id: demo-extern[\s\S]*?delivery:\n\s+type: outbox\n\s+dir: outbox)/,
    (block) =>
      block.replace(
        /delivery:\n(\s+)type: outbox\n\s+dir: outbox/,
        `delivery:\n$1type: webhook\n$1url: ${hookBase}/${name}\n$1secretEnv: HOOK_SECRET`,
      ),
  );
  await writeFile(file, yaml);
  const env = {
    SLACK_BOT_TOKEN: "xoxb-stop",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    REDIS_URL,
    VERTROUWD_STATE_KEY: generateStateKey(),
    VERTROUWD_SERVER_SECRET: generateStateKey(),
    VERTROUWD_REDIS_PREFIX: prefix,
    HOOK_SECRET,
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
    const before = fake.calls.length;
    const clicked = m.click("ack");
    await until(() => fake.calls.slice(before).some((c) => c.method === "chat.postMessage"));
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
    hookHoldMs = 2_000;
    const arrived = new Promise<void>((resolve) => (onHook = resolve));
    await m.submit();
    await arrived;
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    hookHoldMs = 0;
    onHook = undefined;
    const events = logEvents(server).map((e) => e.event);
    // Delivered by this process before it stopped: nothing left for another replica.
    expect(events).toContain("delivery.delivered");
    expect(events.indexOf("delivery.delivered")).toBeLessThan(events.indexOf("server.stopped"));
    expect(hits.filter((h) => h.path === "/hook/finish")).toHaveLength(1);
  }, 40_000);

  it("hands a delivery that outlasts the grace to the next replica at once", async () => {
    // The default 30 s lease: only an explicit hand-over lets the next replica start sooner.
    const { start } = await setup("handover", { VERTROUWD_SHUTDOWN_GRACE_SECONDS: "1" });
    const first = await start();
    const m = slackMelder(fake, httpTransport(`${first.url}/slack/events`, SECRET), { user: newUser() });
    await toForm(m);
    await playForm(m, REPORT);
    hookHoldMs = 8_000;
    const arrived = new Promise<void>((resolve) => (onHook = resolve));
    await m.submit();
    await arrived;
    const stoppedAt = Date.now();
    first.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(6_000);
    expect(logEvents(first).map((e) => e.event)).not.toContain("delivery.delivered");

    hookHoldMs = 0;
    const second = await start();
    const mine = () => hits.filter((h) => h.path === "/hook/handover");
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
