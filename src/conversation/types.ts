import type { Channel } from "../../flows/domain.ts";
import type { FlowEvent, Prompt, Receipt } from "../../flows/model.ts";
import type { Locale } from "../config/schema.ts";

/** Who is talking, as the adapter knows it. Only ever used to derive an HMAC key,
 *  and (when the melder is named and asks for it) as the chat handle in the handoff. */
export interface Melder {
  platform: Channel;
  /** Workspace / tenant id; "local" for the console. */
  tenant: string;
  user: string;
}

export interface TurnInput {
  melder: Melder;
  event: FlowEvent;
  /** Platform event id (Slack event_id / action trigger, Teams activity id) for de-duplication. */
  eventId?: string;
  /**
   * The `seq` of the output whose button this answers. When the conversation has moved on since,
   * the answer is stale: nothing changes and the output says so. Leave out for typed commands and
   * for global buttons (danger, stop) that are valid from any message.
   */
  answering?: number;
}

export interface TurnOutput {
  /**
   * ok: prompts to show; duplicate: already handled, show nothing; stale: a button from an older
   * step, nothing changed, prompts explain; unavailable: store down, prompts explain.
   */
  status: "ok" | "duplicate" | "stale" | "unavailable";
  locale: Locale;
  prompts: Prompt[];
  /** The flow's state after the turn, e.g. "report" (adapters use it to open forms). */
  state: string;
  /** Generation of these prompts; buttons carry it back as `answering`. */
  seq?: number;
  /** Present in the turn that completed a handoff. */
  receipt?: Receipt;
  /** Message references the adapter asked to remember (see remember()); returned once, after handoff or stop, to delete. */
  forget?: string[];
}

export interface ConversationRuntime {
  handle(input: TurnInput): Promise<TurnOutput>;
  /**
   * The current step's prompts, read-only: no turn, no save, no new conversation. Adapters use
   * it to fill a form with what the melder entered before (only the sealed draft holds that).
   * State "none" with no prompts when there is no conversation.
   */
  current(melder: Melder): Promise<TurnOutput>;
  /**
   * Remember platform message references (e.g. Slack "channel:ts") that showed report content,
   * sealed with the draft, so the adapter can delete them after the handoff or a stop.
   */
  remember(melder: Melder, refs: string[]): Promise<void>;
}
