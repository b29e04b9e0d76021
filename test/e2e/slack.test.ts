/**
 * Slack end to end over real HTTP: signed Events API and interactivity requests into the real
 * server and app (real runtime, crypto, queue, outbox), Slack's Web API as a recording loopback
 * fake, and the handoff decrypted with real GnuPG. The chat carries neutral navigation only; the
 * matter runs in the modal.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";
import { type TestApp, testApp } from "../support/app.ts";
import { CANARY } from "../support/conversation.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import {
  type SlackMelder,
  buttonsOf,
  httpTransport,
  sectionText,
  sign,
  slackMelder,
} from "../support/slack-melder.ts";

const SECRET = `e2e-${randomBytes(12).toString("hex")}`;
const ENV = { SLACK_BOT_TOKEN: "xoxb-e2e-token", SLACK_SIGNING_SECRET: SECRET };

let fake: FakeSlack;
let t: TestApp;
let server: RunningServer;
let gnupg: GnupgHome;

beforeAll(async () => {
  fake = await startFakeSlack();
  t = await testApp({ env: ENV });
  server = await startServer(t.app, ENV, { port: 0, host: "127.0.0.1", slackApiUrl: fake.url });
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

const newMelder = (): SlackMelder =>
  slackMelder(fake, httpTransport(`${server.url}/slack/events`, SECRET), {
    user: `U${randomBytes(5).toString("hex").toUpperCase()}`,
  });

/** The chat up to the open form. */
async function toForm(m: SlackMelder): Promise<void> {
  await m.openDm();
  await m.settle();
  for (const choice of ["continue", "ack", "form"]) {
    await m.click(choice);
    await m.settle();
  }
  expect(m.modal()?.view.callback_id).toBe("vt_form");
}

const chatPayloads = (channel: string) =>
  fake.calls
    .filter((c) => c.method.startsWith("chat.") && c.params.channel === channel)
    .map((c) => JSON.stringify(c.params));

describe("Slack, end to end", () => {
  it("takes an anonymous report through the modal; gpg reads it; the chat saw nothing of it", async () => {
    const m = newMelder();
    await toForm(m);
    await m.choose("report");
    await m.choose("bullying");
    await m.choose("counsellor:demo-extern");
    await m.choose("anonymous");
    expect(sectionText(m.modal()?.view.blocks as unknown[])).toContain("Wat is er gebeurd?");
    await m.fill({ what: `${CANARY}\ntweede regel`, when: "vorige week", wishes: "heard" });
    // The review shows the story, in the form only.
    expect(JSON.stringify(m.modal()?.view)).toContain(CANARY);
    await m.submit();
    await m.settle();
    const receipt = sectionText(m.modal()?.view.blocks as unknown[]);
    expect(receipt).toMatch(/VT-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(receipt).not.toMatch(/[0-9a-f]{64}/);

    await t.drain();
    const [file] = await t.outbox();
    const r = await gnupg.gpg(["--decrypt", file!]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(CANARY);
    expect(r.stdout).not.toContain(m.user);

    const chat = chatPayloads(m.channel).join("\n");
    expect(chat).not.toContain(CANARY);
    expect(chat).not.toMatch(/VT-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(chat).not.toContain("Karim");
    expect(chat).toContain("Je bericht is verstuurd");
    expect(t.logs.join("\n")).not.toContain(CANARY);
  });

  it("collapses an answered message to the same neutral mark, and keeps danger and stop on every prompt", async () => {
    const m = newMelder();
    await m.openDm();
    await m.settle();
    await m.click("continue");
    await m.settle();
    const [answered] = fake.history(m.channel);
    expect(buttonsOf(answered)).toEqual([]);
    expect(JSON.stringify(answered?.blocks)).toContain("✓");
    for (const message of fake.history(m.channel).filter((x) => buttonsOf(x).length > 0)) {
      const ids = buttonsOf(message).map((b) => b.action_id);
      expect(ids).toContain("vt_choice:danger");
      expect(ids).toContain("vt_choice:stop");
    }
  });

  it("keeps danger and stop in every form view, and shows danger on top of the form", async () => {
    const m = newMelder();
    await toForm(m);
    for (const step of ["report", "aggression", "counsellor:demo-intern", "named"]) {
      const ids = JSON.stringify(m.modal()?.view.blocks);
      expect(ids).toContain("vt_form:danger");
      expect(ids).toContain("vt_form:stop");
      await m.choose(step);
    }
    await m.press("danger");
    await m.settle();
    expect(m.modal()?.view.callback_id).toBe("vt_danger");
    expect(sectionText(m.modal()?.view.blocks as unknown[])).toContain("112");
    await m.close();
    expect(m.modal()?.view.callback_id).toBe("vt_form");
  });

  it("wipes the draft when the modal is closed and says so neutrally in the chat", async () => {
    const m = newMelder();
    await toForm(m);
    await m.choose("report");
    await m.close();
    await m.settle();
    const last = fake.history(m.channel).at(-1);
    expect(sectionText(last?.blocks)).toContain("gesloten zonder te versturen");
  });

  it("keeps the form open with everything typed when a field is too long", async () => {
    const m = newMelder();
    await toForm(m);
    for (const step of ["report", "bullying", "counsellor:demo-extern", "anonymous"]) await m.choose(step);
    // Slack's own input stops at 3,000 characters; a longer value is refused by the runtime too.
    const post = await m.fill({ what: "x".repeat(10_001) });
    expect(JSON.parse(post.body).response_action).toBe("errors");
    expect(m.lastErrors?.what).toContain("3.000");
    expect(m.modal()?.view.blocks).toBeDefined();
  });

  it("refuses a request signed for more than five minutes in the future", async () => {
    const body = JSON.stringify({ type: "event_callback", event: { type: "message" } });
    const res = await fetch(`${server.url}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...sign(SECRET, body, Math.floor(Date.now() / 1000) + 3600),
      },
      body,
    });
    expect(res.status).toBe(401);
  });
});
