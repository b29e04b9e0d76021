/**
 * Teams end to end over real HTTP: Bot Framework-signed activities into the real server and app,
 * Microsoft faked by nock, the handoff decrypted with real GnuPG.
 */
import { randomUUID } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bench, type SentCard, TeamsUser, lastCard, startBench } from "../adapters/teams/harness.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";

let bench: Bench;
let gnupg: GnupgHome;

beforeAll(async () => {
  bench = await startBench();
  gnupg = await createGnupgHome();
  for (const k of bench.demo.keys.counsellors)
    await importSecret(gnupg, await readFile(k.privateKeyPath, "utf8"));
  // The bot signs handoffs; with its public key GnuPG also verifies the signature.
  await gnupg.gpg(["--import"], await readFile(bench.demo.keys.bot.publicKeyPath, "utf8"));
});
afterAll(async () => {
  await bench?.close();
  await gnupg?.cleanup();
});

/** Posts an activity, expects 200, and returns the card the bot sent in that turn (if any). */
async function step(activity: Record<string, unknown>): Promise<SentCard | undefined> {
  const from = bench.calls.length;
  const res = await bench.post(activity);
  expect(res.status).toBe(200);
  return bench.calls.slice(from).some((c) => c.method === "POST" && c.id) ? lastCard(bench, from) : undefined;
}

async function must(activity: Record<string, unknown>): Promise<SentCard> {
  const card = await step(activity);
  if (!card) throw new Error("expected a card");
  return card;
}

/** Walks from install to the report form. */
async function toReportForm(user: TeamsUser): Promise<SentCard> {
  let card = await must(user.install());
  card = await must(user.click(card, "continue"));
  card = await must(user.click(card, "ack"));
  card = await must(user.click(card, "report"));
  card = await must(user.click(card, "bullying"));
  card = await must(user.click(card, "counsellor:demo-extern"));
  card = await must(user.click(card, "anonymous"));
  expect(card.inputs().map((i) => i.id)).toContain("what");
  return card;
}

describe("Teams end to end", () => {
  it("runs a whole conversation from install to a handoff that GnuPG decrypts", async () => {
    const canary = `CANARY-${randomUUID()}`;
    const user = new TeamsUser(bench, "en-US");
    const callsBefore = bench.calls.length;
    const logsBefore = bench.logs.length;

    const welcome = await must(user.install());
    expect(welcome.text()).toContain("Hello");

    const form = await toReportForm(user);
    // Chat text is never report content: it gets the "use the form" notice and nothing is stored.
    const notice = await must(user.text(`${canary} typed in chat`));
    expect(notice.text()).not.toContain(canary);

    const formCalls = bench.calls.length;
    const review = await must(
      user.submit(form, { what: `What happened: ${canary}`, when: "last week", wishes: "heard" }),
    );
    expect(review.choices()).toContain("send");
    // The review card says what will be sent without showing typed text (Teams keeps cards).
    expect(review.text()).not.toContain(canary);
    expect(review.text()).toMatch(/filled in \(\d+ characters\)/);
    // The answered form was collapsed: its update carries no inputs and no report text.
    const formUpdate = bench.calls
      .slice(formCalls)
      .find((c) => c.method === "PUT" && c.path.endsWith(form.activityId));
    expect(formUpdate?.raw).toBeDefined();
    expect(formUpdate?.raw).not.toContain("Input.");

    const sendFrom = bench.calls.length;
    const done = await must(user.click(review, "send"));
    expect(done.text()).toMatch(/[0-9a-f]{64}/);
    const sendCalls = bench.calls.slice(sendFrom);
    // The review card was answered (collapsed) and then deleted after the handoff.
    expect(sendCalls.some((c) => c.method === "PUT" && c.path.endsWith(review.activityId))).toBe(true);
    expect(sendCalls.some((c) => c.method === "DELETE" && c.path.endsWith(review.activityId))).toBe(true);
    const removedNotice = sendCalls.find((c) => c.method === "POST" && typeof c.body?.text === "string");
    expect(String(removedNotice?.body?.text)).toContain("removed");

    // The canary never reached Microsoft in a card the bot sent: only in the card the melder submitted.
    const withCanary = bench.calls.slice(callsBefore).filter((c) => c.raw.includes(canary));
    expect(withCanary).toHaveLength(0);
    expect(bench.logs.slice(logsBefore).join("")).not.toContain(canary);
    expect(bench.logs.join("")).not.toContain(user.aadObjectId);

    const sha = /([0-9a-f]{64})/.exec(done.text())?.[1];
    const files = (await readdir(bench.demo.outboxDir)).filter((f) => f.endsWith(".asc"));
    expect(files.length).toBeGreaterThan(0);
    let plaintext = "";
    for (const f of files) {
      const armored = await readFile(path.join(bench.demo.outboxDir, f), "utf8");
      const r = await gnupg.gpg(["--decrypt"], armored);
      if (r.code === 0 && r.stdout.includes(canary)) {
        plaintext = r.stdout;
        expect(r.stderr).toContain("Good signature");
      }
    }
    expect(sha).toBeDefined();
    expect(plaintext).toContain(canary);
    expect(plaintext).toContain("last week");
    expect(plaintext).not.toContain(user.aadObjectId);
  });

  it("keeps what was entered when the form does not validate", async () => {
    const user = new TeamsUser(bench);
    const form = await toReportForm(user);
    const canary = `CANARY-${randomUUID()}`;
    const before = bench.calls.length;
    const logsBefore = bench.logs.length;
    const tooLong = "x".repeat(5000);
    const res = await bench.post(user.submit(form, { what: `${canary} kept`, when: tooLong }));
    expect(res.status).toBe(200);
    const calls = bench.calls.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe("PUT");
    expect(calls[0]?.path.endsWith(form.activityId)).toBe(true);
    const attachments = (calls[0]?.body?.attachments ?? []) as {
      content: { body: Record<string, unknown>[] };
    }[];
    const card = attachments[0]?.content;
    const inputs = Object.fromEntries(
      (card?.body ?? []).filter((b) => String(b.type).startsWith("Input.")).map((b) => [b.id, b.value]),
    );
    expect(inputs.what).toBe(`${canary} kept`);
    expect(inputs.when).toBe(tooLong);
    expect(JSON.stringify(card)).toContain("attention");
    expect(bench.logs.slice(logsBefore).join("")).not.toContain(canary);

    // Fixed and submitted from the same card: the flow moves on to the review.
    const review = await must(user.submit(form, { what: `${canary} kept`, when: "yesterday" }));
    expect(review.choices()).toContain("send");
  });

  it("stops and wipes on the stop button and on typed 'stop'", async () => {
    const user = new TeamsUser(bench);
    const form = await toReportForm(user);
    const review = await must(user.submit(form, { what: "something" }));
    const before = bench.calls.length;
    const stopped = await must(user.text("stop"));
    expect(stopped.choices()).toContain("restart");
    // The review card showed report content: it is deleted on stop too.
    expect(
      bench.calls.slice(before).some((c) => c.method === "DELETE" && c.path.endsWith(review.activityId)),
    ).toBe(true);
    const again = await must(user.click(stopped, "restart"));
    const stoppedAgain = await must(user.click(again, "stop"));
    expect(stoppedAgain.choices()).toContain("restart");
  });

  it("shows the emergency numbers on the danger button and on typed '112'", async () => {
    const user = new TeamsUser(bench);
    const welcome = await must(user.install());
    const danger = await must(user.click(welcome, "danger"));
    expect(danger.text()).toContain("112");
    expect(danger.choices()).toContain("continue");
    const typed = await must(user.text("112"));
    expect(typed.text()).toContain("113");
  });

  it("handles a re-delivered activity once and a double click once", async () => {
    const user = new TeamsUser(bench);
    const welcome = await must(user.install());
    const click = user.click(welcome, "continue");
    const first = await must(click);
    expect(first.choices()).toContain("ack");
    const before = bench.calls.length;
    // Same activity id again (Teams retried): no state change, nothing sent.
    expect((await bench.post(click)).status).toBe(200);
    // Another click on the same, already answered card: a new activity, but the same card.
    expect((await bench.post(user.click(welcome, "lang_en"))).status).toBe(200);
    expect(bench.calls.slice(before)).toHaveLength(0);
    const next = await must(user.click(first, "ack"));
    expect(next.choices()).toContain("report");
  });
});
