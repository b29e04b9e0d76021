/**
 * The form as a Slack modal: everything about the matter lives here and never in the chat. Each
 * form step is one view; a step advances through the submission's ack (`response_action:
 * update`), so it costs no Web API call. The view's private_metadata carries the form's token
 * (the draft's id, its key and a MAC binding it to the melder) — Slack keeps it with the view,
 * the server never stores it.
 *
 * Slack's limits: modal title, submit and close ≤ 24 characters; at most 100 blocks; radio
 * buttons hold at most 10 options (more become a select of up to 100); plain_text_input
 * max_length ≤ 3,000; private_metadata ≤ 3,000 characters.
 */
import type { types } from "@slack/bolt";
import type { Locale } from "../../flows/domain.ts";
import type { FieldError } from "../../flows/intake/forms.ts";
import type { FieldSpec, FlowEvent } from "../../flows/model.ts";
import {
  type RenderedChoice,
  type RenderedInput,
  type RenderedPrompt,
  fieldErrorText,
  renderPrompt,
  t,
} from "../../src/content/index.ts";
import type { FormOutput } from "../../src/conversation/types.ts";
import {
  type KnownBlock,
  LINK_ACTION_PREFIX,
  actionBlocks,
  button,
  clip,
  escapeMrkdwn,
  plain,
  textSections,
} from "./blocks.ts";

export type ModalView = types.ModalView;

export const FORM_CALLBACK_ID = "vt_form";
export const DANGER_CALLBACK_ID = "vt_danger";
/** Buttons inside the form: back, edit, discard, refresh, danger, stop. */
export const FORM_ACTION_PREFIX = "vt_form:";
/** action_id of every input element; the block_id names the field (or "choice"). */
export const FIELD_ACTION_ID = "value";
export const CHOICE_BLOCK_ID = "choice";

export const MODAL_TEXT_MAX = 24;
export const OPTION_TEXT_MAX = 75;
export const RADIO_MAX = 10;
export const MODAL_BLOCKS_MAX = 100;
/** Slack refuses a plain_text_input whose max_length is above 3,000. */
export const SLACK_INPUT_MAX = 3000;

/** Slack-specific rendering: config text escaped for mrkdwn, inputs capped at Slack's 3,000. */
export const renderOptions = {
  escape: escapeMrkdwn,
  maxLength: (f: FieldSpec) => Math.min(f.maxLength, SLACK_INPUT_MAX),
};

/** What the main button of this view means, so a submission becomes the right flow event. */
type SubmitMeaning =
  | { kind: "option" }
  | { kind: "input"; form: "report" | "contact" }
  | { kind: "choice"; id: string };

export interface FormMetadata {
  token: string;
  seq: number;
  locale: Locale;
  submit?: SubmitMeaning;
}

export function encodeMetadata(meta: FormMetadata): string {
  return JSON.stringify({ t: meta.token, s: meta.seq, l: meta.locale, m: meta.submit });
}

export function decodeMetadata(raw: string | undefined): FormMetadata | undefined {
  try {
    const m = JSON.parse(raw ?? "") as { t?: unknown; s?: unknown; l?: unknown; m?: unknown };
    if (typeof m.t !== "string" || m.t.length > 200 || (m.l !== "nl" && m.l !== "en")) return undefined;
    if (typeof m.s !== "number" || !Number.isSafeInteger(m.s)) return undefined;
    const sub = m.m as SubmitMeaning | undefined;
    const valid =
      sub === undefined ||
      sub.kind === "option" ||
      (sub.kind === "input" && (sub.form === "report" || sub.form === "contact")) ||
      (sub.kind === "choice" && typeof sub.id === "string" && sub.id.length < 64);
    if (!valid) return undefined;
    return { token: m.t, seq: m.s, locale: m.l, ...(sub ? { submit: sub } : {}) };
  } catch {
    return undefined;
  }
}

/** The view for a form output: notices, the step's text, its question or fields, its buttons. */
export function formView(out: FormOutput, extra: { notice?: string } = {}): ModalView {
  const rendered = out.prompts.map((p) => renderPrompt(out.locale, p, renderOptions));
  const step = [...rendered].reverse().find((r) => !r.notice) ?? rendered[rendered.length - 1];
  const blocks: KnownBlock[] = [];
  if (extra.notice) blocks.push(...textSections(`⚠️ ${extra.notice}`));
  for (const r of rendered) {
    blocks.push(...textSections(r === step || !r.notice ? r.text : `ℹ️ ${r.text}`));
    if (r !== step) continue;
    if (r.options) blocks.push(optionsBlock(r.options, t(out.locale, "form.pick")));
    if (r.input) blocks.push(...inputBlocks(r.input));
  }
  const side = step ? step.choices : [];
  const actions = actionBlocks(
    // A link (the receipt's anonymous mailbox) is opened by Slack; its click is only acknowledged.
    side.map((c) =>
      button(`${c.url ? LINK_ACTION_PREFIX : FORM_ACTION_PREFIX}${c.id}`, c, String(out.seq ?? 0)),
    ),
    (i) => `vt_form_actions_${i}`,
  );
  const submit = step?.submit && !out.finished ? step.submit : undefined;
  const meaning: SubmitMeaning | undefined = submit
    ? step?.options
      ? { kind: "option" }
      : step?.input
        ? { kind: "input", form: step.input.form }
        : { kind: "choice", id: submit.id }
    : undefined;
  return {
    type: "modal",
    callback_id: FORM_CALLBACK_ID,
    title: plain(t(out.locale, "form.title"), MODAL_TEXT_MAX),
    ...(submit ? { submit: plain(submit.label, MODAL_TEXT_MAX) } : {}),
    close: plain(t(out.locale, "form.close"), MODAL_TEXT_MAX),
    private_metadata: encodeMetadata({
      token: out.token ?? "",
      seq: out.seq ?? 0,
      locale: out.locale,
      ...(meaning ? { submit: meaning } : {}),
    }),
    // Closing is an event: the draft is wiped and the chat says so (neutrally).
    notify_on_close: true,
    // The side buttons (danger and stop among them) are never what falls off; the config's
    // bounds keep every step within 100 blocks (test/platform proves it).
    blocks: [...blocks.slice(0, MODAL_BLOCKS_MAX - actions.length), ...actions],
  };
}

/** Danger and referrals on top of the form: closing it returns to the form, untouched. */
export function dangerView(locale: Locale): ModalView {
  return {
    type: "modal",
    callback_id: DANGER_CALLBACK_ID,
    title: plain(t(locale, "form.dangerTitle"), MODAL_TEXT_MAX),
    close: plain(t(locale, "form.backToForm"), MODAL_TEXT_MAX),
    blocks: textSections(t(locale, "notice.danger")),
  };
}

function optionsBlock(options: RenderedChoice[], label: string): KnownBlock {
  const items = options.map((o) => ({ text: plain(o.label, OPTION_TEXT_MAX), value: o.id }));
  const element =
    options.length <= RADIO_MAX
      ? { type: "radio_buttons", action_id: FIELD_ACTION_ID, options: items }
      : {
          type: "static_select",
          action_id: FIELD_ACTION_ID,
          placeholder: plain(clip(label, 150)),
          options: items,
        };
  return { type: "input", block_id: CHOICE_BLOCK_ID, label: plain(label, 2000), element } as KnownBlock;
}

function inputBlocks(input: RenderedInput): KnownBlock[] {
  return input.fields.map((field) => {
    const element = field.options
      ? {
          type: "static_select",
          action_id: FIELD_ACTION_ID,
          options: field.options.map((o) => ({ text: plain(o.label, OPTION_TEXT_MAX), value: o.id })),
          ...initialOption(field.options, field.initial),
        }
      : {
          type: "plain_text_input",
          action_id: FIELD_ACTION_ID,
          multiline: field.multiline,
          max_length: Math.min(field.maxLength, SLACK_INPUT_MAX),
          ...(field.initial
            ? { initial_value: field.initial.slice(0, Math.min(field.maxLength, SLACK_INPUT_MAX)) }
            : {}),
        };
    return {
      type: "input",
      block_id: field.id,
      optional: !field.required,
      label: plain(field.label, 2000),
      ...(field.hint ? { hint: plain(field.hint, 2000) } : {}),
      element,
    } as KnownBlock;
  });
}

function initialOption(options: RenderedChoice[], initial: string | undefined) {
  const match = options.find((o) => o.id === initial);
  return match ? { initial_option: { text: plain(match.label, OPTION_TEXT_MAX), value: match.id } } : {};
}

type StateValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
>;

/** The flow event a submission means: the picked option, the fields, or the main button's choice. */
export function submissionEvent(meta: FormMetadata, state: { values: StateValues }): FlowEvent | undefined {
  const values = submittedValues(state.values);
  switch (meta.submit?.kind) {
    case "option": {
      const picked = values[CHOICE_BLOCK_ID];
      return picked ? { type: "CHOOSE", choice: picked } : undefined;
    }
    case "input":
      return { type: "SUBMIT", form: meta.submit.form, values };
    case "choice":
      return { type: "CHOOSE", choice: meta.submit.id };
    default:
      return undefined;
  }
}

/** Field values from a view_submission's state, keyed by block (field) id. */
export function submittedValues(byBlock: StateValues): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(byBlock ?? {})) {
    const action = actions?.[FIELD_ACTION_ID];
    if (!action) continue;
    const value = typeof action.value === "string" ? action.value : action.selected_option?.value;
    if (typeof value === "string") values[blockId] = value;
  }
  return values;
}

/** Inline errors (`response_action: errors`), keyed by the input blocks of the current view. */
export function fieldErrors(
  locale: Locale,
  errors: FieldError[],
  step: RenderedPrompt | undefined,
): Record<string, string> {
  return Object.fromEntries(
    errors.map((e) => {
      const max = step?.input?.fields.find((f) => f.id === e.field)?.maxLength ?? 0;
      return [e.field, fieldErrorText(locale, e, max)];
    }),
  );
}

/** The id of an input block in a view, to attach a message that concerns the whole form. */
export function firstInputBlock(view: { blocks: Array<{ type: string; block_id?: string }> }):
  | string
  | undefined {
  return view.blocks.find((b) => b.type === "input")?.block_id;
}
