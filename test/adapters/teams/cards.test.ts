/**
 * Presentation for Teams (adapters/teams/cards.ts): chat cards and dialogs, rendered for every
 * view both flows can reach (xstate/graph shortest paths, replayed with their notices), in Dutch
 * and English; and the small readers of adapters/teams/activity.ts.
 */
import { describe, expect, it } from "vitest";
import { getShortestPaths } from "xstate/graph";
import { InboundActivity, describeIssues, localeOf, textEvent } from "../../../adapters/teams/activity.ts";
import {
  CHOICE_INPUT_ID,
  VERB,
  answeredCard,
  chatCard,
  dangerDialog,
  escapeMarkdown,
  formDialog,
  retryDialog,
  toTeamsMarkdown,
} from "../../../adapters/teams/cards.ts";
import { type ChatSnapshot, chatView, startChat, stepChat } from "../../../flows/chat/api.ts";
import { type ChatEvent, chatMachine } from "../../../flows/chat/machine.ts";
import type { Directory } from "../../../flows/directory.ts";
import { LOCALES, type Locale } from "../../../flows/domain.ts";
import { type IntakeSnapshot, intakeView, startIntake, stepIntake } from "../../../flows/intake/api.ts";
import { type IntakeEvent, intakeMachine } from "../../../flows/intake/machine.ts";
import type { Prompt } from "../../../flows/model.ts";
import { parseCommand } from "../../../flows/model.ts";
import type { FormOutput } from "../../../src/conversation/types.ts";
import { CANARY, DIRECTORY } from "../../flows/fixtures.ts";
import { findIn } from "./harness.ts";

type Node = Record<string, unknown>;
const submits = (node: unknown) => findIn(node, (o) => o.type === "Action.Submit");
const vtOf = (a: Node) => (a.data as { vt: Record<string, unknown> }).vt;
const inputs = (node: unknown) => findIn(node, (o) => String(o.type).startsWith("Input."));

// ── Every view of both flows ─────────────────────────────────────────────────────────────────

const DONE: IntakeEvent = {
  type: "HANDOFF_DONE",
  receipt: { caseCode: "VT-AAAA-BBBB", date: "2026-11-23", counsellorId: "extern", status: "queued" },
};

const choiceIds = (prompts: Prompt[]) =>
  prompts
    .flatMap((p) => [
      ...(p.choices ?? []),
      ...(p.options ?? []),
      ...(p.submit && !p.options && !p.input ? [p.submit] : []),
    ])
    .map((c) => c.id);

interface View<S> {
  state: string;
  snapshot: S;
  prompts: Prompt[];
}

/** Every chat view reachable, each with the notices of the step that led to it. */
function chatViews(locale: Locale, dir: Directory): View<ChatSnapshot>[] {
  const paths = getShortestPaths(chatMachine, {
    input: { locale },
    events: (s) => {
      const snap = { state: s.value, context: s.context } as ChatSnapshot;
      const ids = choiceIds(chatView(snap, dir));
      const extra: ChatEvent[] = [
        { type: "STOP" },
        { type: "DANGER" },
        { type: "HELP" },
        { type: "TEXT" },
        { type: "START" },
      ];
      extra.push({ type: "FORM_SENT" }, { type: "FORM_CLOSED" }, { type: "FORM_STOPPED" });
      return [...ids.map((choice): ChatEvent => ({ type: "CHOOSE", choice })), ...extra] as never;
    },
    serializeState: (s) => JSON.stringify([s.value, s.context.screen ?? null, s.context.locale]),
  });
  const views: View<ChatSnapshot>[] = [];
  for (const path of paths) {
    let snap = startChat({ locale }).snapshot;
    views.push({ state: snap.state, snapshot: snap, prompts: chatView(snap, dir) });
    for (const step of path.steps.slice(1)) {
      const next = stepChat(snap, step.event as ChatEvent);
      snap = next.snapshot;
      views.push({ state: snap.state, snapshot: snap, prompts: chatView(snap, dir, next.notices) });
    }
  }
  return views;
}

/** Every form view reachable, with the notices of the step that led to it. */
function formViews(locale: Locale, dir: Directory): View<IntakeSnapshot>[] {
  const input = { locale, counsellorIds: dir.counsellors.map((c) => c.id), defaultCounsellorId: "extern" };
  const paths = getShortestPaths(intakeMachine, {
    input,
    events: (s) => {
      const snap = { state: s.value, context: s.context } as IntakeSnapshot;
      if (snap.state === "sending")
        return [
          DONE,
          { type: "HANDOFF_FAILED", reason: "key" },
          { type: "HANDOFF_FAILED", reason: "internal" },
        ] as never;
      const events: IntakeEvent[] = choiceIds(intakeView(snap, dir)).map((choice) => ({
        type: "CHOOSE",
        choice,
      }));
      if (snap.state === "report")
        events.push({ type: "SUBMIT", form: "report", values: { what: CANARY, wishes: "heard" } });
      if (snap.state === "contactForm")
        events.push({ type: "SUBMIT", form: "contact", values: { name: "N", route: "06-12345678" } });
      if (snap.state === "done")
        events.push(
          { type: "DELIVERY_STATUS", status: "delivered" },
          { type: "DELIVERY_STATUS", status: "failed" },
        );
      events.push({ type: "STOP" }, { type: "DANGER" }, { type: "HELP" });
      return events as never;
    },
    serializeState: (s) =>
      JSON.stringify([
        s.value,
        s.context.mode ?? null,
        s.context.identity ?? null,
        s.context.topic ?? null,
        s.context.receipt?.status ?? null,
        !!s.context.returnToReview,
      ]),
  });
  const views: View<IntakeSnapshot>[] = [];
  for (const path of paths) {
    let snap = startIntake(input).snapshot;
    for (const step of path.steps.slice(1)) {
      const next = stepIntake(snap, step.event as IntakeEvent);
      snap = next.snapshot;
      views.push({ state: snap.state, snapshot: snap, prompts: intakeView(snap, dir, next.notices) });
    }
  }
  return views;
}

const formOutput = (
  locale: Locale,
  v: View<IntakeSnapshot>,
  extra: Partial<FormOutput> = {},
): FormOutput => ({
  status: "ok",
  locale,
  prompts: v.prompts,
  state: v.state,
  token: "f1.token",
  seq: 4,
  ...(v.state === "stopped" || v.state === "stoppedAfterSend" ? { finished: true } : {}),
  ...extra,
});

describe.each(LOCALES)("every view of both flows, rendered in %s", (locale) => {
  const chats = chatViews(locale, DIRECTORY);
  const forms = formViews(locale, DIRECTORY);

  it("reaches every state of both flows", () => {
    const chatStates = Object.keys(chatMachine.config.states ?? {});
    const formStates = Object.keys(intakeMachine.config.states ?? {}).filter((s) => s !== "afterContact");
    expect([...new Set(chats.map((v) => v.state))].sort()).toEqual(chatStates.sort());
    expect([...new Set(forms.map((v) => v.state))].sort()).toEqual(formStates.sort());
  });

  it("puts no input in a chat card, each choice on its own row, danger on every card, stop until stopped", () => {
    for (const v of chats) {
      const card = chatCard(locale, v.prompts, 7);
      expect(card.version).toBe("1.5");
      expect(inputs(card), v.state).toEqual([]);
      const sets = findIn(card, (o) => o.type === "ActionSet");
      expect(
        sets.every((s) => (s.actions as unknown[]).length === 1),
        v.state,
      ).toBe(true);
      expect(card.actions, v.state).toBeUndefined();
      const ids = submits(card).map((a) =>
        (a.data as { verb: string }).verb === VERB.open ? "form" : String(vtOf(a).c),
      );
      expect(ids, v.state).toContain("danger");
      if (v.state !== "stopped") expect(ids, v.state).toContain("stop");
      for (const a of submits(card)) {
        expect(a.associatedInputs).toBe("none");
        expect(vtOf(a)).toMatchObject({ s: 7, n: expect.stringMatching(/^[A-Za-z0-9_-]{8}$/) });
      }
    }
  });

  it("opens the form from the chat as a dialog (task/fetch), never as inputs", () => {
    const need = chats.find((v) => v.state === "need");
    const card = chatCard(locale, need?.prompts ?? [], 3);
    const open = submits(card).find((a) => (a.data as { verb: string }).verb === VERB.open);
    expect(open?.data).toEqual({
      msteams: { type: "task/fetch" },
      verb: VERB.open,
      vt: { s: 3, n: expect.any(String) },
    });
  });

  it("keeps danger in every dialog and stop until the form is over", () => {
    for (const v of forms) {
      const d = formDialog(formOutput(locale, v));
      const ids = submits(d.card.content.body).map((a) => String(vtOf(a).a));
      expect(ids, v.state).toContain("danger");
      if (!["stopped", "stoppedAfterSend", "sending"].includes(v.state))
        expect(ids, v.state).toContain("stop");
      // Side buttons never carry the inputs; each sits on its own row.
      for (const a of submits(d.card.content.body)) expect(a.associatedInputs).toBe("none");
      expect(
        findIn(d.card.content.body, (o) => o.type === "ActionSet").every(
          (s) => (s.actions as unknown[]).length === 1,
        ),
      ).toBe(true);
    }
  });

  it("renders no literal backtick anywhere (Teams has no code spans in cards)", () => {
    for (const v of chats) expect(JSON.stringify(chatCard(locale, v.prompts, 1)), v.state).not.toContain("`");
    for (const v of chats)
      expect(JSON.stringify(answeredCard(locale, v.prompts)), v.state).not.toContain("`");
    for (const v of forms)
      expect(JSON.stringify(formDialog(formOutput(locale, v))), v.state).not.toContain("`");
    const ref = { t: "f1.x", s: 1, l: locale };
    expect(JSON.stringify(dangerDialog(ref))).not.toContain("`");
    expect(JSON.stringify(retryDialog(ref, { a: "submit", m: "report" }, {}, "x"))).not.toContain("`");
  });

  it("asks a step's question with one ChoiceSet: radio buttons up to ten options, a dropdown beyond", () => {
    for (const v of forms.filter((x) => x.prompts.some((p) => p.options))) {
      const d = formDialog(formOutput(locale, v));
      const sets = inputs(d.card.content.body).filter((i) => i.id === CHOICE_INPUT_ID);
      expect(sets, v.state).toHaveLength(1);
      const set = sets[0] as Node;
      const count = (set.choices as unknown[]).length;
      expect(set, v.state).toMatchObject({
        type: "Input.ChoiceSet",
        isRequired: true,
        errorMessage: expect.any(String),
      });
      expect(set.style, `${v.state} with ${count} options`).toBe(count <= 10 ? "expanded" : "compact");
      // The main button sends the pick with the token, the step and the language.
      expect(d.card.content.actions?.[0]).toMatchObject({
        data: { verb: VERB.form, vt: { t: "f1.token", s: 4, l: locale, a: "submit", m: "option" } },
      });
    }
    const topic = forms.find((v) => v.state === "topic") as View<IntakeSnapshot>;
    expect(inputs(formDialog(formOutput(locale, topic)).card.content.body)[0]?.style).toBe("compact");
    const mode = forms.find((v) => v.state === "mode") as View<IntakeSnapshot>;
    expect(inputs(formDialog(formOutput(locale, mode)).card.content.body)[0]?.style).toBe("expanded");
  });

  it("gives every required input an error message, and the report fields their limits", () => {
    for (const v of forms.filter((x) => x.prompts.some((p) => p.input))) {
      const d = formDialog(formOutput(locale, v));
      for (const input of inputs(d.card.content.body)) {
        if (input.isRequired)
          expect(input.errorMessage, `${v.state}: ${input.id}`).toEqual(expect.any(String));
        if (input.type === "Input.Text")
          expect(input.maxLength, String(input.id)).toEqual(expect.any(Number));
      }
    }
    const contact = forms.find((v) => v.state === "contactForm") as View<IntakeSnapshot>;
    const route = inputs(formDialog(formOutput(locale, contact)).card.content.body).find(
      (i) => i.id === "route",
    );
    expect(route).toMatchObject({ isRequired: true, errorMessage: expect.any(String) });
  });
});

// ── Dialogs in detail ──────────────────────────────────────────────────────────────────────

describe("the form as a dialog", () => {
  const forms = formViews("en", DIRECTORY);
  const report = forms.find((v) => v.state === "report") as View<IntakeSnapshot>;
  const review = forms.find(
    (v) => v.state === "review" && v.snapshot.context.mode === "report",
  ) as View<IntakeSnapshot>;

  it("shows the report fields large, with their values, and a submit that means the report", () => {
    const d = formDialog(formOutput("en", report));
    expect(d).toMatchObject({ title: "Vertrouwd", width: "large", height: "large" });
    expect(d.card.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const ids = inputs(d.card.content.body).map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(["what", "when", "where", "wishes"]));
    expect(inputs(d.card.content.body).find((i) => i.id === "what")).toMatchObject({
      type: "Input.Text",
      isMultiline: true,
    });
    expect(inputs(d.card.content.body).find((i) => i.id === "wishes")).toMatchObject({
      type: "Input.ChoiceSet",
      style: "compact",
    });
    expect(d.card.content.actions).toEqual([
      expect.objectContaining({
        type: "Action.Submit",
        data: { verb: VERB.form, vt: { t: "f1.token", s: 4, l: "en", a: "submit", m: "report" } },
      }),
    ]);
    // Main button without associatedInputs: Teams sends every input with it.
    expect(d.card.content.actions?.[0]?.associatedInputs).toBeUndefined();
  });

  it("keeps what was entered and shows the errors after a refused submit", () => {
    const d = formDialog(formOutput("en", report, { status: "invalid" }), {
      values: { what: "kept text", when: "x".repeat(600) },
      errors: [{ field: "when", error: "tooLong" }],
    });
    const byId = Object.fromEntries(inputs(d.card.content.body).map((i) => [i.id, i]));
    expect(byId.what?.value).toBe("kept text");
    expect(byId.when?.value).toBe("x".repeat(600));
    const attention = findIn(d.card.content.body, (o) => o.color === "attention").map((b) => String(b.text));
    expect(attention[0]).toContain("Please check the fields");
    expect(attention.join(" ")).toContain("at most 500 characters");
  });

  it("shows the review in the dialog only: the story is in the dialog, the main button sends", () => {
    const d = formDialog(formOutput("en", review));
    expect(JSON.stringify(d)).toContain(CANARY);
    expect(d.card.content.actions?.[0]).toMatchObject({ data: { vt: { a: "submit", m: "choice:send" } } });
    const side = submits(d.card.content.body).map((a) => vtOf(a).a);
    expect(side).toEqual(expect.arrayContaining(["edit_report", "edit_topic", "discard", "danger", "stop"]));
  });

  it("leaves only closing (and danger) in a form that is over or gone", () => {
    const stopped = forms.find((v) => v.state === "stopped") as View<IntakeSnapshot>;
    const d = formDialog(formOutput("nl", stopped));
    expect(d.card.content.actions).toBeUndefined();
    expect(submits(d.card.content.body).map((a) => vtOf(a).a)).toEqual(["danger"]);
    const gone = formDialog({
      status: "gone",
      locale: "en",
      prompts: [{ text: "notice.formGone", notice: true }],
      state: "gone",
      finished: true,
    });
    expect(submits(gone.card.content.body).map((a) => vtOf(a).a)).toEqual(["danger"]);
    expect(gone.card.content.actions).toBeUndefined();
  });

  it("shows danger with the way back and stop, in the dialog's language", () => {
    const d = dangerDialog({ t: "f1.tok", s: 5, l: "en" });
    expect(d.title).toBe("Help in danger");
    expect(JSON.stringify(d)).toContain("112");
    expect(d.card.content.actions).toEqual([
      expect.objectContaining({
        title: "Back to the form",
        data: { verb: VERB.form, vt: { t: "f1.tok", s: 5, l: "en", a: "view" } },
      }),
    ]);
    expect(submits(d.card.content.body).map((a) => vtOf(a).a)).toEqual(["stop"]);
    expect(dangerDialog({ t: "x", s: 1, l: "nl" }).title).not.toBe(d.title);
  });

  it("keeps everything typed when it could not be taken in, and sends the same press again", () => {
    const ref = { t: "f1.tok", s: 6, l: "nl" as const };
    const d = retryDialog(
      ref,
      { a: "submit", m: "report" },
      { what: "mijn verhaal", wishes: "advice" },
      "Opslaan lukt nu niet.",
      [{ field: "what", error: "tooLong" }],
    );
    const byId = Object.fromEntries(inputs(d.card.content.body).map((i) => [i.id, i]));
    expect(byId.what?.value).toBe("mijn verhaal");
    expect(byId.wishes?.value).toBe("advice");
    expect(findIn(d.card.content.body, (o) => o.color === "attention").length).toBeGreaterThanOrEqual(2);
    expect(d.card.content.actions?.[0]).toMatchObject({ data: { vt: { ...ref, a: "submit", m: "report" } } });
    expect(submits(d.card.content.body).map((a) => vtOf(a).a)).toEqual(["danger", "stop"]);
    // A picked option is sent again without a ChoiceSet; a side button keeps its own name.
    const option = retryDialog(ref, { a: "submit", m: "option", r: "bullying" }, {}, "x");
    expect(option.card.content.actions?.[0]).toMatchObject({
      data: { vt: { a: "submit", m: "option", r: "bullying" } },
    });
    const back = retryDialog(ref, { a: "back" }, {}, "x");
    expect(back.card.content.actions?.[0]).toMatchObject({ title: "Terug", data: { vt: { a: "back" } } });
    const odd = retryDialog(ref, { a: "counsellor:x" }, {}, "x");
    expect(odd.card.content.actions?.[0]?.title).toBe("Verder");
  });
});

// ── Chat cards in detail ───────────────────────────────────────────────────────────────────

describe("chat cards", () => {
  it("gives every card its own nonce, so buttons of two cards never look alike", () => {
    const prompts = chatViews("nl", DIRECTORY)[0]?.prompts ?? [];
    const nonces = new Set(
      Array.from({ length: 20 }, () => vtOf(submits(chatCard("nl", prompts, 1))[0] as Node).n),
    );
    expect(nonces.size).toBe(20);
  });

  it("collapses an answered card to its text and one neutral mark, whatever was chosen", () => {
    const welcome = chatViews("nl", DIRECTORY)[0]?.prompts ?? [];
    const answered = answeredCard("nl", welcome);
    expect(submits(answered)).toEqual([]);
    const blocks = answered.body as Node[];
    expect(blocks.at(-1)).toMatchObject({ type: "TextBlock", text: "✓" });
    expect(JSON.stringify(blocks)).toContain("Vertrouwd");
    // The card depends on the question only: nothing of the answer can be in it.
    expect(answeredCard("nl", welcome)).toEqual(answered);
  });

  it("turns catalog markup into Teams markdown, one block per line", () => {
    expect(toTeamsMarkdown("say *stop* now")).toBe("say **stop** now");
    expect(toTeamsMarkdown("a*b*c and 2 * 3 * 4")).toBe("a*b*c and 2 * 3 * 4");
    const card = chatCard(
      "en",
      [
        { text: "notice.formErrors" },
        { text: "stopped.wiped", choices: [{ id: "restart", label: "choice.restart" }] },
      ],
      1,
    );
    expect(findIn(card, (o) => o.type === "TextBlock").length).toBeGreaterThanOrEqual(2);
    expect(findIn(card, (o) => o.separator === true)).toHaveLength(1);
  });

  it("shows config text literally: markdown in a name or introduction is escaped", () => {
    const hostile: Directory = {
      ...DIRECTORY,
      organisation: "Org *bold* _it_",
      counsellors: [
        {
          id: "x",
          name: "Eve **loud** [click](https://evil.example) `code`",
          kind: "external",
          languages: ["nl"],
          introduction: { nl: "# Kop > quote | pipe ~strike~ \\ back" },
        },
      ],
    };
    const info = chatViews("nl", hostile).find(
      (v) => v.state === "infoScreen" && v.snapshot.context.screen === "counsellors",
    );
    const text = JSON.stringify(chatCard("nl", info?.prompts ?? [], 1));
    expect(text).not.toContain("**loud**");
    expect(text).not.toContain("[click](");
    expect(text).toContain(JSON.stringify(escapeMarkdown("[click]")).slice(1, -1));
    const welcome = JSON.stringify(chatCard("nl", chatViews("nl", hostile)[0]?.prompts ?? [], 1));
    expect(welcome).toContain(JSON.stringify(escapeMarkdown("Org *bold* _it_")).slice(1, -1));
    expect(escapeMarkdown("a*b`d[e]f#g>h~i|j\\k _x_")).toBe("a\\*b\\`d\\[e\\]f\\#g\\>h\\~i\\|j\\\\k \\_x\\_");
    // Inside a word an underscore is no markup, and ids stay intact.
    expect(escapeMarkdown("sexual_harassment not_sure")).toBe("sexual_harassment not_sure");
  });
});

// ── Reading activities ─────────────────────────────────────────────────────────────────────

describe("reading activities", () => {
  it("maps typed text to a command or to TEXT, never passing the text on", () => {
    expect(textEvent("<at>Vertrouwd</at> stop")).toEqual(parseCommand("stop"));
    expect(textEvent("<p>help</p>")).toEqual({ type: "HELP" });
    expect(textEvent("my manager yelled at me")).toEqual({ type: "TEXT" });
    expect(textEvent(undefined)).toEqual({ type: "TEXT" });
  });

  it("reads locales", () => {
    expect([
      localeOf("nl-NL"),
      localeOf("en-US"),
      localeOf("EN_gb"),
      localeOf("de-DE"),
      localeOf(undefined),
    ]).toEqual(["nl", "en", "en", undefined, undefined]);
  });

  it("names the paths of a malformed activity, never its values", () => {
    const parsed = InboundActivity.safeParse({
      type: "message",
      text: CANARY,
      serviceUrl: "javascript:alert(1)",
      from: {},
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.success ? [] : describeIssues(parsed.error);
    expect(issues.join(" ")).toContain("serviceUrl");
    expect(issues.join(" ")).not.toContain(CANARY);
    expect(issues.length).toBeLessThanOrEqual(5);
  });
});
