/**
 * The conversation runtime with the real flows, crypto, queue, worker and outbox transport
 * (memory store): chat and form as two records, tokens bound to their melder, the transactional
 * send, stop and timeouts.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Melder } from "../../src/conversation/types.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";
import { testApp } from "../support/app.ts";
import {
  CANARY,
  chatSteps,
  choose,
  formSession,
  openForm,
  report,
  reportSteps,
  texts,
} from "../support/conversation.ts";

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
  expect(r.stderr).toContain("Good signature");
  return r.stdout;
}

describe("conversation runtime", () => {
  it("runs a whole anonymous report to a handoff gpg decrypts; the chat only hears that it was sent", async () => {
    const t = await testApp();
    const who = melder("U-ANON-SECRET-ID");
    const form = await report(t.app.runtime, who);
    const sent = await form.step(choose("send"));
    expect(sent.status).toBe("ok");
    expect(sent.state).toBe("done");
    expect(texts(sent)).toEqual(["done.receipt"]);
    expect(sent.chat?.state).toBe("sent");
    expect(texts(sent.chat!)).toEqual(["form.sent"]);
    expect(JSON.stringify(sent.chat)).not.toContain(CANARY);

    await t.drain();
    const files = await t.outbox();
    expect(files).toHaveLength(1);
    expect(files[0]).toContain(sent.sealedCase?.caseId);
    const plain = await decrypt(files[0]!, "demo-extern", t);
    expect(plain).toContain(CANARY);
    expect(plain).not.toContain("U-ANON-SECRET-ID");
    const logText = t.logs.join("\n");
    expect(logText).not.toContain(CANARY);
    expect(logText).not.toContain("U-ANON-SECRET-ID");
    for (const f of await t.files()) {
      expect(f.content, f.file).not.toContain(CANARY);
      expect(f.content, f.file).not.toContain("U-ANON-SECRET-ID");
    }
    // The receipt says "delivered" once the worker delivered it.
    const refreshed = await form.step(choose("refresh"));
    expect(refreshed.prompts[0]?.params?.status).toBe("delivered");
    await t.cleanup();
  });

  it("opens the form only from the chat's form step, after the acknowledgement", async () => {
    const t = await testApp();
    const who = melder("U-EARLY");
    const early = await chatSteps(t.app.runtime, who, [{ type: "START" }, choose("form")]);
    expect(early.at(-1)?.form).toBeUndefined();
    expect(early.at(-1)?.state).toBe("welcome");
    const form = await openForm(t.app.runtime, who);
    expect(form.state).toBe("mode");
    await t.cleanup();
  });

  it("refuses a form token carried by another melder, and changes nothing", async () => {
    const t = await testApp();
    const form = await report(t.app.runtime, melder("U-OWNER"));
    const stolen = await t.app.runtime.form({
      melder: melder("U-THIEF"),
      token: form.current.token!,
      event: choose("send"),
    });
    expect(stolen.status).toBe("forbidden");
    const view = await t.app.runtime.formView(melder("U-OWNER"), form.current.token!);
    expect(view.state).toBe("review");
    await t.cleanup();
  });

  it("puts the chat handle in the handoff only for a named melder who asked for it", async () => {
    const t = await testApp();
    const who = melder("U-NAMED-VIA-CHAT");
    const form = await report(t.app.runtime, who, [
      choose("report"),
      choose("bullying"),
      choose("counsellor:demo-extern"),
      choose("named"),
      choose("via_chat"),
      { type: "SUBMIT", form: "report", values: { what: CANARY } },
    ]);
    expect(form.current.state).toBe("review");
    await form.step(choose("send"));
    await t.drain();
    const plain = await decrypt((await t.outbox())[0]!, "demo-extern", t);
    expect(plain).toContain("slack:T0TEST/U-NAMED-VIA-CHAT");
    await t.cleanup();
  });

  it("refuses a key whose fingerprint does not match, keeps the draft, and lets the melder pick another counsellor", async () => {
    const t = await testApp({
      config: (c) => ({
        ...c,
        counsellors: c.counsellors.map((x) =>
          x.id === "demo-intern" ? { ...x, key: { ...x.key, fingerprint: "0".repeat(40) } } : x,
        ),
      }),
    });
    const form = await report(t.app.runtime, melder("U-KEY"), reportSteps("demo-intern"));
    const refused = await form.step(choose("send"));
    expect(refused.state).toBe("review");
    expect(texts(refused)).toContain("notice.handoffKeyProblem");
    expect(refused.chat).toBeUndefined();
    await form.step(choose("edit_counsellor"));
    await form.step(choose("counsellor:demo-extern"));
    const sent = await form.step(choose("send"));
    expect(sent.state).toBe("done");
    await t.drain();
    expect(await decrypt((await t.outbox())[0]!, "demo-extern", t)).toContain(CANARY);
    await t.cleanup();
  });

  it("keeps a too-long field out of the draft, says which field, and loses nothing already entered", async () => {
    const t = await testApp();
    const form = await report(t.app.runtime, melder("U-LONG"), reportSteps().slice(0, 4));
    const tooLong = await form.step({
      type: "SUBMIT",
      form: "report",
      values: { what: "x".repeat(10_001), when: "gisteren" },
    });
    expect(tooLong.status).toBe("invalid");
    expect(tooLong.errors).toEqual([{ field: "what", error: "tooLong" }]);
    expect(tooLong.state).toBe("report");
    const ok = await form.step({
      type: "SUBMIT",
      form: "report",
      values: { what: CANARY, when: "gisteren" },
    });
    expect(ok.state).toBe("review");
    await t.cleanup();
  });

  it("answers a repeated event once and an answer to an older step as stale", async () => {
    const t = await testApp();
    const who = melder("U-DUP");
    const form = formSession(t.app.runtime, who, await openForm(t.app.runtime, who));
    const first = await form.step(choose("report"), { eventId: "view-1" });
    const again = await t.app.runtime.form({
      melder: who,
      token: first.token!,
      event: choose("contact"),
      eventId: "view-1",
    });
    expect(again.status).toBe("duplicate");
    expect(again.state).toBe("topic");
    const stale = await t.app.runtime.form({
      melder: who,
      token: first.token!,
      event: choose("contact"),
      answering: 1,
    });
    expect(stale.status).toBe("stale");
    expect(stale.state).toBe("topic");
    await t.cleanup();
  });

  it("wipes an open form when the melder stops in the chat", async () => {
    const t = await testApp();
    const who = melder("U-STOP-CHAT");
    const form = await report(t.app.runtime, who, reportSteps().slice(0, 2));
    const stopped = await t.app.runtime.chat({ melder: who, event: { type: "STOP" } });
    expect(stopped.state).toBe("stopped");
    const next = await form.step(choose("counsellor:demo-extern"));
    expect(next.status).toBe("gone");
    expect(texts(next)).toEqual(["notice.formGone"]);
    await t.cleanup();
  });

  it("wipes the draft when the form is closed, and tells the chat neutrally", async () => {
    const t = await testApp();
    const who = melder("U-CLOSE");
    const form = await report(t.app.runtime, who, reportSteps().slice(0, 3));
    const told = await t.app.runtime.closeForm(who, form.current.token!);
    expect(told?.state).toBe("form");
    expect(texts(told!)).toEqual(["notice.formClosed", "form.offered"]);
    expect((await t.app.runtime.formView(who, form.current.token!)).status).toBe("gone");
    await t.cleanup();
  });

  it("turns a submit after an idle timeout into a new draft with the values kept", async () => {
    const t = await testApp({ idleTtlMs: 300 });
    const who = melder("U-IDLE");
    const form = await report(t.app.runtime, who, reportSteps().slice(0, 4));
    await new Promise((r) => setTimeout(r, 450));
    const late = await form.step({ type: "SUBMIT", form: "report", values: { what: CANARY } });
    expect(late.status).toBe("ok");
    expect(late.state).toBe("mode");
    expect(texts(late)).toContain("notice.timedOutKept");
    // The story is kept: it is there when the melder reaches the report step again.
    await form.steps([
      choose("report"),
      choose("bullying"),
      choose("counsellor:demo-extern"),
      choose("anonymous"),
    ]);
    const fields = form.current.prompts.find((p) => p.input)?.input?.fields;
    expect(fields?.find((f) => f.id === "what")?.initial).toBe(CANARY);
    await t.cleanup();
  });

  it("keeps a draft alive while the melder works: opening and every step reset the idle timer", async () => {
    const t = await testApp({ idleTtlMs: 1500 });
    const who = melder("U-BUSY");
    const form = await report(t.app.runtime, who, []);
    // Five steps 600 ms apart: 3 seconds in all, twice the idle time, never 1.5 s without a step.
    for (const event of reportSteps()) {
      await new Promise((r) => setTimeout(r, 600));
      const out = await form.step(event);
      expect(out.status).toBe("ok");
      expect(texts(out).filter((x) => x.startsWith("notice.timedOut"))).toEqual([]);
    }
    expect(form.current.state).toBe("review");
    // Left alone for longer than the idle time, the same draft is gone.
    await new Promise((r) => setTimeout(r, 1900));
    expect((await form.step(choose("send"))).state).not.toBe("done");
    await t.cleanup();
  });

  it("says a stop after sending does not withdraw the report", async () => {
    const t = await testApp();
    const who = melder("U-AFTER");
    const form = await report(t.app.runtime, who);
    await form.step(choose("send"));
    const stop = await form.step({ type: "STOP" });
    expect(stop.state).toBe("stoppedAfterSend");
    expect(texts(stop)).toContain("notice.stopAfterSend");
    const chatStop = await t.app.runtime.chat({ melder: who, event: { type: "STOP" } });
    expect(texts(chatStop)).toEqual(["notice.stopAfterSend", "stopped.wiped"]);
    await t.drain();
    expect(await t.outbox()).toHaveLength(1);
    await t.cleanup();
  });

  it("picks the language from the platform's locale on first contact", async () => {
    const t = await testApp();
    const out = await t.app.runtime.chat({
      melder: melder("U-EN"),
      event: { type: "START", locale: "en-US" },
    });
    expect(out.locale).toBe("en");
    await t.cleanup();
  });
});
