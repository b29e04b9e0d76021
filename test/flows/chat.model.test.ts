/**
 * Model-based tests of the chat flow (xstate/graph): every state reached by the shortest path
 * over every event a melder or the core can send, with the promises asserted at every step.
 */
import { describe, expect, it } from "vitest";
import { getShortestPaths, getSimplePaths } from "xstate/graph";
import { chatView, stepChat } from "../../flows/chat/api.ts";
import { type ChatContext, type ChatEvent, chatMachine } from "../../flows/chat/machine.ts";
import type { ChatState } from "../../flows/chat/prompts.ts";
import { INFO_SCREENS } from "../../flows/domain.ts";
import { CHAT_INPUT, DIRECTORY } from "./fixtures.ts";

type Snap = { value: unknown; context: ChatContext };
const view = (s: Snap) => chatView({ state: s.value as ChatState, context: s.context }, DIRECTORY);

/** Everything that can happen in a state: each offered button, typed commands, form news. */
function eventsFor(s: Snap, forward: boolean): ChatEvent[] {
  const choices = view(s)
    .flatMap((p) => p.choices ?? [])
    .map((c) => c.id);
  const chosen: ChatEvent[] = choices
    .filter(
      (id) => !forward || !["back", "stop", "restart", "lang_en", "lang_nl", "danger", "info"].includes(id),
    )
    .map((choice) => ({ type: "CHOOSE", choice }));
  if (forward) return chosen;
  return [
    ...chosen,
    { type: "STOP" },
    { type: "DANGER" },
    { type: "HELP" },
    { type: "TEXT" },
    { type: "START" },
    { type: "FORM_SENT" },
    { type: "FORM_CLOSED" },
    { type: "FORM_STOPPED" },
  ];
}

const serialize = (s: Snap) => JSON.stringify([s.value, s.context.locale, s.context.screen ?? null]);
const shortest = getShortestPaths(chatMachine, {
  input: CHAT_INPUT,
  events: (s) => eventsFor(s as never, false) as never,
  serializeState: (s) => serialize(s as never),
});
const simple = getSimplePaths(chatMachine, {
  input: CHAT_INPUT,
  events: (s) => eventsFor(s as never, true) as never,
  serializeState: (s) => serialize(s as never),
});
const paths = [...shortest, ...simple];

describe("chat flow", () => {
  it("reaches every state and every information screen", () => {
    const states = new Set(paths.flatMap((p) => p.steps.map((s) => String(s.state.value))));
    expect([...states].sort()).toEqual(Object.keys(chatMachine.config.states ?? {}).sort());
    const screens = new Set(
      paths.flatMap((p) => p.steps.map((s) => (s.state.context as ChatContext).screen)),
    );
    for (const screen of INFO_SCREENS) expect(screens, screen).toContain(screen);
    expect(paths.length).toBeGreaterThan(40);
  });

  it("never opens the form before confidentiality was acknowledged", () => {
    for (const path of paths) {
      const states = path.steps.map((s) => String(s.state.value));
      const formAt = states.indexOf("form");
      if (formAt < 0) continue;
      const acknowledged = path.steps
        .slice(0, formAt + 1)
        .some(
          (s, i) => s.event.type === "CHOOSE" && (s.event as { choice: string }).choice === "ack" && i > 0,
        );
      // FORM_* events come from the core after a form existed, which itself needed the ack.
      const formNews = path.steps.slice(0, formAt + 1).some((s) => s.event.type.startsWith("FORM_"));
      expect(acknowledged || formNews, states.join(" → ")).toBe(true);
    }
  });

  it("offers danger on every step, and stop wherever there is something to stop", () => {
    for (const path of paths) {
      for (const step of path.steps) {
        const ids = view(step.state as never)
          .flatMap((p) => p.choices ?? [])
          .map((c) => c.id);
        expect(ids, String(step.state.value)).toContain("danger");
        if (step.state.value !== "stopped") expect(ids, String(step.state.value)).toContain("stop");
      }
    }
  });

  it("answers danger in every state without moving", () => {
    for (const path of paths) {
      const last = path.state as unknown as Snap;
      const after = stepChat({ state: last.value as ChatState, context: last.context }, { type: "DANGER" });
      expect(after.snapshot.state).toBe(last.value);
      expect(after.notices.map((n) => n.text)).toEqual(["notice.danger"]);
    }
  });

  it("holds nothing about the matter: its context is the language and the screen only", () => {
    for (const path of paths) {
      for (const step of path.steps) {
        for (const key of Object.keys(step.state.context as object))
          expect(["locale", "screen"]).toContain(key);
      }
    }
  });

  it("tells a melder who stops after sending that the report was not withdrawn", () => {
    const sent = stepChat({ state: "form", context: { locale: "nl" } }, { type: "FORM_SENT" }).snapshot;
    const stopped = stepChat(sent, { type: "STOP" });
    expect(stopped.snapshot.state).toBe("stopped");
    expect(stopped.notices.map((n) => n.text)).toEqual(["notice.stopAfterSend"]);
    expect(stopped.stopAll).toBe(false);
  });

  it("shows the organisation's own help in the information and urgent paths: counsellors, contacts, direct routes", () => {
    const dir = {
      ...DIRECTORY,
      counsellors: DIRECTORY.counsellors.map((co) =>
        co.id === "extern" ? { ...co, reachVia: { nl: "bel 06-11112222", en: "call 06-11112222" } } : co,
      ),
      contacts: [
        ...DIRECTORY.contacts,
        { kind: "complaintsCommittee" as const, name: { nl: "Klachtencommissie" }, phone: "020-7654321" },
      ],
    };
    const at = (state: ChatState, screen?: ChatContext["screen"]) =>
      chatView({ state, context: { locale: "nl", ...(screen ? { screen } : {}) } }, dir);
    const urgent = at("urgent");
    expect(urgent.map((p) => p.text)).toEqual([
      "urgent.referrals",
      "org.contacts",
      "org.contact",
      "urgent.counsellors",
      "counsellor.reach",
      "urgent.back",
    ]);
    expect(urgent.find((p) => p.text === "org.contact")?.params?.name).toBe("Bedrijfsarts");
    expect(urgent.find((p) => p.text === "counsellor.reach")?.params).toEqual({
      name: "Karim",
      reachVia: "bel 06-11112222",
    });
    const info = at("infoScreen", "counsellors");
    expect(info.filter((p) => p.text === "counsellor.card").map((p) => p.params?.name)).toEqual([
      "Sanne",
      "Karim",
    ]);
    expect(info.filter((p) => p.text === "org.contact").map((p) => p.params?.name)).toEqual([
      "Bedrijfsarts",
      "Klachtencommissie",
    ]);
    // Without a direct route in the config, the urgent path has no counsellor heading.
    expect(
      chatView({ state: "urgent", context: { locale: "nl" } }, DIRECTORY).map((p) => p.text),
    ).not.toContain("urgent.counsellors");
  });
});
