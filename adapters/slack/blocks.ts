/**
 * Rendering of flow prompts as Slack Block Kit: chat messages with buttons, the form modal and
 * the App Home tab. Pure functions: no Slack calls, no state.
 *
 * Slack's limits shape this file: section text ≤ 3000 chars, button text ≤ 75, modal title ≤ 24,
 * plain_text_input max_length ≤ 3000, private_metadata ≤ 3000.
 */
import { randomBytes } from "node:crypto";
import type { Config, Locale } from "../../src/config/schema.ts";
import { type RenderedInput, type RenderedPrompt, t } from "../../src/content/index.ts";

/** Action ids: a choice button carries the flow's choice id, the form button the form kind. */
export const CHOICE_ACTION_PREFIX = "vt_choice:";
export const OPEN_FORM_ACTION_PREFIX = "vt_open:";
export const FORM_CALLBACK_ID = "vt_form";
/** action_id of every input element in the form modal; the block_id is the field id. */
export const FIELD_ACTION_ID = "value";
const BLOCK_PREFIX = "vt:";

const SECTION_MAX = 3000;
const BUTTON_TEXT_MAX = 75;
const MODAL_TEXT_MAX = 24;
const OPTION_TEXT_MAX = 75;
/** Slack refuses a plain_text_input whose max_length is above 3000. */
export const SLACK_INPUT_MAX = 3000;

// biome-ignore lint/suspicious/noExplicitAny: Block Kit is a large JSON vocabulary; we build plain objects.
export type Block = { type: string; [key: string]: any };

/**
 * A short token on every button (block_id and value): the locale and state the prompt was shown in,
 * whether it showed report content, and a nonce. It lets the adapter recognise a button from an
 * old message and answer in the right language without loading the conversation.
 */
export interface PromptToken {
  locale: Locale;
  state: string;
  sensitive: boolean;
  /** The runtime's prompt generation (TurnOutput.seq); 0 when unknown. */
  seq: number;
  nonce: string;
}

export function newToken(locale: Locale, state: string, sensitive: boolean, seq = 0): PromptToken {
  return { locale, state, sensitive, seq, nonce: randomBytes(4).toString("hex") };
}

export function encodeToken(token: PromptToken): string {
  return ["2", token.locale, token.state, token.sensitive ? "s" : "p", String(token.seq), token.nonce].join(
    ".",
  );
}

export function decodeToken(raw: string | undefined): PromptToken | undefined {
  const parts = (raw ?? "").replace(BLOCK_PREFIX, "").split(".");
  if (parts.length !== 6 || parts[0] !== "2") return undefined;
  const [, locale, state, flag, seqText, nonce] = parts;
  const seq = Number(seqText);
  if ((locale !== "nl" && locale !== "en") || !state || !nonce || (flag !== "s" && flag !== "p"))
    return undefined;
  if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { locale, state, sensitive: flag === "s", seq, nonce };
}

const plain = (text: string, max?: number) => ({ type: "plain_text", text: clip(text, max), emoji: true });
const mrkdwn = (text: string) => ({ type: "mrkdwn", text });

export function clip(text: string, max?: number): string {
  if (max === undefined || text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}

/** Splits long text into section-sized chunks, preferring line breaks, never losing characters. */
export function splitText(text: string, max = SECTION_MAX - 100): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    if (cut < max / 2) cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = max;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}

export const textSections = (text: string): Block[] =>
  splitText(text).map((chunk) => ({ type: "section", text: mrkdwn(chunk.length > 0 ? chunk : " ") }));

/**
 * The notification text Slack shows in previews and push messages. For a prompt that shows report
 * content only its first line (a heading) is used, so the report never lands on a lock screen.
 */
export function fallbackText(prompt: RenderedPrompt): string {
  const text = prompt.sensitive ? (prompt.text.split("\n")[0] ?? "") : prompt.text;
  return clip(text, SECTION_MAX);
}

/** A prompt as a chat message: its text, then one actions block with the form button and the choices. */
export function promptBlocks(prompt: RenderedPrompt, token: PromptToken): Block[] {
  const blocks = textSections(prompt.text);
  const value = encodeToken(token);
  const elements: Block[] = [];
  if (prompt.input) {
    elements.push({
      type: "button",
      action_id: `${OPEN_FORM_ACTION_PREFIX}${prompt.input.form}`,
      text: plain(prompt.input.open, BUTTON_TEXT_MAX),
      style: "primary",
      value,
    });
  }
  for (const choice of prompt.choices) {
    elements.push({
      type: "button",
      action_id: `${CHOICE_ACTION_PREFIX}${choice.id}`,
      text: plain(choice.label, BUTTON_TEXT_MAX),
      ...(choice.style ? { style: choice.style } : {}),
      value,
    });
  }
  // Slack allows 25 elements per actions block; the flow never offers more than ~16.
  if (elements.length > 0)
    blocks.push({ type: "actions", block_id: `${BLOCK_PREFIX}${value}`, elements: elements.slice(0, 25) });
  return blocks;
}

/**
 * The answered message: buttons removed and the choice shown, so it cannot be pressed twice.
 * A message that showed report content keeps none of it: only the choice remains.
 */
export function answeredBlocks(
  original: Block[] | undefined,
  chosenLabel: string | undefined,
  sensitive: boolean,
): Block[] {
  const kept = sensitive ? [] : (original ?? []).filter((b) => b.type !== "actions");
  const note = chosenLabel ? [{ type: "context", elements: [mrkdwn(`✓ ${escapeMrkdwn(chosenLabel)}`)] }] : [];
  const blocks = [...kept, ...note];
  return blocks.length > 0 ? blocks : [{ type: "context", elements: [mrkdwn("✓")] }];
}

/** Slack mrkdwn control characters in labels that come from the config (counsellor names). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** What the modal carries back to us on submit (Slack keeps it with the view, never in the chat). */
export interface FormMetadata {
  form: RenderedInput["form"];
  locale: Locale;
  /** The DM and the message whose button opened the form: replies go there, its buttons are removed after. */
  channel: string;
  ts: string;
}

export function encodeMetadata(meta: FormMetadata): string {
  return JSON.stringify({ f: meta.form, l: meta.locale, c: meta.channel, t: meta.ts });
}

export function decodeMetadata(raw: string | undefined): FormMetadata | undefined {
  try {
    const m = JSON.parse(raw ?? "") as { f?: unknown; l?: unknown; c?: unknown; t?: unknown };
    if ((m.f !== "report" && m.f !== "contact") || (m.l !== "nl" && m.l !== "en")) return undefined;
    if (typeof m.c !== "string" || typeof m.t !== "string") return undefined;
    return { form: m.f, locale: m.l, channel: m.c, ts: m.t };
  } catch {
    return undefined;
  }
}

/** The form as a modal: one input block per field (block_id = field id), all optional unless required. */
export function formModal(input: RenderedInput, meta: FormMetadata): Block {
  const blocks: Block[] = [];
  // The modal title is cut at 24 characters by Slack, so the full title is repeated in the body.
  blocks.push({ type: "section", text: mrkdwn(`*${input.title}*${input.intro ? `\n${input.intro}` : ""}`) });
  for (const field of input.fields) {
    const element: Block = field.options
      ? {
          type: "static_select",
          action_id: FIELD_ACTION_ID,
          options: field.options.map((o) => ({ text: plain(o.label, OPTION_TEXT_MAX), value: o.id })),
          ...initialOption(field.options, field.initial, OPTION_TEXT_MAX),
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
    blocks.push({
      type: "input",
      block_id: field.id,
      optional: !field.required,
      label: plain(field.label, 2000),
      ...(field.hint ? { hint: plain(field.hint, 2000) } : {}),
      element,
    });
  }
  return {
    type: "modal",
    callback_id: FORM_CALLBACK_ID,
    title: plain(input.title, MODAL_TEXT_MAX),
    submit: plain(input.submit, MODAL_TEXT_MAX),
    close: plain(input.cancel, MODAL_TEXT_MAX),
    private_metadata: encodeMetadata(meta),
    // Closing the modal is not an event for the flow: nothing was entered, nothing changes.
    notify_on_close: false,
    blocks,
  };
}

function initialOption(options: { id: string; label: string }[], initial: string | undefined, max: number) {
  const match = options.find((o) => o.id === initial);
  return match ? { initial_option: { text: plain(match.label, max), value: match.id } } : {};
}

/** Field values from a view_submission's state, keyed by field id. */
export function submittedValues(state: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  const byBlock = (state as { values?: Record<string, Record<string, unknown>> } | undefined)?.values ?? {};
  for (const [blockId, actions] of Object.entries(byBlock)) {
    const action = actions?.[FIELD_ACTION_ID] as
      | { value?: unknown; selected_option?: { value?: unknown } | null }
      | undefined;
    if (!action) continue;
    const value = typeof action.value === "string" ? action.value : action.selected_option?.value;
    if (typeof value === "string") values[blockId] = value;
  }
  return values;
}

/**
 * The App Home tab: what a counsellor does, who the counsellors are (from the config) and where
 * urgent help is. Static per locale; it never touches a conversation.
 */
export function homeView(config: Config, locale: Locale): Block {
  const blocks: Block[] = [
    ...textSections(t(locale, "home.start")),
    ...textSections(t(locale, "info.role")),
    { type: "divider" },
  ];
  for (const c of config.counsellors) {
    const params = {
      id: c.id,
      name: escapeMrkdwn(c.name),
      kind: c.kind,
      languages: c.languages.join(","),
      intro: escapeMrkdwn(c.introduction[locale] ?? c.introduction.nl),
    };
    blocks.push(...textSections(t(locale, "info.counsellor", params)));
  }
  blocks.push({ type: "divider" }, ...textSections(t(locale, "urgent.referrals")));
  return { type: "home", blocks: blocks.slice(0, 100) };
}
