/**
 * The form as a Teams dialog (task module) over real HTTP: task/fetch opens it, each task/submit
 * is one step answered with the next dialog; invalid input, danger, stop, stale and forged
 * submits, a draft that timed out. The chat beside it gets neutral cards only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Bench,
  type Dialog,
  Melder,
  findIn,
  invokeAnswer,
  startBench,
  toForm,
  toReportFields,
} from "./harness.ts";

let bench: Bench;
beforeAll(async () => {
  bench = await startBench();
});
afterAll(async () => bench?.close());

const STALE = "That button belongs to an earlier step";

describe("opening the form", () => {
  it("answers task/fetch with the dialog; the chat collapses the card and says, neutrally, that the form is open", async () => {
    const m = new Melder(bench, "en-US");
    await m.install();
    await m.click("continue");
    const need = (await m.click("ack")).cards[0]!;
    const opened = await m.open();
    expect(opened.status).toBe(200);
    expect(opened.dialog?.info).toMatchObject({ title: "Vertrouwd", width: "medium", height: "medium" });
    expect(opened.dialog?.options()).toEqual(["report", "contact"]);
    expect(opened.dialog?.buttons()).toEqual(expect.arrayContaining(["danger", "stop"]));
    // The card with the form button became its text and a ✓; one new neutral card was posted.
    const [collapse, offered, ...rest] = opened.calls;
    expect(rest).toEqual([]);
    expect(collapse).toMatchObject({ method: "PUT", activityId: need.activityId });
    expect(findIn(collapse?.body, (o) => o.type === "Action.Submit")).toEqual([]);
    expect(collapse?.raw).toContain("✓");
    expect(offered?.method).toBe("POST");
    expect(opened.cards[0]?.text()).toContain("Everything about your situation goes into a separate form");
    expect(opened.cards[0]?.choices()).toEqual(["form", "back", "danger", "stop"]);
  });

  it("authenticates a task/fetch like any activity", async () => {
    const m = new Melder(bench);
    await m.install();
    await m.click("continue");
    const need = (await m.click("ack")).cards[0]!;
    const res = await bench.post(m.user.openForm(need), { token: null });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "unauthorized" });
    const otherBot = await bench.post(m.user.openForm(need), {
      token: await bench.token({ audience: "00000000-0000-0000-0000-000000000000" }),
    });
    expect(otherBot.status).toBe(401);
    expect((await m.open(need)).dialog).toBeDefined();
  });

  it("opens one form per press: a second press of the same button is answered in the dialog, the chat left alone", async () => {
    const m = new Melder(bench, "en-US");
    await m.install();
    await m.click("continue");
    const need = (await m.click("ack")).cards[0]!;
    expect((await m.open(need)).dialog).toBeDefined();
    const again = await m.open(need);
    expect(again.answer.body?.task).toEqual({ type: "message", value: expect.stringContaining(STALE) });
    expect(again.calls).toEqual([]);
    // The neutral "form" card opens a new form at any time.
    expect((await m.open()).dialog?.options()).toEqual(["report", "contact"]);
  });

  it("answers a form button from an earlier step in the dialog, without a chat card", async () => {
    const m = new Melder(bench, "en-US");
    await m.install();
    await m.click("continue");
    const need = (await m.click("ack")).cards[0]!;
    await m.click("info");
    const stale = await m.open(need);
    expect(stale.answer.body?.task).toEqual({ type: "message", value: expect.stringContaining(STALE) });
    expect(stale.calls).toEqual([]);
  });
});

describe("the steps in the dialog", () => {
  it("asks each question with one ChoiceSet and advances in the invoke's answer, with no chat call", async () => {
    const m = new Melder(bench, "en-US");
    await toForm(m);
    const topic = await m.choose("report");
    expect(topic.calls).toEqual([]);
    expect(topic.dialog?.options()).toContain("sexual_harassment");
    const set = topic.dialog?.inputs().find((i) => i.id === "vt_choice_input");
    expect(set?.style).toBe("compact");
    const counsellor = await m.choose("sexual_harassment");
    expect(counsellor.dialog?.options()).toEqual([
      "counsellor:demo-intern",
      "counsellor:demo-extern",
      "no_preference",
    ]);
    expect(counsellor.dialog?.text()).toContain("Karim El Amrani");
    const identity = await m.choose("counsellor:demo-intern");
    expect(identity.dialog?.options()).toEqual(["anonymous", "named"]);
    const fields = await m.choose("anonymous");
    expect(fields.dialog?.info).toMatchObject({ width: "large", height: "large" });
    expect(fields.dialog?.inputs().map((i) => i.id)).toEqual(
      expect.arrayContaining(["what", "when", "where", "wishes"]),
    );
    // Back keeps the earlier answers in the draft and goes one step back.
    const back = await m.press("back");
    expect(back.dialog?.options()).toEqual(["anonymous", "named"]);
  });

  it("keeps the dialog open with the values and the errors when a field does not validate", async () => {
    const m = new Melder(bench, "en-US");
    await toReportFields(m);
    const canary = "CANARY-dialog-invalid";
    const tooLong = "x".repeat(600);
    const logsFrom = bench.logs.length;
    const refused = await m.fill({ what: `${canary} kept`, when: tooLong, wishes: "advice" });
    expect(refused.status).toBe(200);
    expect(refused.calls).toEqual([]);
    const again = refused.dialog as Dialog;
    expect(again.values()).toMatchObject({ what: `${canary} kept`, when: tooLong, wishes: "advice" });
    expect(again.text()).toContain("Please check the fields");
    expect(again.text()).toContain("at most 500 characters");
    const logs = bench.logs.slice(logsFrom).join("");
    expect(logs).not.toContain(canary);
    expect(logs).toContain('"event":"form.invalid"');
    // Fixed in the same dialog: the review.
    const review = await m.fill({ when: "yesterday" });
    expect(review.dialog?.text()).toContain(`${canary} kept`);
    expect(review.dialog?.submitAction()?.data).toMatchObject({ vt: { a: "submit", m: "choice:send" } });
  });

  it("checks required fields on the server too, for a client that skips Teams' own check", async () => {
    const m = new Melder(bench, "en-US");
    await toForm(m);
    await m.choose("contact");
    await m.choose("bullying");
    await m.choose("counsellor:demo-extern");
    const form = await m.choose("typed");
    const route = form.dialog?.inputs().find((i) => i.id === "route");
    expect(route).toMatchObject({ isRequired: true, errorMessage: expect.any(String) });
    expect(() => form.dialog?.submitData({ name: "N" })).toThrow(/required/);
    const refused = await m.fill({ name: "N" }, { force: true });
    expect(refused.dialog?.values()).toMatchObject({ name: "N" });
    expect(refused.dialog?.text()).toContain("is needed to go on");
    // An option that was not offered is refused the same way.
    const odd = await m.invoke(
      m.user.dialogSubmit({
        ...(refused.dialog as Dialog).submitData({ route: "06-1" }),
        vt_choice_input: "x",
      }),
    );
    expect(odd.dialog).toBeDefined();
  });

  it("shows danger on top of the form, and back returns to the same step with the draft intact", async () => {
    const m = new Melder(bench, "en-US");
    await toForm(m);
    await m.choose("report");
    const counsellor = await m.choose("bullying");
    const before = counsellor.dialog as Dialog;
    const danger = await m.press("danger");
    expect(danger.calls).toEqual([]);
    expect(danger.dialog?.info.title).toBe("Help in danger");
    expect(danger.dialog?.text()).toContain("112");
    expect(danger.dialog?.buttons()).toEqual(["stop"]);
    const back = await m.invoke(m.user.dialogSubmit((danger.dialog as Dialog).submitData()));
    expect(back.dialog?.card).toEqual(before.card);
    // The draft kept its answers: the step after it still follows.
    expect((await m.choose("counsellor:demo-extern")).dialog?.options()).toEqual(["anonymous", "named"]);
  });

  it("stops from the dialog: wiped, the dialog says so, the chat says so neutrally, the token is dead", async () => {
    const m = new Melder(bench, "en-US");
    const fields = await toReportFields(m);
    const stopped = await m.press("stop");
    expect(stopped.dialog?.text()).toContain("I have erased everything you filled in on this form");
    expect(stopped.dialog?.submitAction()).toBeUndefined();
    expect(stopped.dialog?.buttons()).toEqual(["danger"]);
    expect(stopped.cards).toHaveLength(1);
    expect(stopped.cards[0]?.text()).toContain("You have stopped");
    expect(stopped.cards[0]?.choices()).toEqual(["restart", "danger"]);
    // A press replayed from the old dialog (its token) no longer reaches a draft.
    const late = await m.invoke(m.user.dialogSubmit(fields.buttonData("back")));
    expect(late.dialog?.text()).toContain("This form is no longer valid");
    expect(late.calls).toEqual([]);
  });

  it("stop typed in the chat wipes the open form too", async () => {
    const m = new Melder(bench, "en-US");
    const fields = await toReportFields(m);
    const chat = await m.type("stop");
    expect(chat.cards[0]?.text()).toContain("You have stopped");
    const late = await m.invoke(m.user.dialogSubmit(fields.submitData({ what: "after stop" })));
    expect(late.dialog?.text()).toContain("This form is no longer valid");
  });

  it("takes a double submit (or Teams re-sending it) once: the second shows the current step", async () => {
    const m = new Melder(bench, "en-US");
    const mode = await toForm(m);
    const submit = m.user.dialogSubmit(mode.submitData({ vt_choice_input: "report" }));
    const first = await m.invoke(submit);
    expect(first.dialog?.options()).toContain("bullying");
    const second = await m.invoke(submit);
    expect(second.dialog?.text()).toContain(STALE);
    expect(second.dialog?.options()).toContain("bullying");
    // The same activity re-sent by Teams (same id) is taken once as well.
    const resent = await m.invoke({ ...submit });
    expect(resent.dialog?.options()).toContain("bullying");
    // Still one step on: back leads to the first question.
    expect((await m.press("back")).dialog?.options()).toEqual(["report", "contact"]);
  });

  it("refuses a dialog submit that carries another melder's form", async () => {
    const owner = new Melder(bench, "en-US");
    const ownerMode = await toForm(owner);
    const thief = new Melder(bench, "en-US");
    await thief.install();
    const stolen = await thief.invoke(
      thief.user.dialogSubmit(ownerMode.submitData({ vt_choice_input: "report" })),
    );
    expect(stolen.dialog?.text()).toContain("This form is no longer valid");
    expect(stolen.calls).toEqual([]);
    expect(bench.logs.join("")).toContain('"event":"form.forbidden"');
    // The owner's form is where it was.
    expect((await owner.choose("contact")).dialog?.options()).toContain("bullying");
  });

  it("answers foreign task data in the dialog, and an invoke it does not handle with 501", async () => {
    const m = new Melder(bench, "en-US");
    await m.install();
    const foreign = await invokeAnswer(
      await bench.post(m.user.invoke("task/submit", { data: { verb: "vt_form", vt: { x: 1 } } })),
    );
    expect(foreign.body?.task).toEqual({ type: "message", value: expect.stringContaining(STALE) });
    const noVerb = await bench.post(m.user.invoke("task/submit", { data: { something: "else" } }));
    expect(noVerb.status).toBe(501);
    const fetch = await invokeAnswer(
      await bench.post(m.user.invoke("task/fetch", { data: { verb: "vt_open", vt: { s: "x" } } })),
    );
    expect(fetch.body?.task?.type).toBe("message");
  });
});

describe("a draft that timed out while the dialog was open", () => {
  let short: Bench;
  beforeAll(async () => {
    short = await startBench({ idleTtlMs: 1_500 });
  });
  afterAll(async () => short?.close());

  // Dutch melders: the chat record timed out too, so the restored draft speaks the default language.
  it("keeps what was submitted: it becomes the new draft, and the melder is told kindly", async () => {
    const m = new Melder(short);
    const fields = await toReportFields(m);
    await new Promise((r) => setTimeout(r, 2_000));
    const restored = await m.invoke(
      m.user.dialogSubmit(fields.submitData({ what: "my whole story", wishes: "heard" })),
    );
    expect(restored.dialog?.text()).toContain("Wat je net invulde, heb ik bewaard");
    expect(restored.dialog?.options()).toEqual(["report", "contact"]);
    // The steps again; the story is there at the end.
    await m.choose("report");
    await m.choose("bullying");
    await m.choose("counsellor:demo-extern");
    const back = await m.choose("anonymous");
    expect(back.dialog?.values()).toMatchObject({ what: "my whole story", wishes: "heard" });
  });

  it("keeps everything typed when such a submit has errors, and takes it once fixed", async () => {
    const m = new Melder(short);
    const fields = await toReportFields(m);
    await new Promise((r) => setTimeout(r, 2_000));
    const refused = await m.invoke(
      m.user.dialogSubmit(fields.submitData({ what: "kept story", when: "x".repeat(600) })),
    );
    expect(refused.dialog?.values()).toMatchObject({ what: "kept story", when: "x".repeat(600) });
    expect(refused.dialog?.text()).toContain("hooguit 500 tekens");
    const fixed = await m.fill({ when: "vorige week" });
    expect(fixed.dialog?.text()).toContain("Wat je net invulde, heb ik bewaard");
  });
});
