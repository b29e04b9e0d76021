/**
 * Message lookup for adapters. Adapters turn Prompt data into text with `t` / `renderPrompt`
 * and then into their platform's UI.
 */
import type { Choice, FieldSpec, InputRequest, MessageId, Params, Prompt } from "../../flows/model.ts";
import type { Locale } from "../config/schema.ts";
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

export interface RenderedChoice {
  id: string;
  label: string;
  style?: "primary" | "danger";
}
export interface RenderedField {
  id: string;
  label: string;
  hint?: string;
  multiline: boolean;
  maxLength: number;
  required: boolean;
  options?: RenderedChoice[];
  initial?: string;
}
export interface RenderedInput {
  form: InputRequest["form"];
  title: string;
  intro?: string;
  open: string;
  submit: string;
  cancel: string;
  fields: RenderedField[];
}
export interface RenderedPrompt {
  text: string;
  choices: RenderedChoice[];
  input?: RenderedInput;
  sensitive: boolean;
}

export function renderChoice(locale: Locale, c: Choice): RenderedChoice {
  return { id: c.id, label: t(locale, c.label, c.params), ...(c.style ? { style: c.style } : {}) };
}

export function renderInput(locale: Locale, input: InputRequest): RenderedInput {
  return {
    form: input.form,
    title: t(locale, input.title),
    intro: input.intro ? t(locale, input.intro) : undefined,
    open: t(locale, input.open),
    submit: t(locale, "form.submit"),
    cancel: t(locale, "form.cancel"),
    fields: input.fields.map((f: FieldSpec) => ({
      id: f.id,
      label: t(locale, f.label),
      hint: f.hint ? t(locale, f.hint) : undefined,
      multiline: f.multiline,
      maxLength: f.maxLength,
      required: f.required,
      options: f.options?.map((o) => renderChoice(locale, o)),
      initial: f.initial,
    })),
  };
}

/**
 * `forChat`: the text goes into a chat platform's history (Slack, Teams). Sensitive prompts (the
 * review) are then rendered without what the melder typed: only that a field was filled in.
 */
export function renderPrompt(
  locale: Locale,
  prompt: Prompt,
  options: { forChat?: boolean } = {},
): RenderedPrompt {
  const params = options.forChat && prompt.sensitive ? { ...prompt.params, redact: 1 } : prompt.params;
  return {
    text: t(locale, prompt.text, params),
    choices: (prompt.choices ?? []).map((c) => renderChoice(locale, c)),
    input: prompt.input ? renderInput(locale, prompt.input) : undefined,
    sensitive: prompt.sensitive === true,
  };
}
