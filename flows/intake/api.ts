/** The form flow's pure API for the core and the web page: start, step, and what to show. */
import { initialTransition, transition } from "xstate";
import type { Directory } from "../directory.ts";
import type { Prompt } from "../model.ts";
import { type FlowActions, type FlowSnapshot, asked, noticesOf } from "../run.ts";
import {
  type IntakeContext,
  type IntakeEvent,
  type IntakeInput,
  type IntakeNotice,
  intakeMachine,
} from "./machine.ts";
import { type IntakeState, intakeNoticePrompts, intakePrompts } from "./prompts.ts";

export type IntakeSnapshot = FlowSnapshot<IntakeState, IntakeContext>;

export interface IntakeStep {
  snapshot: IntakeSnapshot;
  notices: IntakeNotice[];
  /** The melder pressed send on the review: the core seals and queues the handoff. */
  handoff: boolean;
  /** Stop or discard: the core wipes the draft. */
  wipe: boolean;
}

export function startIntake(input: IntakeInput): IntakeStep {
  const [snap, actions] = initialTransition(intakeMachine, input);
  return result({ state: snap.value, context: snap.context }, actions);
}

export function stepIntake(from: IntakeSnapshot, event: IntakeEvent): IntakeStep {
  const resolved = intakeMachine.resolveState({ value: from.state, context: from.context });
  const [snap, actions] = transition(intakeMachine, resolved, event);
  return result({ state: snap.value, context: snap.context }, actions);
}

/** Notices first, then the step's own prompts. */
export function intakeView(snapshot: IntakeSnapshot, dir: Directory, notices: IntakeNotice[] = []): Prompt[] {
  return [
    ...intakeNoticePrompts(notices, snapshot.context),
    ...intakePrompts(snapshot.state, snapshot.context, dir),
  ];
}

/** The form is over (stopped, or stopped after sending): nothing more can be entered. */
export const intakeFinished = (s: IntakeSnapshot): boolean =>
  s.state === "stopped" || s.state === "stoppedAfterSend";

function result(snapshot: IntakeSnapshot, actions: FlowActions): IntakeStep {
  return {
    snapshot,
    notices: noticesOf<IntakeNotice>(actions),
    handoff: asked(actions, "requestHandoff"),
    wipe: asked(actions, "wipe"),
  };
}
