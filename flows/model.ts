/**
 * The language between flows, core and adapters. Flows say *what* to show as data;
 * adapters decide *how* it looks on each platform. No user-facing strings here.
 *
 * Two surfaces (design §1): the chat carries only neutral navigation (flows/chat), the form —
 * a Slack modal, a Teams dialog, the web page, or the terminal inline — carries the matter
 * (flows/intake). Prompts of the chat flow never hold anything the melder chose or wrote.
 */
import type { MessageId } from "./messages.ts";

export type { MessageId };

/** Values interpolated into a message: `{name}` in the catalog text. */
export type Params = Record<string, string | number>;

export interface Choice {
  /** Stable id sent back in a CHOOSE event. */
  id: string;
  label: MessageId;
  params?: Params;
  /** Presentation hint: the main way forward, or an action that wipes or alarms. */
  style?: "primary" | "danger";
  /** Chat only: pressing it opens the form (Slack modal, Teams dialog, inline in the terminal). */
  opensForm?: boolean;
  /**
   * A link, not an answer: the platform opens this address in a browser (a Slack button with a
   * url, a Teams Action.OpenUrl, a line in the terminal). Pressing it tells the flow nothing.
   */
  url?: string;
}

export interface FieldSpec {
  id: string;
  label: MessageId;
  hint?: MessageId;
  multiline: boolean;
  maxLength: number;
  required: boolean;
  /** A select instead of free text. */
  options?: Choice[];
  /** Value already entered, so an edit starts from what the melder had. */
  initial?: string;
}

/** Fields to fill in on one form step. Answered with one SUBMIT event. */
export interface InputRequest {
  form: "report" | "contact";
  fields: FieldSpec[];
}

export interface Prompt {
  text: MessageId;
  params?: Params;
  /**
   * Buttons. In the chat: the ways on. In a form: side actions (back, edit, discard, danger,
   * stop) — each answered with a CHOOSE event.
   */
  choices?: Choice[];
  /** Form only: the step's question as options, exactly one to pick (radio buttons or a select). */
  options?: Choice[];
  /** Form only: fields to fill in (answered with SUBMIT). */
  input?: InputRequest;
  /**
   * Form only: the main button. With `options` it sends the picked option as CHOOSE, with
   * `input` a SUBMIT, otherwise CHOOSE with this choice's id.
   */
  submit?: Choice;
  /** A notice (error, help, danger list) rather than the step's own text. */
  notice?: boolean;
}

/** Everything an adapter can tell a flow. */
export type FlowEvent =
  /** First contact or "start over". `locale` is the platform's hint (e.g. Teams activity locale). */
  | { type: "START"; locale?: string }
  | { type: "CHOOSE"; choice: string }
  | { type: "SUBMIT"; form: "report" | "contact"; values: Record<string, string> }
  | { type: "STOP" }
  | { type: "HELP" }
  | { type: "DANGER" }
  /** Typed text that is not a command. Never treated as report content. */
  | { type: "TEXT" };

/** Commands typed in a chat, in both languages. Adapters map typed text through this. */
export function parseCommand(text: string): FlowEvent | undefined {
  const t = text.trim().toLowerCase();
  if (["stop", "wis", "erase", "cancel", "annuleer"].includes(t)) return { type: "STOP" };
  if (["help", "hulp", "?"].includes(t)) return { type: "HELP" };
  if (["nood", "danger", "112", "sos"].includes(t)) return { type: "DANGER" };
  if (["start", "begin", "opnieuw", "restart"].includes(t)) return { type: "START" };
  return undefined;
}
