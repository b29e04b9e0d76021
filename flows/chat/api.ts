/** The chat flow's pure API for the core and the web page: start, step, and what to show. */
import { initialTransition, transition } from "xstate";
import type { Directory } from "../directory.ts";
import type { Prompt } from "../model.ts";
import { type FlowActions, type FlowSnapshot, asked, noticesOf } from "../run.ts";
import { type ChatContext, type ChatEvent, type ChatInput, type ChatNotice, chatMachine } from "./machine.ts";
import { type ChatState, chatNoticePrompts, chatPrompts } from "./prompts.ts";

export type ChatSnapshot = FlowSnapshot<ChatState, ChatContext>;

export interface ChatStep {
  snapshot: ChatSnapshot;
  notices: ChatNotice[];
  /** Stop was asked for: the core also wipes an open form's draft. */
  stopAll: boolean;
}

export function startChat(input: ChatInput): ChatStep {
  const [snap, actions] = initialTransition(chatMachine, input);
  return result({ state: snap.value, context: snap.context }, actions);
}

export function stepChat(from: ChatSnapshot, event: ChatEvent): ChatStep {
  const resolved = chatMachine.resolveState({ value: from.state, context: from.context });
  const [snap, actions] = transition(chatMachine, resolved, event);
  return result({ state: snap.value, context: snap.context }, actions);
}

/** Notices first, then the step's own prompts. */
export function chatView(snapshot: ChatSnapshot, dir: Directory, notices: ChatNotice[] = []): Prompt[] {
  return [
    ...chatNoticePrompts(notices, snapshot.context),
    ...chatPrompts(snapshot.state, snapshot.context, dir),
  ];
}

function result(snapshot: ChatSnapshot, actions: FlowActions): ChatStep {
  return { snapshot, notices: noticesOf<ChatNotice>(actions), stopAll: asked(actions, "stopAll") };
}
