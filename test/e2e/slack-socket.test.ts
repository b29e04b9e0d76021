/**
 * Slack Socket Mode end to end: the real server and app with only SLACK_BOT_TOKEN and
 * SLACK_APP_TOKEN set (no signing secret, no public URL). Slack's side is faked on loopback: the
 * Web API (whose apps.connections.open hands out our socket URL) and the Socket Mode endpoint.
 * The melder driver is the same as over HTTP; only its transport differs.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../adapters/slack/index.ts";
import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";
import { type TestApp, testApp } from "../support/app.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { type FakeSocketMode, socketTransport, startFakeSocketMode } from "../support/fake-socket-mode.ts";
import { type SlackMelder, sectionText, slackMelder } from "../support/slack-melder.ts";

const APP_TOKEN = `xapp-1-A0APP-${randomBytes(8).toString("hex")}`;
const BOT_TOKEN = `xoxb-socket-${randomBytes(8).toString("hex")}`;
const ENV = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN };

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

function newMelder(): SlackMelder & { acks: ReturnType<typeof socketTransport>["acks"] } {
  const transport = socketTransport(sockets);
  return Object.assign(
    slackMelder(fake, transport, { user: `U${randomBytes(5).toString("hex").toUpperCase()}` }),
    { acks: transport.acks },
  );
}

describe("Slack Socket Mode end to end", () => {
  it("connects with the app token, mounts no HTTP route, and greets a first DM over the socket", async () => {
    expect(server.adapters).toContain("slack (socket mode)");
    expect(sockets.connections).toBe(1);
    const open = fake.callsOf("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe(APP_TOKEN);
    expect(fake.callsOf("auth.test")[0]?.token).toBe(BOT_TOKEN);
    const res = await fetch(`${server.url}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "url_verification", challenge: "c" }),
    });
    expect(res.status).toBe(404);

    const m = newMelder();
    await m.openDm();
    await m.settle();
    expect(sectionText(fake.history(m.channel)[0]?.blocks)).toContain("Voorbeeld BV");
    expect(m.acks[0]?.payload ?? {}).toEqual({});
    expect(fake.callsOf("chat.postMessage").every((c) => c.token === BOT_TOKEN)).toBe(true);
  });

  it("runs a whole report through the modal over the socket to a handoff GnuPG decrypts", async () => {
    const canary = `CANARY-${randomUUID()}`;
    const m = newMelder();
    await m.openDm();
    await m.settle();
    for (const c of ["continue", "ack", "form"]) {
      await m.click(c);
      await m.settle();
    }
    for (const o of ["report", "bullying", "counsellor:demo-extern", "anonymous"]) await m.choose(o);
    // Too long: the errors come back in the ack's payload over the socket; the modal stays open.
    const invalid = await m.fill({ what: canary, when: "x".repeat(501) });
    expect(JSON.parse(invalid.body)).toMatchObject({ response_action: "errors" });
    expect(Object.keys(m.lastErrors ?? {})).toEqual(["when"]);
    await m.fill({ what: `Wat er gebeurde: ${canary}`, when: "vorige week", wishes: "advice" });
    const sent = await m.submit();
    expect(JSON.parse(sent.body).response_action).toBe("update");
    await m.settle();
    await t.drain();
    const [file] = (await t.outbox()).slice(-1);
    const opened = await gnupg.gpg(["--decrypt", file!]);
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toContain(canary);
    expect(opened.stdout).not.toContain(m.user);
    const chat = fake.calls
      .filter((c) => c.method.startsWith("chat."))
      .map((c) => JSON.stringify(c.params))
      .join("");
    expect(chat).not.toContain(canary);
    expect(t.logs.join("")).not.toContain(canary);
    expect(t.logs.join("")).not.toContain(m.user);
  });

  it("changes the conversation once when Slack redelivers the same envelope", async () => {
    const m = newMelder();
    await m.openDm();
    await m.settle();
    const posts = fake.callsOf("chat.postMessage").length;
    await Promise.all([
      m.type("help", { eventId: "EvTWICE" }),
      m.type("help", { eventId: "EvTWICE", retryNum: 1 }),
    ]);
    await m.settle();
    expect(fake.callsOf("chat.postMessage").length - posts).toBe(1);
  });

  it("refuses to start without a usable app token, with an admin error that names the variable", async () => {
    const connections = sockets.connections;
    const start = (env: NodeJS.ProcessEnv) =>
      startServer(t.app, env, { port: 0, host: "127.0.0.1", slackApiUrl: fake.url });
    await expect(start({ SLACK_BOT_TOKEN: BOT_TOKEN })).rejects.toThrow(
      /SLACK_SIGNING_SECRET.*SLACK_APP_TOKEN/s,
    );
    await expect(start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: BOT_TOKEN })).rejects.toThrow(
      /SLACK_APP_TOKEN must be an app-level token/,
    );
    fake.failNext("apps.connections.open", { error: "invalid_auth" });
    const revoked = `xapp-1-A0APP-${randomBytes(8).toString("hex")}`;
    const failure = await start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: revoked }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(failure?.name).toBe("SlackConfigError");
    expect(failure?.message).toMatch(/SLACK_APP_TOKEN.*invalid_auth/);
    expect(failure?.message).not.toContain(revoked);
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
    expect(stuck?.message).toMatch(/Socket Mode did not connect within/);
    expect(t.logs.join("")).not.toContain(APP_TOKEN);
    expect(sockets.connections).toBe(connections);
  });

  it("keeps the socket healthy (pings answered) and closes it cleanly on shutdown", async () => {
    await fake.waitFor(() => sockets.pings > 0, 4_000);
    expect(sockets.pongs).toBeGreaterThan(0);
    const second = await startServer(t.app, ENV, { port: 0, host: "127.0.0.1", slackApiUrl: fake.url });
    expect(sockets.open()).toHaveLength(2);
    const socket = sockets.open().at(-1);
    const closed = new Promise<number>((resolve) => socket?.once("close", (code) => resolve(code)));
    await second.close();
    expect(await closed).toBe(1000);
    expect(sockets.open()).toHaveLength(1);
  });
});
