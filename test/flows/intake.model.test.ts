/**
 * Model-based tests of the form flow (xstate/graph): every simple path through the forward graph
 * and the shortest path to every state over the full graph (back, edit and stop edges included),
 * with the promises asserted at every step of every path.
 */
import { describe, expect, it } from "vitest";
import { getShortestPaths, getSimplePaths } from "xstate/graph";
import { OUT_OF_SCOPE_TOPICS, TOPICS } from "../../flows/domain.ts";
import { intakeView, stepIntake } from "../../flows/intake/api.ts";
import { type IntakeContext, type IntakeEvent, intakeMachine } from "../../flows/intake/machine.ts";
import type { IntakeState } from "../../flows/intake/prompts.ts";
import { CANARY, DIRECTORY, INTAKE_INPUT } from "./fixtures.ts";

type Snap = { value: unknown; context: IntakeContext };
const view = (s: Snap) => intakeView({ state: s.value as IntakeState, context: s.context }, DIRECTORY);

const DONE: IntakeEvent = {
  type: "HANDOFF_DONE",
  receipt: { caseCode: "VT-AAAA-BBBB", date: "2026-11-23", counsellorId: "extern", status: "queued" },
};

/** Backward edges and equivalent alternatives are left to the shortest paths. */
const BACKWARD = [
  "back",
  "edit_topic",
  "edit_counsellor",
  "edit_identity",
  "edit_contact",
  "edit_report",
  "stop",
  "discard",
  "refresh",
];
const SAME_PLACE = [
  "danger",
  ...TOPICS.filter((t) => !["bullying", "integrity", "performance", "not_sure"].includes(t)),
  "counsellor:intern",
];

function eventsFor(s: Snap, skip: string[]): IntakeEvent[] {
  const state = s.value as IntakeState;
  if (state === "sending")
    return [DONE, { type: "HANDOFF_FAILED", reason: "key" }, { type: "HANDOFF_FAILED", reason: "internal" }];
  const prompts = view(s);
  const ids = prompts
    .flatMap((p) => [
      ...(p.choices ?? []),
      ...(p.options ?? []),
      ...(p.submit && !p.options && !p.input ? [p.submit] : []),
    ])
    .map((c) => c.id);
  const events: IntakeEvent[] = ids
    .filter((id) => !skip.includes(id))
    .map((choice) => ({ type: "CHOOSE", choice }));
  if (state === "report")
    events.push({ type: "SUBMIT", form: "report", values: { what: CANARY, wishes: "heard" } });
  if (state === "contactForm")
    events.push({ type: "SUBMIT", form: "contact", values: { name: "N", route: "06-12345678" } });
  if (skip.length === 0) events.push({ type: "STOP" }, { type: "DANGER" }, { type: "HELP" });
  return events;
}

const serialize = (s: Snap) =>
  JSON.stringify([
    s.value,
    s.context.mode ?? null,
    s.context.identity ?? null,
    s.context.contact?.viaChat ?? null,
    s.context.topic ?? null,
    !!s.context.receipt,
    !!s.context.returnToReview,
    Object.keys(s.context.report).length > 0,
  ]);

const simple = getSimplePaths(intakeMachine, {
  input: INTAKE_INPUT,
  events: (s) => eventsFor(s as never, [...BACKWARD, ...SAME_PLACE]) as never,
  serializeState: (s) => serialize(s as never),
});
const shortest = getShortestPaths(intakeMachine, {
  input: INTAKE_INPUT,
  events: (s) => eventsFor(s as never, []) as never,
  serializeState: (s) => serialize(s as never),
});
const paths = [...simple, ...shortest];

describe("form flow, every path", () => {
  it("has a meaningful number of paths covering every state", () => {
    const visited = new Set(paths.flatMap((p) => p.steps.map((s) => String(s.state.value))));
    const all = Object.keys(intakeMachine.config.states ?? {}).filter((s) => s !== "afterContact");
    expect([...visited].sort()).toEqual(expect.arrayContaining(all));
    expect(simple.length).toBeGreaterThan(50);
    expect(shortest.length).toBeGreaterThan(50);
  });

  it("offers danger in every view and stop until the form is over", () => {
    for (const path of paths) {
      for (const step of path.steps) {
        const state = String(step.state.value);
        if (state === "sending") continue;
        const ids = view(step.state as never)
          .flatMap((p) => p.choices ?? [])
          .map((c) => c.id);
        expect(ids, state).toContain("danger");
        if (!["stopped", "stoppedAfterSend"].includes(state)) expect(ids, state).toContain("stop");
      }
    }
  });

  it("asks for a handoff only right after send on the review, and keeps only the receipt after it", () => {
    for (const path of paths) {
      path.steps.forEach((step, i) => {
        if (step.state.value !== "sending") return;
        const prev = path.steps[i - 1];
        expect(prev?.state.value).toBe("review");
        expect(step.event).toEqual({ type: "CHOOSE", choice: "send" });
      });
      const last = path.state as unknown as Snap;
      if (last.value === "done") {
        expect(last.context.report).toEqual({});
        expect(last.context.topic).toBeUndefined();
        expect(last.context.receipt?.caseCode).toBe("VT-AAAA-BBBB");
      }
    }
  });

  it("leaves no draft after stop, from every state", () => {
    for (const path of paths) {
      const last = path.state as unknown as Snap;
      const state = last.value as IntakeState;
      if (state === "sending") continue;
      const stopped = stepIntake({ state, context: last.context }, { type: "STOP" });
      expect(stopped.wipe).toBe(true);
      expect(["stopped", "stoppedAfterSend"]).toContain(stopped.snapshot.state);
      expect(stopped.snapshot.context.report).toEqual({});
      expect(stopped.snapshot.context.contact).toBeUndefined();
      expect(stopped.snapshot.context.topic).toBeUndefined();
      expect(stopped.snapshot.context.receipt).toBeUndefined();
    }
  });

  it("gives every out-of-scope topic its own referral and the choice to go on anyway", () => {
    const atTopic = {
      state: "topic" as const,
      context: { ...INTAKE_INPUT, mode: "report" as const, report: {} },
    };
    for (const topic of OUT_OF_SCOPE_TOPICS) {
      const referral = stepIntake(atTopic, { type: "CHOOSE", choice: topic });
      expect(referral.snapshot.state).toBe("topicReferral");
      const [prompt] = intakeView(referral.snapshot, DIRECTORY);
      expect(prompt?.text).toBe(`topic.outOfScope.${topic}`);
      expect(prompt?.submit?.id).toBe("continue");
      expect(stepIntake(referral.snapshot, { type: "CHOOSE", choice: "continue" }).snapshot.state).toBe(
        "counsellor",
      );
    }
  });

  it("returns to the review after every edit made from it", () => {
    const review = paths
      .flatMap((p) => p.steps)
      .find(
        (s) =>
          s.state.value === "review" &&
          (s.state.context as IntakeContext).identity === "named" &&
          (s.state.context as IntakeContext).mode === "report",
      );
    expect(review).toBeDefined();
    const at = { state: "review" as const, context: (review?.state.context ?? {}) as IntakeContext };
    const answers: Record<string, IntakeEvent[]> = {
      edit_topic: [{ type: "CHOOSE", choice: "bullying" }],
      edit_counsellor: [{ type: "CHOOSE", choice: "counsellor:intern" }],
      edit_identity: [{ type: "CHOOSE", choice: "anonymous" }],
      edit_contact: [{ type: "CHOOSE", choice: "via_chat" }],
      edit_report: [{ type: "SUBMIT", form: "report", values: { what: "anders" } }],
    };
    for (const [edit, events] of Object.entries(answers)) {
      let snap = stepIntake(at, { type: "CHOOSE", choice: edit }).snapshot;
      for (const e of events) snap = stepIntake(snap, e).snapshot;
      expect(snap.state, edit).toBe("review");
    }
  });

  it("asks before throwing a story away", () => {
    const at = {
      state: "review" as const,
      context: { ...INTAKE_INPUT, mode: "report" as const, report: { what: CANARY } },
    };
    const asked = stepIntake(at, { type: "CHOOSE", choice: "discard" });
    expect(asked.snapshot.state).toBe("confirmDiscard");
    expect(asked.wipe).toBe(false);
    expect(stepIntake(asked.snapshot, { type: "CHOOSE", choice: "back" }).snapshot.context.report.what).toBe(
      CANARY,
    );
    expect(stepIntake(asked.snapshot, { type: "CHOOSE", choice: "discard_yes" }).wipe).toBe(true);
  });

  it("keeps what was typed when a timed-out draft is restored", () => {
    const start = { state: "mode" as const, context: { ...INTAKE_INPUT, report: {} } };
    const restored = stepIntake(start, {
      type: "RESTORE",
      form: "report",
      values: { what: CANARY, wishes: "heard" },
    });
    expect(restored.snapshot.context.report.what).toBe(CANARY);
    expect(restored.snapshot.context.wishes).toBe("heard");
    expect(restored.notices.map((n) => n.text)).toEqual(["notice.timedOutKept"]);
  });
});
