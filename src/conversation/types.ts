/**
 * The conversation runtime's port: what every adapter calls. Two surfaces, two records:
 * - the chat (navigation only), keyed by an HMAC of the melder's platform identity;
 * - the form (the matter), a draft under a random id sealed with a key only the form carries.
 */
import type { Channel, Locale } from "../../flows/domain.ts";
import type { FieldError } from "../../flows/intake/forms.ts";
import type { FlowEvent, Prompt } from "../../flows/model.ts";

/** Who is talking, as the adapter knows it. Only ever used to derive an HMAC key, to bind a
 *  form to its melder, and (when a named melder asks for it) as the chat handle in the handoff. */
export interface Melder {
  platform: Channel;
  /** Workspace / tenant id; "local" for the console. */
  tenant: string;
  user: string;
}

export interface ChatTurnInput {
  melder: Melder;
  event: FlowEvent;
  /** Platform event id (Slack event_id / message ts, Teams activity id) for de-duplication. */
  eventId?: string;
  /**
   * The `seq` of the output whose button this answers. When the chat has moved on since, the
   * answer is stale: nothing changes and the output says so. Leave out for typed commands and
   * for global buttons (danger, stop) that are valid from any message.
   */
  answering?: number;
}

export type TurnStatus = "ok" | "duplicate" | "stale" | "unavailable";

export interface ChatOutput {
  /**
   * ok: prompts to show; duplicate: already handled, show nothing; stale: a button from an
   * older step, nothing changed, prompts explain; unavailable: store down, prompts explain.
   */
  status: TurnStatus;
  locale: Locale;
  prompts: Prompt[];
  /** The chat flow's state after the turn (neutral: never says anything about the matter). */
  state: string;
  /** Generation of these prompts; buttons carry it back as `answering`. */
  seq?: number;
  /** Present when this turn opened a form: show it (Slack modal, Teams dialog, inline). */
  form?: FormOutput;
  /**
   * The prompts of the message this turn answered (neutral chat text), so an adapter that
   * cannot read its own old message back (Teams) can collapse it to text without buttons.
   */
  answered?: Prompt[];
}

export interface FormTurnInput {
  melder: Melder;
  /** The opaque token the form carries (see FormOutput.token). */
  token: string;
  event: FlowEvent;
  eventId?: string;
  /** The form step (FormOutput.seq) this answer belongs to. */
  answering?: number;
}

export interface FormOutput {
  /**
   * ok: show `prompts` in the form; invalid: keep the form as it is and show `errors`;
   * unavailable: keep the form with everything typed and say so (nothing was saved);
   * gone: the draft no longer exists (expired, stopped) — `prompts` explain; stale: the form
   * showed an older step — `prompts` are the current one; duplicate: a re-sent submit — `prompts`
   * are the current step again; forbidden: the token does not belong to this melder.
   */
  status: "ok" | "invalid" | "unavailable" | "gone" | "stale" | "duplicate" | "forbidden";
  locale: Locale;
  prompts: Prompt[];
  state: string;
  /** Opaque: the draft's id and key and a MAC binding them to the melder. Only the form keeps it. */
  token?: string;
  /** The form step; sent back as `answering`. */
  seq?: number;
  errors?: FieldError[];
  /** The form is over (stopped, discarded, stopped after sending): only closing is left. */
  finished?: boolean;
  /** What the chat must show now (sent, stopped): neutral navigation only. */
  chat?: ChatOutput;
  /**
   * The case just sealed. For the terminal demo only (it prints where the ciphertext went);
   * chat adapters never show it.
   */
  sealedCase?: { caseId: string };
}

/**
 * The per-turn runtime every adapter calls: lock → load sealed record → transition → effects →
 * save sealed record with the idle TTL. Any replica can serve any turn.
 *
 * @example
 * const out = await runtime.chat({ melder, event: { type: "CHOOSE", choice: "form" }, answering: 3 });
 * if (out.form) showForm(out.form.prompts, out.form.token);
 * const next = await runtime.form({ melder, token, event: { type: "CHOOSE", choice: "report" } });
 */
export interface ConversationRuntime {
  chat(input: ChatTurnInput): Promise<ChatOutput>;
  /** One step of the form. */
  form(input: FormTurnInput): Promise<FormOutput>;
  /**
   * The form's current step, read-only (Teams re-opens a dialog from it, Slack re-renders on a
   * duplicate). `gone` when the draft no longer exists.
   */
  formView(melder: Melder, token: string): Promise<FormOutput>;
  /**
   * The form window was closed without its stop button (Slack view_closed). Wipes the draft
   * unless it was sent; returns what the chat should say, if anything.
   */
  closeForm(melder: Melder, token: string): Promise<ChatOutput | undefined>;
  /** The chat's current prompts, read-only (state "none" when there is no conversation). */
  chatView(melder: Melder): Promise<ChatOutput>;
}
