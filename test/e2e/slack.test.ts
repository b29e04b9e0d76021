/**
 * Slack end to end over real HTTP: signed Events API and interactivity requests into the real
 * server and app (real runtime, crypto, outbox), Slack's Web API as a recording loopback fake,
 * and the handoff decrypted with real GnuPG.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import {
  type ApiCall,
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
} from "../adapters/slack/fake-slack.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";
import { type TestApp, testApp } from "../support/app.ts";

const SECRET = `e2e-${randomBytes(12).toString("hex")}`;
const ENV = { SLACK_BOT_TOKEN: "xoxb-e2e-token", SLACK_SIGNING_SECRET: SECRET };

let fake: FakeSlack;
let t: TestApp;
let server: RunningServer;
let slack: SlackClientSim;
let gnupg: GnupgHome;

beforeAll(async () => {
  fake = await startFakeSlack();
  t = await testApp({ env: ENV });
  server = await startServer(t.app, ENV, { port: 0, host: "127.0.0.1", slackApiUrl: fake.url });
  slack = slackClient(`${server.url}/slack/events`, SECRET);
  gnupg = await createGnupgHome();
  for (const k of t.demo.keys.counsellors)
    await importSecret(gnupg, await readFile(k.privateKeyPath, "utf8"));
  await gnupg.gpg(["--import"], await readFile(t.demo.keys.bot.publicKeyPath, "utf8"));
});

afterAll(async () => {
  await server?.close();
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

/** One melder with their own DM. */
class Melder {
  readonly user = `U${randomBytes(5).toString("hex").toUpperCase()}`;
  readonly channel = `D${randomBytes(5).toString("hex").toUpperCase()}`;

  prompt(): Stored {
    const p = latestPrompt(fake, this.channel);
    if (!p) throw new Error("no prompt in the DM");
    // What the melder's screen shows now; the fake's copy changes when the bot updates it.
    return structuredClone(p);
  }

  /** Waits for the turn's last message with buttons, newer than `after`. */
  async nextPrompt(after?: string): Promise<Stored> {
    return fake.waitFor(() => {
      const p = latestPrompt(fake, this.channel);
      return p && (after === undefined || Number(p.ts) > Number(after)) ? structuredClone(p) : undefined;
    });
  }

  async openDm(): Promise<Stored> {
    expect((await slack.event(homeOpened(this.user, this.channel, "messages"))).status).toBe(200);
    return this.nextPrompt();
  }

  async click(choice: string): Promise<Stored> {
    const current = this.prompt();
    const res = await slack.interaction(buttonClick(current, `vt_choice:${choice}`, this));
    expect(res.status).toBe(200);
    return this.nextPrompt(current.ts);
  }

  async type(text: string): Promise<Stored> {
    const before = this.prompt().ts;
    expect((await slack.event(dmMessage(this.user, this.channel, text))).status).toBe(200);
    return this.nextPrompt(before);
  }

  /** Clicks the form button and returns the modal the bot opened. */
  async openForm(form: "report" | "contact" = "report") {
    const opened = fake.callsOf("views.open").length;
    const res = await slack.interaction(buttonClick(this.prompt(), `vt_open:${form}`, this));
    expect(res.status).toBe(200);
    const call = await fake.waitFor(() => fake.callsOf("views.open")[opened]);
    return call.params.view as FormView;
  }

  async submit(view: Parameters<typeof viewSubmission>[0], values: Record<string, string>) {
    return slack.interaction(viewSubmission(view, values, this));
  }

  texts(): string[] {
    return fake.history(this.channel).map((m) => messageText(m));
  }

  /** Walks from the first DM to the report step. */
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

const carrying = (calls: ApiCall[], needle: string) =>
  calls.filter((c) => c.raw.includes(encodeURIComponent(needle)) || c.raw.includes(needle));

describe("Slack end to end", () => {
  it("runs a whole conversation from the first DM to a handoff that GnuPG decrypts", async () => {
    const canary = `CANARY-${randomUUID()}`;
    const m = new Melder();
    const outboxBefore = (await t.outbox()).length;

    await m.toReportStep();
    expect(m.texts()[0]).toContain("Voorbeeld BV");

    // Typed text is never report content: the melder gets a pointer to the buttons.
    await m.type(`${canary} getypt in de chat`);
    expect(m.texts().at(-1)).toContain("knoppen");

    const view = await m.openForm();
    expect(view.blocks.filter((b) => b.type === "input").map((b) => b.block_id)).toContain("what");
    const reviewBefore = m.prompt().ts;
    const res = await m.submit(view, {
      what: `Wat er gebeurde: ${canary}`,
      when: "vorige week",
      wishes: "advice",
    });
    expect(res.status).toBe(200);
    const review = await m.nextPrompt(reviewBefore);
    // The review says what will be sent, but shows no typed text: Slack keeps what the bot posts.
    expect(messageText(review)).not.toContain(canary);
    expect(messageText(review)).toMatch(/Wat is er gebeurd\?: ingevuld \(\d+ tekens\)/);

    const done = await m.click("send");
    const receiptText = m.texts().find((x) => /[0-9a-f]{64}/.test(x)) ?? "";
    expect(messageText(done)).toContain("Karim El Amrani");

    // The review was deleted from the DM and the melder was told.
    expect(fake.callsOf("chat.delete").map((c) => c.params.ts)).toContain(review.ts);
    expect(fake.history(m.channel).some((x) => x.ts === review.ts)).toBe(false);
    expect(m.texts().some((x) => x.includes("overzicht met je melding"))).toBe(true);

    // The outbox holds one new ciphertext; its hash is the one in the receipt; GnuPG opens it.
    const files = await t.outbox();
    expect(files).toHaveLength(outboxBefore + 1);
    const armored = await readFile(files.at(-1) ?? "", "utf8");
    expect(armored).not.toContain(canary);
    expect(receiptText).toContain(createHash("sha256").update(armored, "utf8").digest("hex"));
    const opened = await gnupg.gpg(["--decrypt"], armored);
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain(canary);
    expect(opened.stderr).toMatch(/Good signature/);
    // Anonymous: no Slack user id in the handoff.
    expect(opened.stdout).not.toContain(m.user);

    // The report text never went into a chat message: only into the modal the melder filled in.
    const chat = fake.calls.filter((c) => c.method === "chat.postMessage" || c.method === "chat.update");
    expect(carrying(chat, canary)).toHaveLength(0);
    expect(t.logs.join("")).not.toContain(canary);
    expect(t.logs.join("")).not.toContain(m.user);
  });

  it("stops on 'stop': wipes the draft, removes the review, sends nothing", async () => {
    const canary = `CANARY-${randomUUID()}`;
    const m = new Melder();
    const outboxBefore = (await t.outbox()).length;
    await m.toReportStep();
    const before = m.prompt().ts;
    await m.submit(await m.openForm(), { what: canary });
    const review = await m.nextPrompt(before);

    const stopped = await m.type("stop");
    expect(messageText(stopped)).toContain("gewist");
    expect(fake.history(m.channel).some((x) => x.ts === review.ts)).toBe(false);
    expect(m.texts().some((x) => x.includes("overzicht met je melding"))).toBe(true);
    expect(await t.outbox()).toHaveLength(outboxBefore);

    // Starting again begins at the welcome, with nothing left of the draft.
    const again = await m.click("restart");
    expect(messageText(again)).toContain("Voorbeeld BV");
    expect(t.logs.join("")).not.toContain(canary);
  });

  it("shows the emergency numbers from the danger button and the 'nood' command, without losing the step", async () => {
    const m = new Melder();
    await m.openDm();
    await m.click("continue");
    const afterButton = await m.click("danger");
    expect(m.texts().at(-1)).toContain("112");
    // The step is shown again and still works.
    expect(JSON.stringify(afterButton.blocks)).toContain("vt_choice:ack");
    const afterCommand = await m.type("nood");
    expect(m.texts().at(-1)).toContain("112");
    expect(JSON.stringify(afterCommand.blocks)).toContain("vt_choice:ack");
    const need = await m.click("ack");
    expect(JSON.stringify(need.blocks)).toContain("vt_choice:report");
  });

  it("keeps the modal open with errors for a too-long field, and loses nothing already entered", async () => {
    const m = new Melder();
    await m.toReportStep();
    let before = m.prompt().ts;
    await m.submit(await m.openForm(), { what: "eerste versie" });
    await m.nextPrompt(before);
    await m.click("edit_report");

    const view = await m.openForm();
    const what = view.blocks.find((b) => b.block_id === "what");
    expect(what?.element.initial_value).toBe("eerste versie");
    const turnsBefore = fake.history(m.channel).length;
    const res = await m.submit(view, { what: "tweede versie", when: "x".repeat(501) });
    const answer = JSON.parse(res.body) as { response_action: string; errors: Record<string, string> };
    expect(answer).toMatchObject({ response_action: "errors" });
    expect(answer.errors.when).toMatch(/500/);
    // Nothing reached the flow: no new message, and the draft still holds the first version.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(fake.history(m.channel)).toHaveLength(turnsBefore);
    const reopened = await m.openForm();
    expect(reopened.blocks.find((b) => b.block_id === "what")?.element.initial_value).toBe("eerste versie");

    before = m.prompt().ts;
    await m.submit(reopened, { what: "tweede versie", when: "gisteren" });
    const review = await m.nextPrompt(before);
    // "tweede versie" (13) and "gisteren" (8): the review counts, the modal shows the text.
    expect(messageText(review)).toContain("ingevuld (13 tekens)");
    expect(messageText(review)).toContain("ingevuld (8 tekens)");
    await m.click("edit_report");
    const final = await m.openForm();
    expect(final.blocks.find((b) => b.block_id === "what")?.element.initial_value).toBe("tweede versie");
  });

  it("answers every Slack retry of one event with 200 and changes the conversation once", async () => {
    const m = new Melder();
    await m.openDm();
    const postsBefore = fake.callsOf("chat.postMessage").length;
    const event = dmMessage(m.user, m.channel, "help");
    const eventId = `Ev${randomBytes(5).toString("hex").toUpperCase()}`;
    const results = await Promise.all(
      [undefined, 1, 2, 3].map((retryNum) =>
        slack.event(event, { eventId, ...(retryNum ? { retryNum } : {}) }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await fake.waitFor(() => fake.callsOf("chat.postMessage").length >= postsBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // One reply: the help notice with the welcome shown again, in one message.
    expect(fake.callsOf("chat.postMessage").length - postsBefore).toBe(1);
    expect(m.texts().filter((x) => x.includes("stop") && x.includes("help")).length).toBeGreaterThanOrEqual(
      1,
    );
  });

  it("rejects forged requests: bad signature, stale timestamp, ssl_check smuggling", async () => {
    const url = `${server.url}/slack/events`;
    const m = new Melder();
    const body = JSON.stringify({
      type: "event_callback",
      team_id: "T0TEAM",
      event_id: "EvForged",
      event: dmMessage(m.user, m.channel, "start"),
    });
    expect(
      (await postToBot(url, body, { contentType: "application/json", headers: sign("wrong", body) })).status,
    ).toBe(401);
    const stale = sign(SECRET, body, Math.floor(Date.now() / 1000) - 301);
    expect((await postToBot(url, body, { contentType: "application/json", headers: stale })).status).toBe(
      401,
    );
    const smuggled = `ssl_check=1&payload=${encodeURIComponent(body)}`;
    expect(
      (await postToBot(url, smuggled, { contentType: "application/x-www-form-urlencoded" })).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.history(m.channel)).toHaveLength(0);
    expect(t.logs.some((l) => l.includes("EvForged"))).toBe(false);
  });

  it("refuses to start the server without a signing secret", async () => {
    await expect(
      startServer(
        t.app,
        { SLACK_BOT_TOKEN: "xoxb-1" },
        { port: 0, host: "127.0.0.1", slackApiUrl: fake.url },
      ),
    ).rejects.toThrow(/SLACK_SIGNING_SECRET/);
  });
});
