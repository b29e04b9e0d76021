import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Melder } from "../../src/conversation/types.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";
import { testApp } from "../support/app.ts";
import { CANARY, choose, play, reportEvents, texts } from "../support/conversation.ts";

const melder = (user: string): Melder => ({ platform: "slack", tenant: "T0TEST", user });

let gpg: GnupgHome;
beforeAll(async () => {
  gpg = await createGnupgHome();
});
afterAll(async () => {
  await gpg.cleanup();
});

async function decrypt(
  file: string,
  counsellor: "demo-intern" | "demo-extern",
  t: Awaited<ReturnType<typeof testApp>>,
) {
  const key = t.demo.keys.counsellors.find((k) => k.id === counsellor);
  if (!key) throw new Error("no key");
  await importSecret(gpg, await readFile(key.privateKeyPath, "utf8"));
  await gpg.gpg(["--import"], await readFile(t.demo.keys.bot.publicKeyPath, "utf8"));
  const r = await gpg.gpg(["--decrypt", file]);
  expect(r.code, r.stderr).toBe(0);
  // The bot's signature inside the encryption verifies with GnuPG too.
  expect(r.stderr).toContain("Good signature");
  return r.stdout;
}

describe("conversation runtime", () => {
  it("runs a whole anonymous report to a handoff that gpg decrypts, leaving nothing readable behind", async () => {
    const t = await testApp();
    const who = melder("U-ANON-SECRET-ID");
    const outs = await play(t.app.runtime, who, [...reportEvents(), choose("send")]);
    const last = outs.at(-1);
    expect(last?.receipt?.caseCode).toMatch(/^VT-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(last?.state).toBe("done");
    expect(texts(last!)).toEqual(["done.receipt", "done.next"]);

    const files = await t.outbox();
    expect(files).toHaveLength(1);
    const plain = await decrypt(files[0]!, "demo-extern", t);
    expect(plain).toContain(CANARY);
    // Anonymous: no platform user id in the handoff, the logs, or any file.
    expect(plain).not.toContain("U-ANON-SECRET-ID");
    const logText = t.logs.join("\n");
    expect(logText).not.toContain(CANARY);
    expect(logText).not.toContain("U-ANON-SECRET-ID");
    for (const f of await t.files()) {
      expect(f.content, f.file).not.toContain(CANARY);
      expect(f.content, f.file).not.toContain("U-ANON-SECRET-ID");
    }
    // The draft is gone: the next message starts afresh, without a timeout notice.
    const next = await t.app.runtime.handle({ melder: who, event: { type: "START" } });
    expect(next.state).toBe("welcome");
    expect(texts(next)).not.toContain("notice.timedOut");
    await t.cleanup();
  });

  it("puts the chat handle in the handoff only for a named melder who asked for it", async () => {
    const t = await testApp();
    const who = melder("U-NAMED-42");
    await play(t.app.runtime, who, [
      { type: "START" },
      choose("continue"),
      choose("ack"),
      choose("contact"),
      choose("not_sure"),
      choose("counsellor:demo-intern"),
      choose("named"),
      choose("via_chat"),
      choose("send"),
    ]);
    const [file] = await t.outbox();
    const plain = await decrypt(file!, "demo-intern", t);
    expect(plain).toContain("slack:T0TEST/U-NAMED-42");
    expect(t.logs.join("\n")).not.toContain("U-NAMED-42");
    await t.cleanup();
  });

  it("refuses a key whose fingerprint does not match, keeps the draft, and lets the melder pick another counsellor", async () => {
    const t = await testApp({
      config: (c) => ({
        ...c,
        counsellors: c.counsellors.map((co) =>
          co.id === "demo-extern" ? { ...co, key: { ...co.key, fingerprint: "0".repeat(40) } } : co,
        ),
      }),
    });
    expect(t.app.keyProblems.join("\n")).toMatch(/counsellor "demo-extern".*fingerprint/);
    const who = melder("U-KEYTEST");
    const outs = await play(t.app.runtime, who, [...reportEvents(), choose("send")]);
    const failed = outs.at(-1)!;
    expect(failed.state).toBe("review");
    expect(texts(failed)[0]).toBe("notice.handoffKeyProblem");
    // Nothing entered is lost: the review still shows the report.
    expect(JSON.stringify(failed.prompts)).toContain(CANARY);
    expect(await t.outbox()).toHaveLength(0);
    const refusal = t.logs.find((l) => l.includes("handoff.key_refused"));
    expect(refusal).toMatch(/demo-extern/);
    expect(refusal).toMatch(/fingerprint/);

    const retry = await play(t.app.runtime, who, [
      choose("edit_counsellor"),
      choose("counsellor:demo-intern"),
    ]);
    expect(retry.at(-1)?.state).toBe("review");
    const done = await t.app.runtime.handle({ melder: who, event: choose("send") });
    expect(done.receipt?.counsellorId).toBe("demo-intern");
    expect(await decrypt((await t.outbox())[0]!, "demo-intern", t)).toContain(CANARY);
    expect(t.logs.join("\n")).not.toContain(CANARY);
    await t.cleanup();
  });

  it("tells the melder honestly when delivery fails, and keeps the draft", async () => {
    const { DeliveryError } = await import("../../src/delivery/transport.ts");
    let attempts = 0;
    const t = await testApp({
      handoff: {
        transportFor: () => ({
          kind: "webhook",
          async deliver() {
            attempts++;
            throw new DeliveryError("HTTP 503", { retryable: true });
          },
          async check() {
            return [];
          },
        }),
      },
    });
    const outs = await play(t.app.runtime, melder("U-DELIVERY"), [...reportEvents(), choose("send")]);
    expect(attempts).toBe(5);
    expect(texts(outs.at(-1)!)[0]).toBe("notice.handoffDeliveryFailed");
    expect(outs.at(-1)?.state).toBe("review");
    expect(t.logs.join("\n")).not.toContain(CANARY);
    await t.cleanup();
  });

  it("keeps a too-long field out of the draft, says so, and loses nothing already entered", async () => {
    const t = await testApp();
    const who = melder("U-LONG");
    const outs = await play(t.app.runtime, who, [
      ...reportEvents().slice(0, -1),
      { type: "SUBMIT", form: "report", values: { what: "x".repeat(10_001), when: "gisteren" } },
    ]);
    const turn = outs.at(-1)!;
    expect(turn.state).toBe("report");
    expect(turn.prompts[0]).toMatchObject({
      text: "notice.fieldTooLong",
      params: { field: "what", max: 10000 },
    });
    await t.cleanup();
  });

  it("answers a repeated platform event once", async () => {
    const t = await testApp();
    const who = melder("U-DUP");
    await t.app.runtime.handle({ melder: who, event: { type: "START" }, eventId: "Ev1" });
    const first = await t.app.runtime.handle({ melder: who, event: choose("continue"), eventId: "Ev2" });
    const again = await t.app.runtime.handle({ melder: who, event: choose("continue"), eventId: "Ev2" });
    expect(first.state).toBe("confidentiality");
    expect(again.status).toBe("duplicate");
    expect(again.prompts).toEqual([]);
    await t.cleanup();
  });

  it("returns remembered message references once, after the handoff", async () => {
    const t = await testApp();
    const who = melder("U-REFS");
    await play(t.app.runtime, who, reportEvents());
    await t.app.runtime.remember(who, ["D1:111.222"]);
    const done = await t.app.runtime.handle({ melder: who, event: choose("send") });
    expect(done.forget).toEqual(["D1:111.222"]);
    await t.cleanup();
  });

  it("does not restart a conversation in progress when the platform sends START again", async () => {
    const t = await testApp();
    const who = melder("U-RESUME");
    await play(t.app.runtime, who, reportEvents().slice(0, 5));
    const again = await t.app.runtime.handle({ melder: who, event: { type: "START" } });
    expect(again.state).toBe("counsellor");
    expect(texts(again)[0]).toBe("notice.resumed");
    await t.cleanup();
  });

  it("picks the language from the platform's locale on first contact", async () => {
    const t = await testApp();
    const out = await t.app.runtime.handle({
      melder: melder("U-EN"),
      event: { type: "START", locale: "en-US" },
    });
    expect(out.locale).toBe("en");
    const nl = await t.app.runtime.handle({
      melder: melder("U-DE"),
      event: { type: "START", locale: "de-DE" },
    });
    expect(nl.locale).toBe("nl");
    await t.cleanup();
  });

  it("ignores an answer to an older prompt generation without changing anything", async () => {
    const t = await testApp();
    const who = melder("U-STALE");
    const start = await t.app.runtime.handle({ melder: who, event: { type: "START" } });
    const next = await t.app.runtime.handle({ melder: who, event: choose("continue"), answering: start.seq });
    expect(next.state).toBe("confidentiality");
    expect(next.seq).toBe((start.seq ?? 0) + 1);
    // A second button on the welcome message: the conversation moved on.
    const stale = await t.app.runtime.handle({
      melder: who,
      event: choose("continue"),
      answering: start.seq,
    });
    expect(stale.status).toBe("stale");
    expect(texts(stale)).toEqual(["notice.staleChoice"]);
    const current = await t.app.runtime.current(who);
    expect(current.state).toBe("confidentiality");
    expect(current.seq).toBe(next.seq);
    await t.cleanup();
  });
});
