/**
 * Message lookup for adapters. Adapters turn Prompt data into text with `t` / `renderPrompt`
 * and then into their platform's UI.
 */
import type { Locale } from "../../flows/domain.ts";
import type { FieldError } from "../../flows/intake/forms.ts";
import type { Choice, FieldSpec, InputRequest, MessageId, Params, Prompt } from "../../flows/model.ts";
import { en } from "./en.ts";
import { nl } from "./nl.ts";
import type { Catalog } from "./types.ts";

export const CATALOGS: Record<Locale, Catalog> = { nl, en };

export function t(locale: Locale, id: MessageId, params: Params = {}): string {
  const entry = CATALOGS[locale][id] ?? CATALOGS.nl[id];
  const lookup = (other: MessageId, p?: Params) => t(locale, other, p);
  const text = typeof entry === "function" ? entry(params, lookup) : entry;
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

/** The words under a field the melder must fix (both platforms' forms show the same). */
export function fieldErrorText(locale: Locale, error: FieldError, maxLength: number): string {
  const id =
    error.error === "tooLong"
      ? "notice.fieldTooLong"
      : error.error === "required"
        ? "notice.fieldRequired"
        : "notice.fieldInvalid";
  return t(locale, id, { field: error.field, max: maxLength });
}

export interface RenderedChoice {
  id: string;
  label: string;
  style?: "primary" | "danger";
  opensForm?: boolean;
  /** A link the platform opens in a browser; pressing it sends no event. */
  url?: string;
}
export interface RenderedField {
  id: string;
  label: string;
  hint?: string;
  multiline: boolean;
  /** The limit on this platform (Slack inputs hold at most 3,000 characters). */
  maxLength: number;
  required: boolean;
  options?: RenderedChoice[];
  initial?: string;
}
export interface RenderedInput {
  form: InputRequest["form"];
  fields: RenderedField[];
}
export interface RenderedPrompt {
  text: string;
  choices: RenderedChoice[];
  options?: RenderedChoice[];
  input?: RenderedInput;
  submit?: RenderedChoice;
  notice: boolean;
}

export interface RenderOptions {
  /**
   * Applied to every string param before it is put into a text: text from the config (names,
   * introductions) or from the melder must not be read as markup by the platform. Not applied
   * to labels (buttons, options), which are plain text everywhere.
   */
  escape?: (text: string) => string;
  /** The platform's own limit for a field, when lower than the flow's (Slack: 3,000). */
  maxLength?: (field: FieldSpec) => number;
}

/**
 * Params that hold ids the catalogs look up or compare (`topic.${topic}`, `wish.${wishes}`, a
 * field's label), never text shown as it is. Escaping them would break the lookup: Teams escapes
 * `_`, and "sexual_harassment" would no longer name a message.
 */
const ID_PARAMS = new Set([
  "topic",
  "group",
  "mode",
  "identity",
  "wishes",
  "kind",
  "languages",
  "status",
  "field",
  "id",
]);

const escaped = (
  params: Params | undefined,
  esc: ((s: string) => string) | undefined,
): Params | undefined => {
  if (!params || !esc) return params;
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, typeof v === "string" && !ID_PARAMS.has(k) ? esc(v) : v]),
  );
};

/**
 * A button or option label. Labels are plain text on every platform (Slack `plain_text`, Teams
 * action titles and choices), never markup, so they are not escaped: an escape would show.
 */
export function renderChoice(locale: Locale, c: Choice, _options: RenderOptions = {}): RenderedChoice {
  return {
    id: c.id,
    label: t(locale, c.label, c.params),
    ...(c.style ? { style: c.style } : {}),
    ...(c.opensForm ? { opensForm: true } : {}),
    ...(c.url ? { url: c.url } : {}),
  };
}

export function renderInput(locale: Locale, input: InputRequest, options: RenderOptions = {}): RenderedInput {
  return {
    form: input.form,
    fields: input.fields.map((f: FieldSpec) => {
      const maxLength = Math.min(f.maxLength, options.maxLength?.(f) ?? f.maxLength);
      return {
        id: f.id,
        label: t(locale, f.label),
        hint: f.hint ? t(locale, f.hint, { max: maxLength }) : undefined,
        multiline: f.multiline,
        maxLength,
        required: f.required,
        options: f.options?.map((o) => renderChoice(locale, o, options)),
        initial: f.initial,
      };
    }),
  };
}

export function renderPrompt(locale: Locale, prompt: Prompt, options: RenderOptions = {}): RenderedPrompt {
  return {
    text: t(locale, prompt.text, escaped(prompt.params, options.escape)),
    choices: (prompt.choices ?? []).map((c) => renderChoice(locale, c, options)),
    ...(prompt.options ? { options: prompt.options.map((c) => renderChoice(locale, c, options)) } : {}),
    ...(prompt.input ? { input: renderInput(locale, prompt.input, options) } : {}),
    ...(prompt.submit ? { submit: renderChoice(locale, prompt.submit, options) } : {}),
    notice: prompt.notice === true,
  };
}
