/**
 * Model-based tests: every simple path through the intake graph (xstate/graph), with the
 * invariants asserted at every step of every path.
 */
import { describe, expect, it } from "vitest";
import { getShortestPaths, getSimplePaths } from "xstate/graph";
import {
  type FlowSnapshot,
  type IntakeState,
  intakeMachine,
  startIntake,
  stepIntake,
} from "../../flows/intake/index.ts";
import type { FlowEvent } from "../../flows/model.ts";
import { CANARY, INPUT } from "./fixtures.ts";

/** States where the melder is asked about the matter itself (design §2 steps 3–8). */
const MATTER_STATES: IntakeState[] = [
  "topic",
  "topicReferral",
  "counsellor",
  "identity",
  "contactHow",
  "contactForm",
  "report",
  "review",
  "sending",
];

/**
 * Going back and editing make the number of *simple* paths explode combinatorially; the simple
 * paths walk the forward graph, and shortest paths over the full graph cover those edges too.
 */
const BACKWARD = ["back", "edit_report", "edit_contact", "edit_counsellor", "restart", "stop"];
/** Globals and alternatives that lead to the same place are walked once, not in every path. */
const SAME_PLACE = [
  "danger",
  "lang_en",
  "lang_nl",
  "intimidation",
  "aggression",
  "sexual_harassment",
  "discrimination",
  "integrity",
  "wrongdoing",
  "other_conduct",
  "reorganisation",
  "labour_dispute",
  "private_matter",
  "counsellor:intern",
];

/** The events a melder (or the core) can send in a state: every offered choice, forms, globals. */
function eventsFor(
  snapshot: { value: unknown; context: FlowSnapshot["context"] },
  skip: string[],
): FlowEvent[] {
  const state = snapshot.value as IntakeState;
  if (state === "sending") {
    return [
      {
        type: "HANDOFF_DONE",
        receipt: { caseCode: "VT-AAAA-BBBB", date: "2026-11-23", sha256: "ab", counsellorId: "extern" },
      },
      { type: "HANDOFF_FAILED", reason: "key" },
      { type: "HANDOFF_FAILED", reason: "delivery" },
    ];
  }
  const { prompts } = stepIntake({ state, context: snapshot.context }, { type: "HELP" });
  const choices = prompts.flatMap((p) => p.choices ?? []).map((c) => c.id);
  const events: FlowEvent[] = choices
    .filter((id) => !skip.includes(id))
    .map((choice) => ({ type: "CHOOSE", choice }));
  if (state === "report")
    events.push({ type: "SUBMIT", form: "report", values: { what: CANARY, wishes: "heard" } });
  if (state === "contactForm")
    events.push({ type: "SUBMIT", form: "contact", values: { name: "N", route: "06-12345678" } });
  return events;
}

const serialize = (s: { value: unknown; context: FlowSnapshot["context"] }) =>
  JSON.stringify([
    s.value,
    s.context.mode,
    s.context.identity,
    s.context.contact?.viaChat ?? null,
    s.context.topic ?? null,
    !!s.context.receipt,
    !!s.context.returnToReview,
  ]);

const simple = getSimplePaths(intakeMachine, {
  input: INPUT,
  events: (s) => eventsFor(s as never, [...BACKWARD, ...SAME_PLACE]) as never,
  serializeState: (s) => serialize(s as never),
});
const shortest = getShortestPaths(intakeMachine, {
  input: INPUT,
  events: (s) => eventsFor(s as never, []) as never,
  serializeState: (s) => serialize(s as never),
});
const paths = [...simple, ...shortest];

describe("intake flow, every simple path", () => {
  it("has a meaningful number of paths covering every state", () => {
    const visited = new Set(paths.flatMap((p) => p.steps.map((s) => String(s.state.value))));
    expect(simple.length).toBeGreaterThan(100);
    expect(shortest.length).toBeGreaterThan(50);
    for (const state of [
      "welcome",
      "confidentiality",
      "confidentialityMore",
      "need",
      "info",
      "urgent",
      "topic",
      "topicReferral",
      "counsellor",
      "identity",
      "contactHow",
      "contactForm",
      "report",
      "review",
      "sending",
      "done",
      "stopped",
    ]) {
      expect(visited, state).toContain(state);
    }
  });

  it("asks nothing about the matter before confidentiality is acknowledged", () => {
    for (const path of paths) {
      let acked = false;
      let snap = startIntake(INPUT).snapshot;
      for (const step of path.steps.slice(1)) {
        const before = snap.state;
        const r = stepIntake(snap, step.event as FlowEvent);
        if (
          step.event.type === "CHOOSE" &&
          (step.event as { choice: string }).choice === "ack" &&
          before.startsWith("confidentiality")
        )
          acked = true;
        if (r.snapshot.state === "welcome" || r.snapshot.state === "stopped") acked = false;
        if (MATTER_STATES.includes(r.snapshot.state))
          expect(acked, `${r.snapshot.state} reached without acknowledgement`).toBe(true);
        snap = r.snapshot;
      }
    }
  });

  it("offers the danger route on every step and answers it without losing anything", () => {
    for (const path of paths) {
      let snap = startIntake(INPUT).snapshot;
      for (const step of [...path.steps.slice(1), null]) {
        const danger = stepIntake(snap, { type: "DANGER" });
        expect(danger.prompts[0]?.text).toBe("notice.danger");
        expect(danger.snapshot).toEqual(snap);
        if (snap.state !== "sending") {
          const offered = danger.prompts.flatMap((p) => p.choices ?? []).map((c) => c.id);
          expect(offered, snap.state).toContain("danger");
        }
        if (!step) break;
        snap = stepIntake(snap, step.event as FlowEvent).snapshot;
      }
    }
  });

  it("stop from every resting step leaves no draft and asks the core to wipe", () => {
    for (const path of paths) {
      let snap = startIntake(INPUT).snapshot;
      for (const step of [...path.steps.slice(1), null]) {
        if (snap.state !== "sending") {
          for (const stop of [{ type: "STOP" }, { type: "CHOOSE", choice: "stop" }] as FlowEvent[]) {
            const r = stepIntake(snap, stop);
            expect(r.snapshot.state).toBe("stopped");
            expect(r.effects.wipe).toBe(true);
            const c = r.snapshot.context;
            expect([c.mode, c.topic, c.counsellorId, c.identity, c.contact, c.wishes]).toEqual([
              undefined,
              undefined,
              undefined,
              undefined,
              undefined,
              undefined,
            ]);
            expect(c.report).toEqual({});
            expect(JSON.stringify(r.snapshot)).not.toContain(CANARY);
          }
        }
        if (!step) break;
        snap = stepIntake(snap, step.event as FlowEvent).snapshot;
      }
    }
  });

  it("hands off only right after an explicit 'send' on the review", () => {
    let handoffs = 0;
    for (const path of paths) {
      let snap = startIntake(INPUT).snapshot;
      for (const step of path.steps.slice(1)) {
        const r = stepIntake(snap, step.event as FlowEvent);
        if (r.effects.handoff) {
          handoffs++;
          expect(snap.state).toBe("review");
          expect(step.event).toEqual({ type: "CHOOSE", choice: "send" });
        }
        if (r.snapshot.state === "done") expect(JSON.stringify(r.snapshot.context)).not.toContain(CANARY);
        snap = r.snapshot;
      }
    }
    expect(handoffs).toBeGreaterThan(0);
  });
});
