/**
 * The flow's pure API for the core: start, step, and what to show. Snapshots are plain JSON
 * ({ state, context }) so the core can seal and store them between turns.
 */
import { initialTransition, transition } from "xstate";
import type { FlowEvent, Prompt } from "../model.ts";
import { type IntakeContext, type IntakeInput, type Notice, intakeMachine } from "./machine.ts";
import { type IntakeState, noticePrompts, promptsFor } from "./prompts.ts";

export type { CounsellorOption, IntakeContext, IntakeInput, Notice } from "./machine.ts";
export { intakeMachine } from "./machine.ts";
export type { IntakeState } from "./prompts.ts";

export interface FlowSnapshot {
  state: IntakeState;
  context: IntakeContext;
}

export interface StepResult {
  snapshot: FlowSnapshot;
  /** Prompts to show: notices first, then the step's own. */
  prompts: Prompt[];
  /** Effects the core must run. */
  effects: { handoff: boolean; wipe: boolean };
}

type Actions = ReturnType<typeof transition>[1];

export function startIntake(input: IntakeInput): StepResult {
  const [snap, actions] = initialTransition(intakeMachine, input);
  return result({ state: snap.value as IntakeState, context: snap.context }, actions);
}

export function stepIntake(from: FlowSnapshot, event: FlowEvent): StepResult {
  const resolved = intakeMachine.resolveState({ value: from.state, context: from.context });
  const [snap, actions] = transition(intakeMachine, resolved, event);
  return result({ state: snap.value as IntakeState, context: snap.context }, actions);
}

/** Prompts for a snapshot at rest, e.g. to show the current step again. */
export function currentPrompts(snapshot: FlowSnapshot, notices: Notice[] = []): Prompt[] {
  return [...noticePrompts(notices), ...promptsFor(snapshot.state, snapshot.context)];
}

function result(snapshot: FlowSnapshot, actions: Actions): StepResult {
  const notices: Notice[] = [];
  const effects = { handoff: false, wipe: false };
  for (const a of actions) {
    if (a.type === "notify") notices.push(a.params as Notice);
    else if (a.type === "requestHandoff") effects.handoff = true;
    else if (a.type === "wipe") effects.wipe = true;
  }
  return { snapshot, prompts: currentPrompts(snapshot, notices), effects };
}
