/**
 * The flows on the secure web page (surface "web"): the same steps, with the texts that would be
 * untrue on the page replaced (what Slack keeps, "this chat", typed commands), no "via this
 * chat" contact route, and no link to the page on the page itself. In a chat, the page is offered
 * as a plain link on the "what do you need?" step when the organisation runs it.
 */
import { describe, expect, it } from "vitest";
import { getShortestPaths } from "xstate/graph";
import { chatView, startChat, stepChat } from "../../flows/chat/api.ts";
import { chatMachine } from "../../flows/chat/machine.ts";
import type { ChatState } from "../../flows/chat/prompts.ts";
import { intakeView, startIntake, stepIntake } from "../../flows/intake/api.ts";
import { type IntakeContext, type IntakeEvent, intakeMachine } from "../../flows/intake/machine.ts";
import type { IntakeState } from "../../flows/intake/prompts.ts";
import type { Prompt } from "../../flows/model.ts";
import { WEB_TEXTS } from "../../flows/surface.ts";
import { DIRECTORY, INTAKE_INPUT } from "./fixtures.ts";

const WEB_DIRECTORY = { ...DIRECTORY, webFormUrl: "https://meld.example.nl/web/" };
const WEB_INTAKE = { ...INTAKE_INPUT, surface: "web" as const };
const chatOnly = Object.keys(WEB_TEXTS);

const allIds = (prompts: Prompt[]) =>
  prompts.flatMap((p) => [...(p.choices ?? []), ...(p.options ?? [])]).map((c) => c.id);

function webChatPaths() {
  return getShortestPaths(chatMachine, {
    input: { locale: "nl", surface: "web" },
    events: (s) => [
      ...chatView({ state: s.value as ChatState, context: s.context }, WEB_DIRECTORY)
        .flatMap((p) => p.choices ?? [])
        .map((c) => ({ type: "CHOOSE" as const, choice: c.id })),
      { type: "FORM_SENT" as const },
      { type: "FORM_STOPPED" as const },
      { type: "FORM_CLOSED" as const },
      { type: "STOP" as const },
    ],
  });
}

function webFormPaths() {
  return getShortestPaths(intakeMachine, {
    input: WEB_INTAKE,
    events: (s) => {
      const view = intakeView({ state: s.value as IntakeState, context: s.context }, WEB_DIRECTORY);
      const events: IntakeEvent[] = [
        ...view
          .flatMap((p) => [
            ...(p.choices ?? []),
            ...(p.options ?? []),
            ...(p.submit && !p.options && !p.input ? [p.submit] : []),
          ])
          .map((c) => ({ type: "CHOOSE" as const, choice: c.id })),
      ];
      if (s.value === "report") events.push({ type: "SUBMIT", form: "report", values: { what: "x" } });
      if (s.value === "contactForm")
        events.push({ type: "SUBMIT", form: "contact", values: { route: "06-12345678" } });
      if (s.value === "sending")
        events.push({
          type: "HANDOFF_DONE",
          receipt: { caseCode: "VT-AAAA-BBBB", date: "2026-11-23", counsellorId: "extern", status: "queued" },
        });
      return events;
    },
  });
}

describe("the chat flow on the web page", () => {
  it("shows the web texts, never the chat's, on every step, and never links to itself", () => {
    for (const path of webChatPaths()) {
      for (const step of path.steps) {
        const snapshot = { state: step.state.value as ChatState, context: step.state.context };
        const view = chatView(snapshot, WEB_DIRECTORY, [{ text: "notice.stopAfterSend" }]);
        for (const p of view) expect(chatOnly, `${snapshot.state}: ${p.text}`).not.toContain(p.text);
        expect(allIds(view)).not.toContain("web");
        expect(allIds(view)).toContain("danger");
      }
    }
    const welcome = chatView(startChat({ locale: "nl", surface: "web" }).snapshot, WEB_DIRECTORY);
    expect(welcome[0]?.text).toBe("web.welcome");
  });

  it("offers the page in a chat as a link, not as an answer, when the organisation runs it", () => {
    let chat = startChat({ locale: "nl" }).snapshot;
    for (const choice of ["continue", "ack"]) chat = stepChat(chat, { type: "CHOOSE", choice }).snapshot;
    const link = chatView(chat, WEB_DIRECTORY)
      .flatMap((p) => p.choices ?? [])
      .find((c) => c.id === "web");
    expect(link).toEqual({ id: "web", label: "choice.web", url: "https://meld.example.nl/web/" });
    expect(
      chatView(chat, DIRECTORY)
        .flatMap((p) => p.choices ?? [])
        .map((c) => c.id),
    ).not.toContain("web");
    // Pressing it tells the flow nothing: the chat stays where it was.
    expect(stepChat(chat, { type: "CHOOSE", choice: "web" }).snapshot.state).toBe("need");
  });
});

describe("the form flow on the web page", () => {
  it("never asks how to be contacted in a chat, and shows the web texts on every step", () => {
    const paths = webFormPaths();
    const states = new Set(paths.flatMap((p) => p.steps.map((s) => String(s.state.value))));
    expect(states).not.toContain("contactHow");
    for (const s of ["contactForm", "report", "review", "done", "stopped"]) expect(states).toContain(s);
    for (const path of paths) {
      for (const step of path.steps) {
        const snapshot = {
          state: step.state.value as IntakeState,
          context: step.state.context as IntakeContext,
        };
        const view = intakeView(snapshot, WEB_DIRECTORY);
        for (const p of view) expect(chatOnly, `${snapshot.state}: ${p.text}`).not.toContain(p.text);
        expect(allIds(view)).not.toContain("via_chat");
        expect((snapshot.context as IntakeContext).contact?.viaChat).toBeUndefined();
      }
    }
  });

  it("goes from 'named' and from a request for contact straight to the contact fields, and back", () => {
    const at = (state: IntakeState, extra: Partial<IntakeContext> = {}) => ({
      state,
      context: {
        ...WEB_INTAKE,
        report: {},
        mode: "report" as const,
        topic: "bullying" as const,
        counsellorId: "extern",
        ...extra,
      },
    });
    expect(stepIntake(at("identity"), { type: "CHOOSE", choice: "named" }).snapshot.state).toBe(
      "contactForm",
    );
    const contact = at("counsellor", { mode: "contact", identity: "named" });
    expect(stepIntake(contact, { type: "CHOOSE", choice: "counsellor:intern" }).snapshot.state).toBe(
      "contactForm",
    );
    expect(
      stepIntake(at("contactForm", { identity: "named" }), { type: "CHOOSE", choice: "back" }).snapshot.state,
    ).toBe("identity");
    expect(
      stepIntake(at("contactForm", { mode: "contact", identity: "named" }), {
        type: "CHOOSE",
        choice: "back",
      }).snapshot.state,
    ).toBe("counsellor");
    expect(
      stepIntake(at("report", { identity: "named" }), { type: "CHOOSE", choice: "back" }).snapshot.state,
    ).toBe("contactForm");
    const edit = stepIntake(at("review", { identity: "named", contact: { route: "x" } }), {
      type: "CHOOSE",
      choice: "edit_contact",
    });
    expect(edit.snapshot.state).toBe("contactForm");
    expect(stepIntake(edit.snapshot, { type: "CHOOSE", choice: "back" }).snapshot.state).toBe("review");
    const done = stepIntake(edit.snapshot, { type: "SUBMIT", form: "contact", values: { route: "y" } });
    expect(done.snapshot.state).toBe("review");
  });

  it("leaves the chat surface as it was: 'via this chat' is still offered there", () => {
    let form = startIntake(INTAKE_INPUT).snapshot;
    for (const choice of ["report", "bullying", "counsellor:extern", "named"])
      form = stepIntake(form, { type: "CHOOSE", choice }).snapshot;
    expect(form.state).toBe("contactHow");
    expect(allIds(intakeView(form, DIRECTORY))).toContain("via_chat");
  });
});
