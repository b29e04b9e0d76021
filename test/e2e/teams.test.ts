/**
 * Teams end to end over real HTTP: Bot Framework-signed activities into the real server and app,
 * Microsoft faked by nock, the handoff decrypted with real GnuPG. The report form lives in a
 * dialog (task module): what the melder types travels only in task/submit invokes and in the
 * invoke responses to their own client, never in a request the bot sends to the Bot Connector.
 */
import { randomUUID } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Bench,
  Dialog,
  type InvokeAnswer,
  type SentCard,
  TeamsUser,
  invokeAnswer,
  lastCard,
  startBench,
} from "../adapters/teams/harness.ts";
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

/** Posts an invoke and returns the bot's HTTP answer, with the connector calls made meanwhile. */
async function invoke(activity: Record<string, unknown>) {
  const from = bench.calls.length;
  const answer = await invokeAnswer(await bench.post(activity));
  return { answer, calls: bench.calls.slice(from) };
}

/** Opens the form dialog from a card; opening it never sends anything to the connector. */
async function open(user: TeamsUser, card: SentCard): Promise<{ dialog: Dialog; answer: InvokeAnswer }> {
  const { answer, calls } = await invoke(user.openForm(card));
  expect(answer.status).toBe(200);
  expect(calls).toHaveLength(0);
  return { dialog: Dialog.of(answer), answer };
}

/** Submits a dialog that validates: the dialog closes silently and the next card is posted. */
async function submit(user: TeamsUser, dialog: Dialog, values: Record<string, string>): Promise<SentCard> {
  const from = bench.calls.length;
  const { answer } = await invoke(user.submitDialog(dialog, values));
  expect(answer.status).toBe(200);
  expect(answer.raw).toBe("");
  return lastCard(bench, from);
}

/** Walks from install to the card with the report form button. */
async function toReportForm(user: TeamsUser): Promise<SentCard> {
  let card = await must(user.install());
  card = await must(user.click(card, "continue"));
  card = await must(user.click(card, "ack"));
  card = await must(user.click(card, "report"));
  card = await must(user.click(card, "bullying"));
  card = await must(user.click(card, "counsellor:demo-extern"));
  card = await must(user.click(card, "anonymous"));
  // The chat card has a button that opens the dialog, and no inputs at all.
  expect(card.inputs()).toHaveLength(0);
  expect(card.openData()).toMatchObject({ msteams: { type: "task/fetch" }, vt: { form: "report" } });
  expect(card.choices()).toContain("skip");
  return card;
}

describe("Teams end to end", () => {
  it("runs install → buttons → dialog → review → edit → send → a handoff that GnuPG decrypts", async () => {
    const canary = `CANARY-${randomUUID()}`;
    const user = new TeamsUser(bench, "en-US");
    const callsBefore = bench.calls.length;
    const logsBefore = bench.logs.length;

    const welcome = await must(user.install());
    expect(welcome.text()).toContain("Hello");

    const formCard = await toReportForm(user);
    // Chat text is never report content: it gets the "use the form" notice and nothing is stored.
    const notice = await must(user.text(`${canary} typed in chat`));
    expect(notice.text()).not.toContain(canary);

    const { dialog, answer: opened } = await open(user, formCard);
    expect(opened.body?.task?.value).toMatchObject({ title: expect.any(String), width: "large" });
    expect(dialog.card.version).toBe("1.5");
    expect(dialog.inputs().map((i) => i.id)).toEqual(expect.arrayContaining(["what", "when", "wishes"]));

    const submitFrom = bench.calls.length;
    const review = await submit(user, dialog, {
      what: `What happened: ${canary}`,
      when: "last week",
      wishes: "heard",
    });
    expect(review.choices()).toContain("send");
    // The review card says what will be sent without showing typed text (Teams keeps cards).
    expect(review.text()).not.toContain(canary);
    expect(review.text()).toMatch(/filled in \(\d+ characters\)/);
    // The card with the form button was collapsed to its answer.
    const collapse = bench.calls
      .slice(submitFrom)
      .find((c) => c.method === "PUT" && c.path.endsWith(formCard.activityId));
    expect(collapse?.raw).toBeDefined();
    expect(collapse?.raw).not.toContain("task/fetch");

    // Edit from the review: the dialog opens filled from the sealed draft. That dialog is the
    // HTTP response to the melder's own client (the invoke), not a message in the chat.
    const editCard = await must(user.click(review, "edit_report"));
    expect(editCard.inputs()).toHaveLength(0);
    expect(editCard.text()).not.toContain(canary);
    const { dialog: edit, answer: editOpened } = await open(user, editCard);
    expect(editOpened.raw).toContain(canary);
    expect(edit.values().what).toBe(`What happened: ${canary}`);
    expect(edit.values().wishes).toBe("heard");
    const review2 = await submit(user, edit, {
      what: `What happened: ${canary}, and more`,
      when: "last week",
      wishes: "heard",
    });
    expect(review2.text()).not.toContain(canary);

    const sendFrom = bench.calls.length;
    const done = await must(user.click(review2, "send"));
    expect(done.text()).toMatch(/[0-9a-f]{64}/);
    const sendCalls = bench.calls.slice(sendFrom);
    // The review card was answered (collapsed) and then deleted after the handoff.
    expect(sendCalls.some((c) => c.method === "PUT" && c.path.endsWith(review2.activityId))).toBe(true);
    expect(sendCalls.some((c) => c.method === "DELETE" && c.path.endsWith(review2.activityId))).toBe(true);
    const removedNotice = sendCalls.find((c) => c.method === "POST" && typeof c.body?.text === "string");
    expect(String(removedNotice?.body?.text)).toContain("removed");

    // The canary reached no request the bot sent to the Bot Connector, and no log line.
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
    expect(plaintext).toContain(`${canary}, and more`);
    expect(plaintext).toContain("last week");
    expect(plaintext).not.toContain(user.aadObjectId);
  });

  it("keeps the dialog open with what was entered when the form does not validate", async () => {
    const user = new TeamsUser(bench);
    const formCard = await toReportForm(user);
    const { dialog } = await open(user, formCard);
    const canary = `CANARY-${randomUUID()}`;
    const logsBefore = bench.logs.length;
    const tooLong = "x".repeat(5000);

    const { answer, calls } = await invoke(
      user.submitDialog(dialog, { what: `${canary} kept`, when: tooLong }),
    );
    expect(answer.status).toBe(200);
    // Nothing was posted or updated in the chat: the errors are in the dialog only.
    expect(calls).toHaveLength(0);
    const again = Dialog.of(answer);
    expect(again.values().what).toBe(`${canary} kept`);
    expect(again.values().when).toBe(tooLong);
    expect(again.text()).toContain("attention");
    expect(bench.logs.slice(logsBefore).join("")).not.toContain(canary);
    expect(bench.logs.slice(logsBefore).join("")).toContain("teams.form.invalid");

    // Fixed and submitted from the same dialog: it closes and the flow moves on to the review.
    const review = await submit(user, again, { what: `${canary} kept`, when: "yesterday" });
    expect(review.choices()).toContain("send");
    expect(review.text()).not.toContain(canary);
  });

  it("answers stale and foreign dialogs clearly, without touching the chat", async () => {
    const stale = "That choice belongs to an earlier step";
    // No conversation at all (e.g. after a wipe): the dialog shows a message.
    const stranger = new TeamsUser(bench, "en-US");
    const nothing = await invoke(
      stranger.invoke("task/fetch", {
        data: { msteams: { type: "task/fetch" }, vt: { form: "report", token: "t" } },
      }),
    );
    expect(nothing.answer.status).toBe(200);
    expect(nothing.answer.body?.task).toEqual({ type: "message", value: expect.stringContaining(stale) });
    expect(nothing.calls).toHaveLength(0);

    const user = new TeamsUser(bench, "en-US");
    const formCard = await toReportForm(user);
    const { dialog } = await open(user, formCard);
    // A form that is not the current step's.
    const contact = await invoke(
      user.invoke("task/fetch", {
        data: { msteams: { type: "task/fetch" }, vt: { form: "contact", token: "t" } },
      }),
    );
    expect(contact.answer.body?.task?.type).toBe("message");
    // Task data this bot did not create, and an invoke it does not handle.
    const foreign = await invoke(user.invoke("task/submit", { data: { something: "else" } }));
    expect(foreign.answer.body?.task?.type).toBe("message");
    expect((await bench.post(user.invoke("adaptiveCard/action", { action: {} }))).status).toBe(501);

    // The same dialog submitted twice: the second submit finds the review and changes nothing.
    const review = await submit(user, dialog, { what: "something" });
    const twice = await invoke(user.submitDialog(dialog, { what: "something" }));
    expect(twice.answer.body?.task).toEqual({ type: "message", value: expect.stringContaining(stale) });
    expect(twice.calls).toHaveLength(0);
    expect(review.choices()).toContain("send");

    // A submit from an old in-chat form card is never read: the melder gets the current step.
    const canary = `CANARY-${randomUUID()}`;
    const from = bench.calls.length;
    const legacy = await must(user.legacyFormSubmit(formCard, { what: canary }));
    expect(legacy.text()).toContain(stale);
    expect(legacy.choices()).toContain("send");
    expect(bench.calls.slice(from).some((c) => c.raw.includes(canary))).toBe(false);
    expect(bench.logs.join("")).not.toContain(canary);
  });

  it("stops and wipes on the stop button and on typed 'stop'", async () => {
    const user = new TeamsUser(bench);
    const formCard = await toReportForm(user);
    const { dialog } = await open(user, formCard);
    const review = await submit(user, dialog, { what: "something" });
    const before = bench.calls.length;
    const stopped = await must(user.text("stop"));
    expect(stopped.choices()).toContain("restart");
    // The review card showed which fields were filled in: it is deleted on stop too.
    expect(
      bench.calls.slice(before).some((c) => c.method === "DELETE" && c.path.endsWith(review.activityId)),
    ).toBe(true);
    // The draft is gone: the old form button now opens nothing.
    const after = await invoke(user.openForm(formCard));
    expect(after.answer.body?.task?.type).toBe("message");
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
