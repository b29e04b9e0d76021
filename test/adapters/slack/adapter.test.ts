/**
 * The Slack adapter over real HTTP, with the real app and a loopback fake of Slack's Web API:
 * request verification, typed messages, App Home, retries, 429s and start-up checks.
 */
import type { Server } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackAdapter, SlackConfigError, createSlackAdapter } from "../../../adapters/slack/index.ts";
import { createHttpServer } from "../../../src/server/http.ts";
import { type TestApp, testApp } from "../../support/app.ts";
import { type FakeSlack, startFakeSlack } from "../../support/fake-slack.ts";
import {
  type SlackMelder,
  buttonsOf,
  httpTransport,
  sectionText,
  sign,
  slackMelder,
} from "../../support/slack-melder.ts";

const SECRET = "test-signing-secret-0123456789abcdef";
const USER = "U0MELDER42";
const CANARY = "CANARY-slack-typed-9c1e";

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

describe("Slack adapter over HTTP", () => {
  let fake: FakeSlack;
  let t: TestApp;
  let adapter: SlackAdapter;
  let server: Server;
  let botUrl: string;
  let m: SlackMelder;

  beforeEach(async () => {
    fake = await startFakeSlack();
    t = await testApp({
      config: (c) => ({
        ...c,
        counsellors: c.counsellors.map((x, i) => (i === 0 ? { ...x, name: "Anna <Test> & Co" } : x)),
      }),
    });
    adapter = await createSlackAdapter({
      runtime: t.app.runtime,
      config: t.app.config,
      logger: t.app.logger,
      env: { SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_SIGNING_SECRET: SECRET },
      slackApiUrl: fake.url,
    });
    server = createHttpServer(adapter.routes, t.app.logger);
    botUrl = `${await listen(server)}/slack/events`;
    m = slackMelder(fake, httpTransport(botUrl, SECRET), { user: USER });
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await adapter.close();
    await t.cleanup();
    await fake.close();
  });

  const userCalls = () => fake.calls.filter((c) => c.method !== "auth.test");
  const post = (body: string, contentType: string, headers: Record<string, string> = {}) =>
    fetch(botUrl, { method: "POST", headers: { "content-type": contentType, ...headers }, body }).then(
      async (r) => ({
        status: r.status,
        body: await r.text(),
      }),
    );

  describe("request verification", () => {
    const body = JSON.stringify({
      type: "event_callback",
      team_id: "T0TEAM",
      event_id: "Ev1",
      event: { type: "message", channel_type: "im", channel: "D0", user: USER, text: "help", ts: "1.1" },
    });

    it("answers 401 to a bad signature, an old or a future timestamp, or no signature; runs no listener", async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const headers of [
        sign("not-the-secret", body),
        sign(SECRET, body, now - 6 * 60),
        sign(SECRET, body, now + 6 * 60),
        {},
      ]) {
        expect((await post(body, "application/json", headers)).status).toBe(401);
      }
      await adapter.idle();
      expect(userCalls()).toHaveLength(0);
      const logs = t.logs.join("\n");
      expect(logs).toContain("bad_signature");
      expect(logs).toContain("future_timestamp");
    });

    it("does not let ssl_check=1 smuggle an unsigned payload to any listener", async () => {
      const payload = {
        type: "block_actions",
        user: { id: USER },
        actions: [{ action_id: "vt_choice:stop" }],
      };
      const form = `ssl_check=1&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      expect((await post(form, "application/x-www-form-urlencoded")).status).toBe(200);
      const truthy = `ssl_check=true&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      expect((await post(truthy, "application/x-www-form-urlencoded")).status).toBe(401);
      await new Promise((r) => setTimeout(r, 100));
      await adapter.idle();
      expect(userCalls()).toHaveLength(0);
    });

    it("acknowledges a click on the link to the secure web page, and does nothing else", async () => {
      await m.openDm();
      await m.settle();
      const before = userCalls().length;
      const logsBefore = t.logs.length;
      const payload = {
        type: "block_actions",
        user: { id: USER, team_id: "T0TEAM" },
        team: { id: "T0TEAM" },
        container: { type: "message", channel_id: m.channel, message_ts: "1.1" },
        actions: [{ action_id: "vt_link:web", type: "button", value: "3.nl.1.abcd1234" }],
        trigger_id: "t.1",
      };
      const form = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      expect((await post(form, "application/x-www-form-urlencoded", sign(SECRET, form))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      await adapter.idle();
      // No turn, no message, no log line of a conversation: nothing ties the visit to the user.
      expect(userCalls()).toHaveLength(before);
      expect(t.logs.slice(logsBefore).join("\n")).not.toMatch(/turn\.|conv|unhandled/);
    });

    it("answers Slack's url_verification challenge when signed", async () => {
      const challenge = JSON.stringify({ type: "url_verification", challenge: "abc123", token: "x" });
      const res = await post(challenge, "application/json", sign(SECRET, challenge));
      expect(res.status).toBe(200);
      expect(res.body).toContain("abc123");
    });
  });

  describe("DM messages", () => {
    it("maps commands, answers other text kindly, and never passes typed text on", async () => {
      await m.openDm();
      await m.settle();
      await m.type(`Mijn verhaal: ${CANARY}`);
      await m.settle();
      const reply = sectionText(fake.history(m.channel).at(-1)?.blocks);
      expect(reply).toContain("Dank je voor je bericht");
      expect(reply).toContain("verwijderen");
      for (const [text, expected] of [
        ["Hulp", "Zo werkt het"],
        ["nood", "Bel 112"],
        ["stop", "Je bent gestopt"],
      ] as const) {
        await m.type(text);
        await m.settle();
        expect(sectionText(fake.history(m.channel).at(-1)?.blocks)).toContain(expected);
      }
      const everything = JSON.stringify(fake.calls) + t.logs.join("\n");
      expect(everything).not.toContain(CANARY);
      expect(t.logs.join("\n")).not.toContain(USER);
    });

    it("ignores bot messages, edits and other channels", async () => {
      const events = [
        {
          type: "message",
          channel_type: "im",
          channel: m.channel,
          user: USER,
          text: "stop",
          bot_id: "B1",
          ts: "1.2",
        },
        {
          type: "message",
          channel_type: "im",
          channel: m.channel,
          user: USER,
          text: "stop",
          subtype: "message_changed",
          ts: "1.3",
        },
        {
          type: "message",
          channel_type: "channel",
          channel: "C0PUBLIC",
          user: USER,
          text: "stop",
          ts: "1.4",
        },
      ];
      for (const event of events) {
        const envelope = JSON.stringify({
          type: "event_callback",
          team_id: "T0TEAM",
          event_id: `Ev${event.ts}`,
          event,
        });
        await post(envelope, "application/json", sign(SECRET, envelope));
      }
      await adapter.idle();
      expect(userCalls()).toHaveLength(0);
    });

    it("posts one message per turn with buttons that carry a prompt token, never unfurled", async () => {
      await m.type("help");
      await m.settle();
      const posts = fake.callsOf("chat.postMessage");
      expect(posts).toHaveLength(1);
      expect(posts.every((p) => String(p.params.unfurl_links) === "false")).toBe(true);
      const buttons = buttonsOf(fake.history(m.channel)[0]);
      expect(buttons.map((b) => b.action_id)).toEqual([
        "vt_choice:continue",
        "vt_choice:lang_en",
        "vt_choice:danger",
        "vt_choice:stop",
      ]);
      expect(buttons[0]?.value).toMatch(/^3\.nl\.\d+\.[0-9a-f]{8}$/);
    });

    it("de-duplicates Slack retries of one event", async () => {
      const results = await Promise.all(
        [0, 1, 2, 3].map((n) => m.type("help", { eventId: "EvRETRY1", ...(n ? { retryNum: n } : {}) })),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      await m.settle();
      expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
    });
  });

  describe("App Home", () => {
    it("publishes the Home tab with the counsellors escaped, without touching a conversation", async () => {
      const envelope = JSON.stringify({
        type: "event_callback",
        team_id: "T0TEAM",
        event_id: "EvHome",
        event: { type: "app_home_opened", user: USER, channel: m.channel, tab: "home", event_ts: "1.5" },
      });
      await post(envelope, "application/json", sign(SECRET, envelope));
      await m.settle();
      const [publish] = fake.callsOf("views.publish");
      expect(publish?.params.user_id).toBe(USER);
      expect(JSON.stringify(publish?.params.view)).toContain("Anna &lt;Test&gt; &amp; Co");
      expect(fake.callsOf("chat.postMessage")).toHaveLength(0);
    });

    it("greets on the first visit to the Messages tab only", async () => {
      await m.openDm();
      await m.settle();
      await m.openDm();
      await m.settle();
      expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
    });
  });

  describe("answered messages", () => {
    const neutral = (blocks: unknown) =>
      JSON.stringify(blocks).endsWith('{"type":"context","elements":[{"type":"mrkdwn","text":"✓"}]}]');

    it("collapse through the click's response_url (no Web API call), else with chat.update", async () => {
      const r = slackMelder(fake, httpTransport(botUrl, SECRET), { user: "U0MELDER43", responseUrls: true });
      await r.openDm();
      await r.settle();
      await r.click("continue");
      await r.settle();
      await adapter.idle();
      const [hook] = fake.callsOf("response_url");
      expect(hook?.params.replace_original).toBe(true);
      expect(neutral(hook?.params.blocks)).toBe(true);
      expect(fake.callsOf("chat.update")).toHaveLength(0);
      // The first message lost its buttons, the second has them.
      expect(buttonsOf(fake.history(r.channel)[0])).toHaveLength(0);
      expect(buttonsOf(fake.history(r.channel)[1]).length).toBeGreaterThan(0);

      // A response_url Slack refuses (expired, used 5 times): the same mark with chat.update.
      fake.failNext("response_url", { error: "expired_url" });
      await r.click("ack");
      await r.settle();
      await adapter.idle();
      const [update] = fake.callsOf("chat.update");
      expect(update?.params.ts).toBe(fake.history(r.channel)[1]?.ts);
      expect(neutral(update?.params.blocks)).toBe(true);
    });

    it("are never collapsed through a response_url that is not Slack's", async () => {
      // The default melder's clicks carry https://hooks.invalid/…: not posted to, chat.update instead.
      await m.openDm();
      await m.settle();
      await m.click("continue");
      await m.settle();
      await adapter.idle();
      expect(fake.callsOf("response_url")).toHaveLength(0);
      expect(fake.callsOf("chat.update")).toHaveLength(1);
    });
  });

  describe("Slack Web API rate limits", () => {
    it("waits Retry-After on a 429 and posts once", async () => {
      fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
      const started = Date.now();
      await m.openDm();
      await adapter.idle();
      const posts = fake.callsOf("chat.postMessage");
      expect(posts).toHaveLength(2);
      expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
      expect(fake.history(m.channel)).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });
});

describe("Slack adapter start-up", () => {
  let fake: FakeSlack;
  let t: TestApp;
  beforeEach(async () => {
    fake = await startFakeSlack();
    t = await testApp();
  });
  afterEach(async () => {
    await fake.close();
    await t.cleanup();
  });

  const start = (env: NodeJS.ProcessEnv) =>
    createSlackAdapter({
      runtime: t.app.runtime,
      config: t.app.config,
      logger: t.app.logger,
      env,
      slackApiUrl: fake.url,
    });

  it("refuses to start without a signing secret in HTTP mode", async () => {
    await expect(start({ SLACK_BOT_TOKEN: "xoxb-1" })).rejects.toThrow(SlackConfigError);
    await expect(start({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "  " })).rejects.toThrow(
      /SLACK_SIGNING_SECRET/,
    );
  });

  it("refuses to start without a bot token, or with a token of the wrong kind", async () => {
    await expect(start({ SLACK_SIGNING_SECRET: SECRET })).rejects.toThrow(
      /SLACK_BOT_TOKEN is empty or missing/,
    );
    await expect(start({ SLACK_BOT_TOKEN: "xoxp-user", SLACK_SIGNING_SECRET: SECRET })).rejects.toThrow(
      /not a bot token/,
    );
    await expect(start({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xoxb-wrong" })).rejects.toThrow(
      /xapp-/,
    );
  });

  it("refuses to start when Slack rejects the token, without quoting a secret", async () => {
    fake.failNext("auth.test", { error: "invalid_auth" });
    await expect(start({ SLACK_BOT_TOKEN: "xoxb-revoked", SLACK_SIGNING_SECRET: SECRET })).rejects.toThrow(
      /invalid_auth/,
    );
    const err = await start({ SLACK_BOT_TOKEN: "xoxp-secret-value-123" }).catch((e: unknown) => e as Error);
    expect(String(err)).not.toContain("secret-value-123");
  });
});
