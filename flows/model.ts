/**
 * The language between flows, core and adapters. Flows say *what* to show as data;
 * adapters decide *how* it looks on each platform. No user-facing strings here.
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

/**
 * A request for structured input. Adapters collect it outside the chat history where the platform
 * allows (Slack modal, Teams card, terminal prompts) and answer with one SUBMIT event.
 */
export interface InputRequest {
  form: "report" | "contact";
  title: MessageId;
  intro?: MessageId;
  fields: FieldSpec[];
  /** Label of the button that opens the form in chat platforms. */
  open: MessageId;
}

export interface Prompt {
  text: MessageId;
  params?: Params;
  choices?: Choice[];
  input?: InputRequest;
  /** True when the text shows report or contact content; adapters remove such messages after handoff. */
  sensitive?: boolean;
}

/** Everything an adapter can tell the flow. */
export type FlowEvent =
  /** First contact or "start over". `locale` is the platform's hint (e.g. Teams activity locale). */
  | { type: "START"; locale?: string }
  | { type: "CHOOSE"; choice: string }
  | { type: "SUBMIT"; form: "report" | "contact"; values: Record<string, string> }
  | { type: "STOP" }
  | { type: "HELP" }
  | { type: "DANGER" }
  /** Typed text that is not a command. Never treated as report content. */
  | { type: "TEXT" }
  /** Sent by the core: results of the handoff effect. */
  | { type: "HANDOFF_DONE"; receipt: Receipt }
  | { type: "HANDOFF_FAILED"; reason: "key" | "delivery" | "internal" };

export interface Receipt {
  caseCode: string;
  /** Day only (YYYY-MM-DD). */
  date: string;
  /** SHA-256 of the ciphertext, hex. */
  sha256: string;
  counsellorId: string;
}

/** Global chat commands, in both languages. Adapters map typed text through this. */
export function parseCommand(text: string): FlowEvent | undefined {
  const t = text.trim().toLowerCase();
  if (["stop", "wis", "cancel", "annuleer"].includes(t)) return { type: "STOP" };
  if (["help", "hulp", "?"].includes(t)) return { type: "HELP" };
  if (["nood", "danger", "112", "sos"].includes(t)) return { type: "DANGER" };
  if (["start", "begin", "opnieuw", "restart"].includes(t)) return { type: "START" };
  return undefined;
}
