/**
 * Slack Socket Mode end to end: the real server and app with only SLACK_BOT_TOKEN and
 * SLACK_APP_TOKEN set (no signing secret, no public URL). Slack's side is faked on loopback: the
 * Web API (fake-slack.ts, whose apps.connections.open hands out our socket URL) and the Socket Mode
 * WebSocket server here, which speaks the envelope protocol @slack/socket-mode expects: a `hello`
 * on connect, envelopes `{ envelope_id, type, payload, accepts_response_payload }` in, and acks
 * `{ envelope_id, payload }` back. The handoff is decrypted with real GnuPG.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// ws 7 (a dependency already in node_modules): its server side plays Slack's Socket Mode endpoint.
import WebSocket from "ws";
import { createSlackAdapter } from "../../adapters/slack/index.ts";
import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import {
  type FakeSlack,
  buttonClick,
  dmMessage,
  homeOpened,
  latestPrompt,
  messageText,
  startFakeSlack,
  viewSubmission,
} from "../adapters/slack/fake-slack.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";
import { type TestApp, testApp } from "../support/app.ts";

const APP_TOKEN = `xapp-1-A0APP-${randomBytes(8).toString("hex")}`;
const BOT_TOKEN = `xoxb-socket-${randomBytes(8).toString("hex")}`;
const ENV = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN };
const TEAM = "T0TEAM";

// ------------------------------------------------------------------ the Socket Mode endpoint

interface Envelope {
  envelope_id: string;
  type: "events_api" | "interactive" | "slash_commands";
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

interface FakeSocketMode {
  url: string;
  /** Connections accepted so far (each got a hello). */
  connections: number;
  /** Sockets currently open. */
  open(): WebSocket[];
  /** Every message the bot sent over a socket, in order. */
  received: string[];
  /** Pings the bot sent (it pings every clientPingTimeout / 3) and pongs to our pings. */
  pings: number;
  pongs: number;
  /** Sends an envelope over the newest socket and resolves with its ack. */
  deliver(envelope: Envelope): Promise<Ack>;
  close(): Promise<void>;
}

async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocket.Server({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const sockets: WebSocket[] = [];
  const waiting = new Map<string, ((ack: Ack) => void)[]>();
  const state = {
    connections: 0,
    received: [] as string[],
    pings: 0,
    pongs: 0,
  };

  server.on("connection", (socket) => {
    state.connections++;
    sockets.push(socket);
    socket.on("close", () => sockets.splice(sockets.indexOf(socket), 1));
    socket.on("ping", () => void state.pings++);
    socket.on("pong", () => void state.pongs++);
    socket.on("message", (data) => {
      const text = String(data);
      state.received.push(text);
      const ack = JSON.parse(text) as Ack;
      const next = waiting.get(ack.envelope_id)?.shift();
      next?.(ack);
    });
    // What Slack sends first; the client's start() resolves on it.
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "applink-fake", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: "A0APP" },
      }),
    );
    socket.ping("slack-ping");
  });

  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}&app_id=A0APP`,
    get connections() {
      return state.connections;
    },
    open: () => sockets.filter((s) => s.readyState === WebSocket.OPEN),
    received: state.received,
    get pings() {
      return state.pings;
    },
    get pongs() {
      return state.pongs;
    },
    deliver(envelope) {
      const socket = sockets.filter((s) => s.readyState === WebSocket.OPEN).at(-1);
      if (!socket) return Promise.reject(new Error("fake Socket Mode: no open connection"));
      return new Promise<Ack>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("fake Socket Mode: envelope not acked")), 5_000);
        const list = waiting.get(envelope.envelope_id) ?? [];
        list.push((ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
        waiting.set(envelope.envelope_id, list);
        socket.send(JSON.stringify(envelope));
      });
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An Events API envelope: the payload is the event_callback body Slack would POST. */
function eventsApi(
  event: Record<string, unknown>,
  eventId = `Ev${randomBytes(5).toString("hex")}`,
): Envelope {
  return {
    envelope_id: randomUUID(),
    type: "events_api",
    accepts_response_payload: false,
    retry_attempt: 0,
    retry_reason: "",
    payload: {
      token: "legacy-unused",
      team_id: TEAM,
      api_app_id: "A0APP",
      type: "event_callback",
      event_id: eventId.toUpperCase(),
      event_time: Math.floor(Date.now() / 1000),
      event,
    },
  };
}

/** block_actions and view_submission; only a view submission's ack may carry a response. */
function interactive(payload: Record<string, unknown>): Envelope {
  return {
    envelope_id: randomUUID(),
    type: "interactive",
    accepts_response_payload: payload.type === "view_submission",
    payload,
  };
}

// ------------------------------------------------------------------ the running system

let fake: FakeSlack;
let sockets: FakeSocketMode;
let t: TestApp;
let server: RunningServer;
let gnupg: GnupgHome;

beforeAll(async () => {
  sockets = await startFakeSocketMode();
  fake = await startFakeSlack({ socketModeUrl: () => sockets.url });
  t = await testApp({ env: ENV });
  server = await startServer(t.app, ENV, { port: 0, host: "127.0.0.1", slackApiUrl: fake.url });
  gnupg = await createGnupgHome();
  for (const k of t.demo.keys.counsellors)
    await importSecret(gnupg, await readFile(k.privateKeyPath, "utf8"));
  await gnupg.gpg(["--import"], await readFile(t.demo.keys.bot.publicKeyPath, "utf8"));
});

afterAll(async () => {
  await server?.close();
  await sockets?.close();
  await t?.cleanup();
  await fake?.close();
  await gnupg?.cleanup();
});

type Stored = ReturnType<FakeSlack["history"]>[number];
interface FormView {
  callback_id?: string;
  private_metadata?: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the bot sent it.
  blocks: { type: string; block_id?: string; element?: any }[];
}

/** One melder with their own DM, talking to the bot over the socket only. */
class Melder {
  readonly user = `U${randomBytes(5).toString("hex").toUpperCase()}`;
  readonly channel = `D${randomBytes(5).toString("hex").toUpperCase()}`;
  readonly acks: Ack[] = [];

  get who() {
    return { platform: "slack" as const, tenant: TEAM, user: this.user };
  }

  prompt(): Stored {
    const p = latestPrompt(fake, this.channel);
    if (!p) throw new Error("no prompt in the DM");
    return structuredClone(p);
  }

  async nextPrompt(after?: string): Promise<Stored> {
    return fake.waitFor(() => {
      const p = latestPrompt(fake, this.channel);
      return p && (after === undefined || Number(p.ts) > Number(after)) ? structuredClone(p) : undefined;
    });
  }

  /** Delivers an envelope and checks it was acknowledged by its own id. */
  async send(envelope: Envelope): Promise<Ack> {
    const ack = await sockets.deliver(envelope);
    expect(ack.envelope_id).toBe(envelope.envelope_id);
    this.acks.push(ack);
    return ack;
  }

  async openDm(): Promise<Stored> {
    await this.send(eventsApi(homeOpened(this.user, this.channel, "messages")));
    return this.nextPrompt();
  }

  clickEnvelope(choice: string): Envelope {
    return interactive(buttonClick(this.prompt(), `vt_choice:${choice}`, this));
  }

  async click(choice: string): Promise<Stored> {
    const before = this.prompt().ts;
    await this.send(this.clickEnvelope(choice));
    return this.nextPrompt(before);
  }

  async openForm(): Promise<FormView> {
    const opened = fake.callsOf("views.open").length;
    await this.send(interactive(buttonClick(this.prompt(), "vt_open:report", this)));
    const call = await fake.waitFor(() => fake.callsOf("views.open")[opened]);
    return call.params.view as FormView;
  }

  submitEnvelope(view: FormView, values: Record<string, string>, ids?: { viewId: string; hash: string }) {
    return interactive(viewSubmission(view, values, this, ids));
  }

  async toReportStep(): Promise<void> {
    await this.openDm();
    await this.click("continue");
    await this.click("ack");
    await this.click("report");
    await this.click("bullying");
    await this.click("counsellor:demo-extern");
    const report = await this.click("anonymous");
    expect(JSON.stringify(report.blocks)).toContain("vt_open:report");
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 250));

describe("Slack Socket Mode end to end", () => {
  it("connects with the app token, mounts no HTTP route, and greets a first DM over the socket", async () => {
    expect(server.adapters).toContain("slack (socket mode)");
    expect(sockets.connections).toBe(1);
    expect(sockets.open()).toHaveLength(1);

    // The socket URL came from apps.connections.open, asked with the app token; everything else with the bot token.
    const open = fake.callsOf("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe(APP_TOKEN);
    expect(fake.callsOf("auth.test")[0]?.token).toBe(BOT_TOKEN);

    // No Events API endpoint: nothing on this server answers for Slack over HTTP.
    const res = await fetch(`${server.url}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "url_verification", challenge: "c" }),
    });
    expect(res.status).toBe(404);

    const m = new Melder();
    const posts = fake.callsOf("chat.postMessage").length;
    const welcome = await m.openDm();
    expect(messageText(welcome)).toContain("Voorbeeld BV");
    expect(JSON.stringify(welcome.blocks)).toContain("vt_choice:continue");
    expect(fake.callsOf("chat.postMessage").length - posts).toBe(1);
    // An event's ack carries nothing: Slack would ignore it anyway.
    expect(m.acks[0]?.payload ?? {}).toEqual({});
    expect(fake.callsOf("chat.postMessage").every((c) => c.token === BOT_TOKEN)).toBe(true);
    expect(t.logs.some((l) => l.includes('"slack.adapter.started"') && l.includes('"socket"'))).toBe(true);
  });

  it("runs a whole conversation over the socket to a handoff that GnuPG decrypts", async () => {
    const canary = `CANARY-${randomUUID()}`;
    const m = new Melder();
    const outboxBefore = (await t.outbox()).length;
    await m.toReportStep();

    const view = await m.openForm();
    expect(view.blocks.filter((b) => b.type === "input").map((b) => b.block_id)).toContain("what");
    const turnsBefore = fake.history(m.channel).length;
    const stateBefore = await t.app.runtime.current(m.who);

    // Too long: the errors come back in the ack's payload over the socket; the modal stays open.
    const invalid = await m.send(m.submitEnvelope(view, { what: canary, when: "x".repeat(501) }));
    expect(invalid.payload).toMatchObject({ response_action: "errors" });
    const errors = (invalid.payload as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toEqual(["when"]);
    expect(errors.when).toMatch(/500/);
    expect(JSON.stringify(invalid)).not.toContain(canary);
    await settle();
    expect(fake.history(m.channel)).toHaveLength(turnsBefore);
    expect((await t.app.runtime.current(m.who)).seq).toBe(stateBefore.seq);

    // Valid: an empty ack closes the modal; the review follows as a message.
    const before = m.prompt().ts;
    const valid = await m.send(
      m.submitEnvelope(view, { what: `Wat er gebeurde: ${canary}`, when: "vorige week", wishes: "advice" }),
    );
    expect(valid.payload ?? {}).toEqual({});
    const review = await m.nextPrompt(before);
    expect(messageText(review)).not.toContain(canary);
    expect(messageText(review)).toMatch(/Wat is er gebeurd\?: ingevuld \(\d+ tekens\)/);

    const done = await m.click("send");
    expect(messageText(done)).toContain("Karim El Amrani");
    const receiptText = fake.history(m.channel).find((x) => /[0-9a-f]{64}/.test(messageText(x)));

    const files = await t.outbox();
    expect(files).toHaveLength(outboxBefore + 1);
    const armored = await readFile(files.at(-1) ?? "", "utf8");
    expect(armored).not.toContain(canary);
    expect(messageText(receiptText)).toContain(createHash("sha256").update(armored, "utf8").digest("hex"));
    const opened = await gnupg.gpg(["--decrypt"], armored);
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain(canary);
    expect(opened.stderr).toMatch(/Good signature/);
    expect(opened.stdout).not.toContain(m.user);

    // The report text went nowhere but the sealed handoff: no Web API call, no ack, no log line.
    expect(
      fake.calls.filter((c) => c.raw.includes(canary) || c.raw.includes(encodeURIComponent(canary))),
    ).toEqual([]);
    expect(sockets.received.some((x) => x.includes(canary))).toBe(false);
    expect(t.logs.join("")).not.toContain(canary);
    expect(t.logs.join("")).not.toContain(m.user);
  });

  it("changes the conversation once when Slack redelivers the same envelope", async () => {
    const m = new Melder();
    await m.openDm();

    // A button click delivered twice (Slack redelivers an envelope it saw no ack for).
    let posts = fake.callsOf("chat.postMessage").length;
    const seq = (await t.app.runtime.current(m.who)).seq;
    const click = m.clickEnvelope("continue");
    await m.send(click);
    await m.send(click);
    await fake.waitFor(() => fake.callsOf("chat.postMessage").length > posts);
    await settle();
    expect(fake.callsOf("chat.postMessage").length - posts).toBe(1);
    const after = await t.app.runtime.current(m.who);
    expect(after.seq).toBe((seq ?? 0) + 1);
    expect(JSON.stringify(m.prompt().blocks)).toContain("vt_choice:ack");

    // A typed command delivered twice: one event id, one reply.
    posts = fake.callsOf("chat.postMessage").length;
    const help = eventsApi(dmMessage(m.user, m.channel, "help"));
    await m.send(help);
    await m.send({ ...help, retry_attempt: 1, retry_reason: "timeout" });
    await fake.waitFor(() => fake.callsOf("chat.postMessage").length > posts);
    await settle();
    expect(fake.callsOf("chat.postMessage").length - posts).toBe(1);

    // A form submission delivered twice: one review.
    await m.click("ack");
    await m.click("report");
    await m.click("bullying");
    await m.click("counsellor:demo-extern");
    await m.click("anonymous");
    const view = await m.openForm();
    posts = fake.callsOf("chat.postMessage").length;
    const submit = m.submitEnvelope(view, { what: "twee keer bezorgd" }, { viewId: "VTWICE01", hash: "h.1" });
    await m.send(submit);
    await m.send(submit);
    await fake.waitFor(() => fake.callsOf("chat.postMessage").length > posts);
    await settle();
    expect(fake.callsOf("chat.postMessage").length - posts).toBe(1);
    expect((await t.app.runtime.current(m.who)).state).toBe("review");
  });

  it("refuses to start without a usable app token, with an admin error that names the variable", async () => {
    const connections = sockets.connections;
    const start = (env: NodeJS.ProcessEnv) =>
      startServer(t.app, env, { port: 0, host: "127.0.0.1", slackApiUrl: fake.url });

    // No app token and no signing secret: neither Socket Mode nor HTTP can work.
    await expect(start({ SLACK_BOT_TOKEN: BOT_TOKEN })).rejects.toThrow(
      /SLACK_SIGNING_SECRET.*SLACK_APP_TOKEN/s,
    );
    // Not an app-level token.
    await expect(start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: BOT_TOKEN })).rejects.toThrow(
      /SLACK_APP_TOKEN must be an app-level token/,
    );
    // Well-formed, but Slack does not accept it (revoked or from another app).
    fake.failNext("apps.connections.open", { error: "invalid_auth" });
    const revoked = `xapp-1-A0APP-${randomBytes(8).toString("hex")}`;
    const failure = await start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: revoked }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(failure?.name).toBe("SlackConfigError");
    expect(failure?.message).toMatch(/SLACK_APP_TOKEN.*invalid_auth/);
    expect(failure?.message).not.toContain(revoked);

    // Slack answers with an error the client keeps retrying (a token without connections:write):
    // start gives up after its bound instead of hanging, and the log names Slack's code.
    fake.failNext("apps.connections.open", { error: "missing_scope" });
    const started = Date.now();
    const stuck = await createSlackAdapter({
      runtime: t.app.runtime,
      config: t.app.config,
      logger: t.app.logger,
      env: ENV,
      slackApiUrl: fake.url,
      socketStartTimeoutMs: 600,
    }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(stuck?.name).toBe("SlackConfigError");
    expect(stuck?.message).toMatch(/Socket Mode did not connect within/);
    expect(
      t.logs.some((l) => l.includes('"slack.socket.open_failed"') && l.includes('"missing_scope"')),
    ).toBe(true);
    expect(t.logs.join("")).not.toContain(APP_TOKEN);

    expect(sockets.connections).toBe(connections);
    expect(sockets.open()).toHaveLength(1);
  });

  it("keeps the socket healthy (pings answered) and closes it cleanly on shutdown", async () => {
    // The client pings every clientPingTimeout / 3 (~1.7 s) and our ws server answers with pongs.
    await fake.waitFor(() => sockets.pings > 0, 4_000);
    expect(sockets.pongs).toBeGreaterThan(0);

    // A second replica: connects on start, says goodbye with a close frame on close.
    const second = await startServer(t.app, ENV, { port: 0, host: "127.0.0.1", slackApiUrl: fake.url });
    expect(sockets.open()).toHaveLength(2);
    const socket = sockets.open().at(-1);
    const closed = new Promise<number>((resolve) => socket?.once("close", (code) => resolve(code)));
    await second.close();
    expect(await closed).toBe(1000);
    expect(sockets.open()).toHaveLength(1);
  });
});
