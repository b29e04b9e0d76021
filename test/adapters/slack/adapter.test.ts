/**
 * The Slack adapter over real HTTP, with a recording stand-in for the runtime and a loopback fake
 * of Slack's Web API: request verification, event mapping, buttons, the modal, retries, 429s.
 */
import type { Server } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackAdapter, SlackConfigError, createSlackAdapter } from "../../../adapters/slack/index.ts";
import { createHttpServer } from "../../../src/server/http.ts";
import {
  type FakeSlack,
  type SlackClientSim,
  buttonClick,
  dmMessage,
  homeOpened,
  latestPrompt,
  messageText,
  postToBot,
  sign,
  slackClient,
  startFakeSlack,
  viewSubmission,
} from "./fake-slack.ts";
import {
  type FakeRuntime,
  capturingLogger,
  closeServer,
  fakeRuntime,
  listen,
  sleep,
  testConfig,
} from "./helpers.ts";

const SECRET = "test-signing-secret-0123456789abcdef";
const USER = "U0MELDER42";
const DM = "D0DMCHANNEL";
const CANARY = "CANARY-slack-typed-9c1e";

describe("Slack adapter over HTTP", () => {
  let fake: FakeSlack;
  let runtime: FakeRuntime;
  let adapter: SlackAdapter;
  let server: Server;
  let botUrl: string;
  let slack: SlackClientSim;
  let lines: string[];

  beforeEach(async () => {
    fake = await startFakeSlack();
    runtime = fakeRuntime();
    const captured = capturingLogger();
    lines = captured.lines;
    adapter = await createSlackAdapter({
      runtime,
      config: testConfig(),
      logger: captured.logger,
      env: { SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_SIGNING_SECRET: SECRET },
      slackApiUrl: fake.url,
    });
    server = createHttpServer(adapter.routes, captured.logger);
    botUrl = `${await listen(server)}/slack/events`;
    slack = slackClient(botUrl, SECRET);
  });

  afterEach(async () => {
    await closeServer(server);
    await adapter.close();
    await fake.close();
  });

  const userCalls = () => fake.calls.filter((c) => c.method !== "auth.test");

  describe("request verification", () => {
    const body = JSON.stringify({
      type: "event_callback",
      team_id: "T0TEAM",
      event_id: "Ev1",
      event: dmMessage(USER, DM, "help"),
    });

    it("answers 401 to a bad signature and runs no listener", async () => {
      const headers = sign("not-the-secret", body);
      const res = await postToBot(botUrl, body, { contentType: "application/json", headers });
      expect(res.status).toBe(401);
      await adapter.idle();
      expect(runtime.turns).toHaveLength(0);
      expect(userCalls()).toHaveLength(0);
      expect(lines.some((l) => l.includes("slack.request.unverified") && l.includes("bad_signature"))).toBe(
        true,
      );
    });

    it("answers 401 to a correctly signed request older than 5 minutes", async () => {
      const headers = sign(SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60);
      const res = await postToBot(botUrl, body, { contentType: "application/json", headers });
      expect(res.status).toBe(401);
      await adapter.idle();
      expect(runtime.turns).toHaveLength(0);
    });

    it("answers 401 without signature headers", async () => {
      const res = await postToBot(botUrl, body, { contentType: "application/json" });
      expect(res.status).toBe(401);
    });

    it("does not let ssl_check=1 smuggle an unsigned payload to any listener", async () => {
      const smuggled = [
        { type: "event_callback", team_id: "T0TEAM", event_id: "EvX", event: dmMessage(USER, DM, "stop") },
        buttonClick(
          {
            ts: "1.000001",
            blocks: [
              { type: "actions", block_id: "vt:x", elements: [{ action_id: "vt_choice:stop", value: "x" }] },
            ],
          },
          "vt_choice:stop",
          { user: USER, channel: DM },
        ),
      ];
      for (const payload of smuggled) {
        const form = `ssl_check=1&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        const res = await postToBot(botUrl, form, { contentType: "application/x-www-form-urlencoded" });
        // Bolt answers the SSL check itself (200, empty) and drops everything else in the body.
        expect(res.status).toBe(200);
        const bad = await postToBot(botUrl, form, {
          contentType: "application/x-www-form-urlencoded",
          headers: {
            "x-slack-signature": "v0=deadbeef",
            "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)),
          },
        });
        expect(bad.status).toBe(200);
      }
      // Any other ssl_check value is not an SSL check: it needs a signature like everything else.
      const truthy = `ssl_check=true&payload=${encodeURIComponent(JSON.stringify(smuggled[1]))}`;
      expect(
        (await postToBot(botUrl, truthy, { contentType: "application/x-www-form-urlencoded" })).status,
      ).toBe(401);
      await sleep(100);
      await adapter.idle();
      expect(runtime.turns).toHaveLength(0);
      expect(userCalls()).toHaveLength(0);
    });

    it("answers Slack's url_verification challenge when signed", async () => {
      const challenge = JSON.stringify({ type: "url_verification", challenge: "abc123", token: "x" });
      const res = await postToBot(botUrl, challenge, {
        contentType: "application/json",
        headers: sign(SECRET, challenge),
      });
      expect(res.status).toBe(200);
      expect(res.body).toContain("abc123");
    });
  });

  describe("DM messages", () => {
    it("maps commands and never passes typed text on", async () => {
      const sent = [
        ["stop", "STOP"],
        ["Hulp", "HELP"],
        ["nood", "DANGER"],
        ["opnieuw", "START"],
        [`Mijn verhaal: ${CANARY}`, "TEXT"],
      ] as const;
      for (const [text, expected] of sent) {
        const before = runtime.turns.length;
        expect((await slack.event(dmMessage(USER, DM, text))).status).toBe(200);
        await adapter.idle();
        expect(runtime.turns).toHaveLength(before + 1);
        expect(runtime.turns.at(-1)?.event).toEqual({ type: expected });
      }
      expect(
        runtime.turns.every(
          (t) => t.melder.platform === "slack" && t.melder.tenant === "T0TEAM" && t.melder.user === USER,
        ),
      ).toBe(true);
      expect(JSON.stringify(runtime.turns)).not.toContain(CANARY);
      expect(lines.join("")).not.toContain(CANARY);
      expect(lines.join("")).not.toContain(USER);
    });

    it("ignores bot messages, edits and other channels", async () => {
      await slack.event({ ...dmMessage(USER, DM, "stop"), bot_id: "B123" });
      await slack.event({ ...dmMessage(USER, DM, "stop"), subtype: "message_changed" });
      await slack.event({ ...dmMessage(USER, "C0PUBLIC", "stop"), channel_type: "channel" });
      await sleep(50);
      await adapter.idle();
      expect(runtime.turns).toHaveLength(0);
    });

    it("posts prompts as Block Kit with buttons carrying choice ids and a prompt token", async () => {
      await slack.event(dmMessage(USER, DM, "help"));
      await adapter.idle();
      // The help notice and the step's prompt arrive as one message: notice text first, then the step.
      const posts = fake.callsOf("chat.postMessage");
      expect(posts).toHaveLength(1);
      const sections = ((posts[0]?.params.blocks ?? []) as { type: string }[]).filter(
        (b) => b.type === "section",
      );
      expect(sections.length).toBeGreaterThanOrEqual(2);
      expect(posts.every((p) => p.params.unfurl_links === "false" || p.params.unfurl_links === false)).toBe(
        true,
      );
      const prompt = latestPrompt(fake, DM);
      const actions = (
        (prompt?.blocks ?? []) as { type: string; block_id?: string; elements?: Record<string, unknown>[] }[]
      ).find((b) => b.type === "actions");
      expect(actions?.block_id).toMatch(/^vt:2\.nl\.welcome\.p\.\d+\.[0-9a-f]{8}$/);
      expect(actions?.elements?.map((e) => e.action_id)).toEqual(["vt_choice:info", "vt_choice:danger"]);
      expect(actions?.elements?.[1]?.style).toBe("danger");
      expect(actions?.elements?.[0]?.value).toBe(actions?.block_id?.slice(3));
    });

    it("de-duplicates Slack retries of one event", async () => {
      const event = dmMessage(USER, DM, "help");
      const results = await Promise.all(
        [0, 1, 2, 3].map((n) => slack.event(event, { eventId: "EvRETRY1", retryNum: n || undefined })),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      await adapter.idle();
      expect(runtime.turns).toHaveLength(1);
      expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
    });
  });

  describe("App Home", () => {
    it("publishes the Home tab with the counsellors, without touching a conversation", async () => {
      await slack.event(homeOpened(USER, DM, "home"));
      await adapter.idle();
      const [publish] = fake.callsOf("views.publish");
      expect(publish?.params.user_id).toBe(USER);
      const view = JSON.stringify(publish?.params.view);
      expect(view).toContain("Anna &lt;Test&gt; &amp; Co");
      expect(view).toContain("Onafhankelijk vertrouwenspersoon.");
      expect(runtime.turns).toHaveLength(0);
    });

    it("greets on the first visit to the Messages tab only", async () => {
      await slack.event(homeOpened(USER, DM, "messages"));
      await adapter.idle();
      expect(runtime.turns.map((t) => t.event)).toEqual([{ type: "START" }]);
      await slack.event(homeOpened(USER, DM, "messages"));
      await adapter.idle();
      expect(runtime.turns).toHaveLength(1);
    });
  });

  describe("buttons", () => {
    async function showPrompt() {
      await slack.event(dmMessage(USER, DM, "start"));
      await adapter.idle();
      const prompt = latestPrompt(fake, DM);
      if (!prompt) throw new Error("no prompt");
      // A copy: the fake's stored message changes when the bot updates it, the melder's screen may not.
      return structuredClone(prompt);
    }

    it("acks, marks the message answered without buttons, and sends CHOOSE once per message", async () => {
      const prompt = await showPrompt();
      const click = buttonClick(prompt, "vt_choice:info", { user: USER, channel: DM });
      const res = await slack.interaction(click);
      expect(res.status).toBe(200);
      await adapter.idle();
      const update = fake.callsOf("chat.update").at(-1);
      expect(update?.params.ts).toBe(prompt.ts);
      const blocks = update?.params.blocks as { type: string }[];
      expect(blocks.some((b) => b.type === "actions")).toBe(false);
      expect(JSON.stringify(blocks)).toContain("✓");
      expect(runtime.turns.at(-1)).toMatchObject({
        event: { type: "CHOOSE", choice: "info" },
        eventId: `m:${prompt.ts}`,
      });

      // A double click (a second payload for the same message) changes nothing.
      const turns = runtime.turns.length;
      await slack.interaction(buttonClick(prompt, "vt_choice:info", { user: USER, channel: DM }));
      await adapter.idle();
      expect(runtime.turns).toHaveLength(turns);
    });

    it("recognises a button from an older prompt and does not send it to the flow", async () => {
      const old = await showPrompt();
      await slack.event(dmMessage(USER, DM, "help"));
      await adapter.idle();
      const turns = runtime.turns.length;
      await slack.interaction(buttonClick(old, "vt_choice:info", { user: USER, channel: DM }));
      await adapter.idle();
      expect(runtime.turns).toHaveLength(turns);
      expect(messageText(fake.history(DM).at(-1))).toContain("eerdere stap");
      // Danger always works, even from an old message.
      await slack.interaction(buttonClick(old, "vt_choice:danger", { user: USER, channel: DM }));
      await adapter.idle();
      expect(runtime.turns.at(-1)?.event).toEqual({ type: "CHOOSE", choice: "danger" });
    });

    it("remembers messages with report content and deletes them when the runtime says so", async () => {
      runtime.reply = () => ({
        state: "review",
        prompts: [{ text: "review.summary", params: reviewParams(), sensitive: true }],
      });
      await slack.event(dmMessage(USER, DM, "help"));
      await adapter.idle();
      const review = fake.callsOf("chat.postMessage").at(-1);
      const ts = fake.history(DM).at(-1)?.ts;
      expect(runtime.remembered).toEqual([
        { melder: { platform: "slack", tenant: "T0TEAM", user: USER }, refs: [`${DM}:${ts}`] },
      ]);
      // Neither the notification text nor the message shows what was typed: only that it was.
      expect(String(review?.params.text)).not.toContain(CANARY);
      expect(JSON.stringify(review?.params.blocks)).not.toContain(CANARY);
      expect(JSON.stringify(review?.params.blocks)).toMatch(/ingevuld \(\d+ tekens\)/);

      runtime.reply = () => ({
        state: "stopped",
        prompts: [{ text: "stopped.wiped" }],
        forget: [`${DM}:${ts}`],
      });
      await slack.event(dmMessage(USER, DM, "stop"));
      await adapter.idle();
      expect(fake.callsOf("chat.delete").map((c) => c.params.ts)).toEqual([ts]);
      expect(fake.history(DM).some((m) => m.ts === ts)).toBe(false);
      const texts = fake.history(DM).map((m) => messageText(m));
      expect(texts.some((t) => t.includes("overzicht met je melding"))).toBe(true);
      expect(lines.join("")).not.toContain(CANARY);
    });

    it("strips a sensitive message completely when it is answered", async () => {
      runtime.reply = () => ({
        state: "review",
        prompts: [
          {
            text: "review.summary",
            params: reviewParams(),
            sensitive: true,
            choices: [{ id: "send", label: "choice.send" }],
          },
        ],
      });
      await slack.event(dmMessage(USER, DM, "help"));
      await adapter.idle();
      const review = latestPrompt(fake, DM);
      if (!review) throw new Error("no review");
      runtime.reply = () => ({ state: "done", prompts: [{ text: "stopped.wiped" }] });
      await slack.interaction(buttonClick(review, "vt_choice:send", { user: USER, channel: DM }));
      await adapter.idle();
      const update = fake.callsOf("chat.update").at(-1);
      expect(update?.raw).not.toContain(CANARY);
    });
  });

  describe("the form modal", () => {
    async function openForm() {
      runtime.reply = (input) => ({
        state: "report",
        prompts: [
          ...(input.event.type === "HELP" ? [{ text: "notice.help" as const }] : []),
          {
            text: "report.prompt",
            input: {
              form: "report",
              title: "report.title",
              open: "report.open",
              fields: [
                {
                  id: "what",
                  label: "report.field.what",
                  multiline: true,
                  maxLength: 10_000,
                  required: false,
                  initial: "eerder",
                },
                { id: "when", label: "report.field.when", multiline: false, maxLength: 500, required: false },
                {
                  id: "wishes",
                  label: "report.field.wishes",
                  multiline: false,
                  maxLength: 40,
                  required: false,
                  options: [{ id: "heard", label: "wish.heard" }],
                  initial: "heard",
                },
              ],
            },
            choices: [{ id: "skip", label: "choice.skip" }],
          },
        ],
      });
      await slack.event(dmMessage(USER, DM, "start"));
      await adapter.idle();
      const prompt = latestPrompt(fake, DM);
      if (!prompt) throw new Error("no prompt");
      expect(JSON.stringify(prompt.blocks)).not.toContain("eerder");
      await slack.interaction(buttonClick(prompt, "vt_open:report", { user: USER, channel: DM }));
      await adapter.idle();
      const open = fake.callsOf("views.open").at(-1);
      return {
        prompt,
        open,
        view: open?.params.view as Parameters<typeof viewSubmission>[0] & Record<string, unknown>,
      };
    }

    it("opens a modal from the current draft: fields, limits, initial values, select", async () => {
      const before = runtime.turns.length;
      const { open, view } = await openForm();
      expect(open?.params.trigger_id).toMatch(/^trg\./);
      // Opening the form reads the draft (runtime.current) and takes no turn of its own.
      expect(runtime.turns.length - before).toBe(1);
      type Input = { block_id: string; optional: boolean; element: Record<string, unknown> };
      const inputs = (view.blocks ?? []).filter((b) => b.type === "input") as unknown as Input[];
      expect(inputs.map((b) => b.block_id)).toEqual(["what", "when", "wishes"]);
      expect(inputs[0]?.element).toMatchObject({
        type: "plain_text_input",
        multiline: true,
        max_length: 3000,
        initial_value: "eerder",
      });
      expect(inputs[1]?.element).toMatchObject({ multiline: false, max_length: 500 });
      expect(inputs.every((b) => b.optional === true)).toBe(true);
      expect(inputs[2]?.element).toMatchObject({ type: "static_select", initial_option: { value: "heard" } });
      expect(String((view.title as { text: string }).text).length).toBeLessThanOrEqual(24);
    });

    it("answers a too-long field with response_action errors and sends nothing to the flow", async () => {
      const { view } = await openForm();
      const turns = runtime.turns.length;
      const res = await slack.interaction(
        viewSubmission(view, { what: CANARY, when: "x".repeat(501) }, { user: USER }),
      );
      expect(res.status).toBe(200);
      const answer = JSON.parse(res.body) as { response_action: string; errors: Record<string, string> };
      expect(answer.response_action).toBe("errors");
      expect(Object.keys(answer.errors)).toEqual(["when"]);
      expect(answer.errors.when).toContain("500");
      expect(answer.errors.when).not.toContain("xxxx");
      await adapter.idle();
      expect(runtime.turns).toHaveLength(turns);
      expect(lines.join("")).not.toContain(CANARY);
    });

    it("closes the modal and sends one SUBMIT with the trimmed values", async () => {
      const { prompt, view } = await openForm();
      const res = await slack.interaction(
        viewSubmission(
          view,
          { what: `  ${CANARY}  `, when: "", wishes: "heard" },
          { user: USER },
          { viewId: "V1", hash: "H1" },
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body).toBe("");
      await adapter.idle();
      expect(runtime.turns.at(-1)).toMatchObject({
        event: { type: "SUBMIT", form: "report", values: { what: CANARY, wishes: "heard" } },
        eventId: "v:V1:H1",
      });
      // The message that opened the form keeps its text but loses its buttons.
      const origin = fake.history(DM).find((m) => m.ts === prompt.ts);
      expect(((origin?.blocks ?? []) as { type: string }[]).some((b) => b.type === "actions")).toBe(false);
      expect(lines.join("")).not.toContain(CANARY);
    });
  });

  describe("Slack Web API rate limits", () => {
    it("waits Retry-After on a 429 and posts once", async () => {
      fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
      const started = Date.now();
      await slack.event(dmMessage(USER, DM, "start"));
      await adapter.idle();
      // The 429'd post and its retry.
      const posts = fake.callsOf("chat.postMessage");
      expect(posts).toHaveLength(2);
      expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
      expect(fake.history(DM)).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(lines.some((l) => l.includes("slack.api.rate_limited") || l.includes("slack.turn.shown"))).toBe(
        true,
      );
    });
  });
});

describe("Slack adapter start-up", () => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await startFakeSlack();
  });
  afterEach(async () => {
    await fake.close();
  });

  const start = (env: NodeJS.ProcessEnv) =>
    createSlackAdapter({
      runtime: fakeRuntime(),
      config: testConfig(),
      logger: capturingLogger().logger,
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

  it("refuses to start when Slack rejects the token", async () => {
    fake.failNext("auth.test", { error: "invalid_auth" });
    await expect(start({ SLACK_BOT_TOKEN: "xoxb-revoked", SLACK_SIGNING_SECRET: SECRET })).rejects.toThrow(
      /invalid_auth/,
    );
  });

  it("never puts a secret in its error messages", async () => {
    const err = await start({ SLACK_BOT_TOKEN: "xoxp-secret-value-123" }).catch((e: unknown) => e as Error);
    expect(String(err)).not.toContain("secret-value-123");
  });
});

function reviewParams() {
  return {
    mode: "report",
    topic: "bullying",
    counsellor: "Anna",
    identity: "anonymous",
    contactName: "",
    contactRoute: "",
    viaChat: 0,
    wishes: "",
    report_what: CANARY,
  };
}
