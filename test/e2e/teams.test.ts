/**
 * Teams end to end over real HTTP: Bot Framework-signed activities into the real server and app
 * (real runtime, crypto, queue, worker, outbox), Microsoft faked by nock, the handoff decrypted
 * with real GnuPG. The chat carries neutral navigation only; the matter runs in the dialog, whose
 * cards are the invoke's answer to the melder's own client — never a request to the connector.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Bench,
  type ConnectorCall,
  type Dialog,
  Melder,
  type SentCard,
  findIn,
  startBench,
  toForm,
  toReportFields,
} from "../adapters/teams/harness.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";

let bench: Bench;
let gnupg: GnupgHome;

beforeAll(async () => {
  bench = await startBench();
  gnupg = await createGnupgHome();
  for (const k of bench.t.demo.keys.counsellors)
    await importSecret(gnupg, await readFile(k.privateKeyPath, "utf8"));
  // The bot signs handoffs; with its public key GnuPG also verifies the signature.
  await gnupg.gpg(["--import"], await readFile(bench.t.demo.keys.bot.publicKeyPath, "utf8"));
});
afterAll(async () => {
  await bench?.close();
  await gnupg?.cleanup();
});

const CASE_CODE = /VT-[0-9A-Z]{4}-[0-9A-Z]{4}/;
const FIELDS = ["what", "when", "where", "who", "witnesses", "impact", "urgent"] as const;

/** Decrypts every handoff in the outbox and returns the one that holds `marker`. */
async function handoffWith(marker: string): Promise<{ stdout: string; stderr: string }> {
  await bench.t.drain();
  for (const file of await bench.t.outbox()) {
    const r = await gnupg.gpg(["--decrypt", file]);
    if (r.code === 0 && r.stdout.includes(marker)) return r;
  }
  throw new Error("no handoff holds the marker");
}

/** Danger on every chat card with buttons; stop on every one but the card that says it stopped. */
function expectGlobalsOnEveryCard(cards: SentCard[]): void {
  for (const card of cards) {
    const ids = card.choices();
    expect(ids, card.text()).toContain("danger");
    if (!ids.includes("restart")) expect(ids, card.text()).toContain("stop");
  }
}

describe("Teams, end to end", () => {
  it("takes an anonymous report through the dialog; gpg reads it; the chat saw nothing of it", async () => {
    const m = new Melder(bench, "en-US");
    const canary = (field: string) => `CANARY-e2e-${field}-7c1f`;
    const logsFrom = bench.logs.length;

    await toReportFields(m, { topic: "sexual_harassment", counsellor: "counsellor:demo-extern" });
    // A canary typed in every field.
    const values = Object.fromEntries(FIELDS.map((f) => [f, canary(f)]));
    const review = await m.fill({ ...values, wishes: "complaint" });
    expect(review.calls).toEqual([]);
    const summary = review.dialog?.text() ?? "";
    for (const f of FIELDS) expect(summary).toContain(canary(f));
    expect(summary).toContain("Karim El Amrani");

    // Edit: the fields come back filled from the sealed draft — in the dialog, the invoke's answer.
    const edit = await m.press("edit_report");
    expect(edit.calls).toEqual([]);
    expect(edit.dialog?.values()).toMatchObject({ ...values, wishes: "complaint" });
    const again = await m.fill({ what: `${canary("what")} and more` });
    expect(again.dialog?.text()).toContain(`${canary("what")} and more`);

    // Send: the receipt in the dialog; one neutral line in the chat.
    const sent = await m.submit();
    const receipt = sent.dialog as Dialog;
    expect(receipt.text()).toMatch(CASE_CODE);
    expect(receipt.text()).not.toMatch(/[0-9a-f]{64}/);
    expect(receipt.submitAction()).toBeUndefined();
    expect(receipt.buttons()).toEqual(["refresh", "danger", "stop"]);
    const caseCode = CASE_CODE.exec(receipt.text())?.[0] as string;
    expect(sent.cards).toHaveLength(1);
    expect(sent.cards[0]?.text()).toBe(
      "Your message has been sent. Your case code is in the form. Please write it down.",
    );

    const handoff = await handoffWith(canary("what"));
    expect(handoff.stderr).toContain("Good signature");
    for (const f of FIELDS) expect(handoff.stdout).toContain(canary(f));
    expect(handoff.stdout).toContain(`${canary("what")} and more`);
    expect(handoff.stdout).toContain(caseCode);
    for (const id of [m.user.aadObjectId, m.user.userId, m.user.conversationId, bench.tenantId])
      expect(handoff.stdout).not.toContain(id);

    // Delivered: the receipt in the dialog says so when asked.
    const refreshed = await m.press("refresh");
    expect(refreshed.dialog?.text()).toContain("delivered to the counsellor");

    // Nothing of the matter reached a request to the connector, a log line, or a file in clear.
    const chat = m
      .calls()
      .map((c) => c.raw)
      .join("\n");
    for (const f of FIELDS) expect(chat).not.toContain(canary(f));
    expect(chat).not.toMatch(CASE_CODE);
    for (const word of ["Karim", "harassment", "intimidatie", "complaint", "Anonymous"])
      expect(chat).not.toContain(word);
    const logs = bench.logs.slice(logsFrom).join("\n");
    expect(logs).not.toContain("CANARY");
    expect(logs).not.toContain(caseCode);
    for (const id of [m.user.aadObjectId, m.user.userId, m.user.conversationId])
      expect(logs).not.toContain(id);
    for (const file of await bench.t.files()) expect(file.content, file.file).not.toContain("CANARY");

    expectGlobalsOnEveryCard(m.cards());
  });

  it("leaves identical chat transcripts for conversations that differ only in the matter", async () => {
    const variants: [string, (m: Melder) => Promise<void>][] = [
      [
        "anonymous report, full",
        async (m) => {
          await m.choose("report");
          await m.choose("bullying");
          await m.choose("counsellor:demo-extern");
          await m.choose("anonymous");
          await m.fill({ what: "Mijn leidinggevende schreeuwt.", when: "vorige week", wishes: "heard" });
        },
      ],
      [
        "named report, empty, other counsellor and topic",
        async (m) => {
          await m.choose("report");
          await m.choose("aggression");
          await m.choose("counsellor:demo-intern");
          await m.choose("named");
          await m.choose("typed");
          await m.fill({ name: "Jan Jansen", route: "06-12345678" });
          await m.fill({});
        },
      ],
      [
        "contact request through this chat, no preference, not sure",
        async (m) => {
          await m.choose("contact");
          await m.choose("not_sure");
          await m.choose("no_preference");
          await m.choose("via_chat");
        },
      ],
      [
        "out of scope, gone on anyway, 3,000 characters, a formal complaint",
        async (m) => {
          await m.choose("report");
          await m.choose("performance");
          await m.submit();
          await m.choose("counsellor:demo-extern");
          await m.choose("anonymous");
          await m.fill({ what: "x".repeat(3_000), impact: "slapeloos", wishes: "complaint" });
        },
      ],
    ];
    const transcripts: string[] = [];
    const logSets: string[] = [];
    for (const [name, matter] of variants) {
      const m = new Melder(bench);
      await bench.t.drain();
      const logsFrom = bench.logs.length;
      await toForm(m);
      await matter(m);
      const sent = await m.submit();
      expect(sent.dialog?.text(), name).toMatch(CASE_CODE);
      await bench.t.drain();
      transcripts.push(normalise(m, m.calls()));
      logSets.push(logShape(bench.logs.slice(logsFrom), name));
    }
    expect(transcripts[0]).toContain("Je bericht is verstuurd");
    for (const [i, t] of transcripts.entries()) expect(t, variants[i]?.[0]).toBe(transcripts[0]);
    // The log lines of the chat say nothing about the matter either: the same kinds of line,
    // whatever was chosen (the form's own steps are counted, not named).
    expect(logSets[0]).toContain("teams.turn");
    for (const [i, l] of logSets.entries()) expect(l, variants[i]?.[0]).toBe(logSets[0]);
  });

  it("collapses an answered card to the same neutral card whatever was chosen on it", async () => {
    const collapses: string[] = [];
    for (const choice of ["info", "urgent", "form"]) {
      const m = new Melder(bench);
      await m.install();
      await m.click("continue");
      const need = (await m.click("ack")).cards[0]!;
      const res = choice === "form" ? await m.open() : await m.click(choice);
      const put = res.calls.find((c) => c.method === "PUT");
      expect(put?.activityId, choice).toBe(need.activityId);
      expect(
        findIn(put?.body, (o) => o.type === "Action.Submit"),
        choice,
      ).toEqual([]);
      expect(put?.raw, choice).toContain("✓");
      collapses.push(normalise(m, [put as ConnectorCall]));
    }
    expect(new Set(collapses).size).toBe(1);
  });

  it("handles a re-delivered activity once and a double click once", async () => {
    const m = new Melder(bench, "en-US");
    const welcome = (await m.install()).cards[0]!;
    const click = m.user.click(welcome, "continue");
    const first = await m.post(click);
    expect(first.cards[0]?.choices()).toContain("ack");
    // Teams re-sends the same activity (same id): nothing changes, nothing is sent.
    expect((await m.post(click)).calls).toEqual([]);
    // A double click: the same button again, in a new activity. Taken once as well.
    expect((await m.post(m.user.click(welcome, "continue"))).calls).toEqual([]);
    // Another button of the answered card: where we are now, with every way on.
    const stale = await m.post(m.user.click(welcome, "lang_nl"));
    expect(stale.cards).toHaveLength(1);
    expect(stale.cards[0]?.text()).toContain("That button belongs to an earlier step");
    expect(stale.cards[0]?.choices()).toEqual(expect.arrayContaining(["ack", "more", "danger", "stop"]));
    // The chat is one step on: ack leads to the question what the melder needs.
    expect((await m.click("ack")).cards[0]?.choices()).toEqual(
      expect.arrayContaining(["form", "info", "urgent"]),
    );
    expectGlobalsOnEveryCard(m.cards());
  });

  it("shows the emergency numbers on the danger button, from any card, and on typed commands", async () => {
    const m = new Melder(bench);
    const welcome = (await m.install()).cards[0]!;
    await m.click("continue");
    // Danger works from an old card too, and leaves the melder where they were.
    const danger = await m.post(m.user.click(welcome, "danger"));
    expect(danger.cards[0]?.text()).toContain("112");
    expect(danger.cards[0]?.choices()).toEqual(expect.arrayContaining(["ack", "danger", "stop"]));
    expect((await m.type("112")).cards[0]?.text()).toContain("113");
    expect((await m.type("help")).cards[0]?.choices()).toContain("ack");
    // Typed text is never taken as a report, and not repeated.
    const typed = await m.type("CANARY-typed-in-chat mijn baas");
    expect(typed.cards[0]?.text()).toContain("Gebruik dan het formulier");
    expect(typed.calls.map((c) => c.raw).join()).not.toContain("CANARY");
    expectGlobalsOnEveryCard(m.cards());
  });

  it("stops in the dialog: wiped, and the chat says so without saying anything about the matter", async () => {
    const m = new Melder(bench, "en-US");
    await toReportFields(m);
    await m.fill({ what: "CANARY-stopped-story" });
    const stopped = await m.press("stop");
    expect(stopped.dialog?.text()).toContain("Stopped");
    expect(stopped.cards).toHaveLength(1);
    expect(stopped.cards[0]?.text()).toBe(
      "You have stopped. I am erasing everything you filled in. You can always start again.",
    );
    expect(
      m
        .calls()
        .map((c) => c.raw)
        .join(),
    ).not.toContain("CANARY");
    // And the melder can start again.
    const restart = await m.click("restart");
    expect(restart.cards[0]?.choices()).toContain("continue");
  });

  it("stopping after sending withdraws nothing, and says so in the dialog", async () => {
    const m = new Melder(bench, "en-US");
    await toReportFields(m);
    await m.fill({ what: "CANARY-kept-after-stop" });
    await m.submit();
    const stop = await m.press("stop");
    expect(stop.dialog?.text()).toContain("Your message had already been sent");
    expect(stop.dialog?.buttons()).toEqual(["danger"]);
    const handoff = await handoffWith("CANARY-kept-after-stop");
    expect(handoff.stdout).toContain("CANARY-kept-after-stop");
  });

  it("wipes everything when the app is removed: the open form is dead", async () => {
    const m = new Melder(bench, "en-US");
    const fields = await toReportFields(m);
    const removed = await m.post(m.user.uninstall());
    expect(removed.status).toBe(200);
    expect(removed.calls).toEqual([]);
    const late = await m.invoke(m.user.dialogSubmit(fields.submitData({ what: "after removal" })));
    expect(late.dialog?.text()).toContain("This form is no longer valid");
  });
});

/**
 * The kinds of log line of one conversation, outside the form's step count: event names with
 * their fields (random log ids, latencies and times left out), sorted. No error-level line may
 * be among them.
 */
function logShape(lines: string[], name: string): string {
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(
    parsed.filter((l) => Number(l.level) >= 50),
    name,
  ).toEqual([]);
  return (
    parsed
      // A form step logs that it happened (how many steps is what the texts say admins may see).
      .filter(
        (l) =>
          !String(l.event).startsWith("form.") &&
          !["teams.dialog.step", "http.request"].includes(String(l.event)),
      )
      .map((l) => {
        const { time: _t, pid: _p, hostname: _h, ms: _ms, durationMs: _d, conv: _c, ...rest } = l;
        return JSON.stringify(rest);
      })
      .sort()
      .join("\n")
  );
}

/**
 * A melder's connector calls as comparable text: their ids, activity ids, card nonces and the
 * bench's fake message ids replaced by placeholders, so only what the bot chose to send remains.
 */
function normalise(m: Melder, calls: ConnectorCall[]): string {
  const ids = new Map<string, string>();
  const stable = (raw: string) => {
    if (!ids.has(raw)) ids.set(raw, `<id${ids.size}>`);
    return ids.get(raw) as string;
  };
  return calls
    .map((c) => {
      let text = `${c.method} ${c.path}\n${c.raw}`;
      for (const [value, name] of [
        [m.user.conversationId, "<conversation>"],
        [encodeURIComponent(m.user.conversationId), "<conversation>"],
        [m.user.userId, "<user>"],
        [m.user.aadObjectId, "<aad>"],
      ] as const)
        text = text.replaceAll(value, name);
      text = text.replace(/f(:|%3A)[0-9a-f-]{36}/g, (x) => stable(decodeURIComponent(x)));
      text = text.replace(/1(:|%3A)bot-[\w-]+/g, (x) => stable(decodeURIComponent(x)));
      return text.replace(/"n":"[A-Za-z0-9_-]{8}"/g, '"n":"<nonce>"');
    })
    .join("\n");
}
