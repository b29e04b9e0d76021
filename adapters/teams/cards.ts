/**
 * Prompts → Adaptive Cards 1.5. One chat card per turn: notices and the step's text as
 * TextBlocks, choices as Action.Submit buttons. The report/contact form is never part of a chat
 * card: the card has a button that opens it in a dialog (task module), because Microsoft 365 keeps
 * compliance copies of chat cards, and a card with filled-in inputs would carry the report.
 */
import { randomBytes } from "node:crypto";
import type { FieldError } from "../../flows/intake/forms.ts";
import type { Prompt } from "../../flows/model.ts";
import type { Locale } from "../../src/config/schema.ts";
import { type RenderedChoice, type RenderedInput, renderPrompt, t } from "../../src/content/index.ts";

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: Record<string, unknown>[];
  actions?: Record<string, unknown>[];
  msteams?: { width: "Full" };
}

export interface RenderedCard {
  card: AdaptiveCard;
  /** Shows report or contact content (the review, even without typed text): removed after handoff. */
  sensitive: boolean;
  token: string;
}

/** The TaskInfo of a task module "continue" response: a dialog with an Adaptive Card. */
export interface DialogTaskInfo {
  title: string;
  width: "small" | "medium" | "large";
  height: "small" | "medium" | "large";
  card: { contentType: typeof CARD_CONTENT_TYPE; content: AdaptiveCard };
}

/** Teams shows at most a handful of actions per set; longer lists wrap into further sets. */
const ACTIONS_PER_SET = 5;

export function newToken(): string {
  return randomBytes(9).toString("base64url");
}

/**
 * Renders one turn's prompts as one chat card. A prompt's form becomes a single button that opens
 * the dialog; no input and no entered value is ever part of a chat card.
 */
export function renderTurnCard(
  locale: Locale,
  prompts: Prompt[],
  options: { token?: string } = {},
): RenderedCard {
  const token = options.token ?? newToken();
  const body: Record<string, unknown>[] = [];
  const choices: RenderedChoice[] = [];
  let input: RenderedInput | undefined;
  let sensitive = false;
  prompts.forEach((prompt, i) => {
    const rendered = renderPrompt(locale, prompt, { forChat: true });
    sensitive ||= rendered.sensitive;
    body.push(...textBlocks(rendered.text, i > 0));
    choices.push(...rendered.choices);
    if (rendered.input) input = rendered.input;
  });
  const open = input ? openFormAction(input, token) : undefined;
  body.push(...actionSets(choices, token, open));
  return { card: card(body), sensitive, token };
}

export interface DialogOptions {
  /** Fresh per opened dialog: the submit's de-duplication key. */
  dialog: string;
  /** The chat card whose button opened the dialog, collapsed once the form is submitted. */
  cardId?: string;
  /** What the melder entered, shown again after a failed validation; otherwise the draft's values. */
  values?: Record<string, string>;
  errors?: FieldError[];
  /** A notice above the form, e.g. that saving is temporarily impossible. */
  notice?: string;
}

/**
 * The form as a dialog (task module). Its card is the HTTP response to the melder's own client,
 * never a chat message, so it may carry the draft's values.
 */
export function renderDialog(locale: Locale, input: RenderedInput, options: DialogOptions): DialogTaskInfo {
  const errors = options.errors ?? [];
  const body: Record<string, unknown>[] = [];
  if (options.notice) body.push(...textBlocks(options.notice, false, "attention"));
  else if (errors.length > 0) body.push(...textBlocks(t(locale, "notice.formErrors"), false, "attention"));
  body.push(...formBlocks(locale, input, options.values ?? {}, errors));
  const content: AdaptiveCard = {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    actions: [
      {
        type: "Action.Submit",
        title: input.submit,
        style: "positive",
        data: {
          vt: {
            form: input.form,
            dialog: options.dialog,
            ...(options.cardId ? { card: options.cardId } : {}),
          },
        },
      },
    ],
  };
  const large = input.form === "report";
  return {
    title: input.title,
    width: large ? "large" : "medium",
    height: large ? "large" : "medium",
    card: { contentType: CARD_CONTENT_TYPE, content },
  };
}

/** An answered card: the buttons are gone so it cannot be submitted twice; only the answer stays. */
export function answeredCard(label: string): AdaptiveCard {
  return card([{ type: "TextBlock", text: `✔ ${escapeMarkdown(label)}`, wrap: true, isSubtle: true }]);
}

/** What a removed sensitive card is replaced by when it cannot be deleted. */
export function neutralCard(locale: Locale): AdaptiveCard {
  return card([
    { type: "TextBlock", text: t(locale, "notice.removedSensitive"), wrap: true, isSubtle: true },
  ]);
}

function card(body: Record<string, unknown>[]): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    msteams: { width: "Full" },
  };
}

/**
 * Catalog text uses chat markup (*bold*, _italic_, one line per paragraph). Teams' TextBlock
 * markdown wants **bold** and paragraph breaks, so each line becomes its own block.
 */
function textBlocks(text: string, separated: boolean, color?: "attention"): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  let gap = false;
  for (const line of text.split("\n")) {
    if (line.trim().length === 0) {
      gap = true;
      continue;
    }
    const first = blocks.length === 0;
    blocks.push({
      type: "TextBlock",
      text: toTeamsMarkdown(line),
      wrap: true,
      ...(first && separated
        ? { separator: true, spacing: "Medium" }
        : { spacing: first ? "Default" : gap ? "Medium" : "Small" }),
      ...(color ? { color } : {}),
    });
    gap = false;
  }
  return blocks;
}

export function toTeamsMarkdown(line: string): string {
  return line.replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, "$1**$2**");
}

/** Card text that came from the melder or the client is shown literally, not as markdown. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_`[\]#>~|-])/g, "\\$1");
}

function formBlocks(
  locale: Locale,
  input: RenderedInput,
  values: Record<string, string>,
  errors: FieldError[],
): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (input.intro) blocks.push(...textBlocks(input.intro, false));
  for (const field of input.fields) {
    const value = values[field.id] ?? field.initial ?? "";
    if (field.options) {
      blocks.push({
        type: "Input.ChoiceSet",
        id: field.id,
        label: field.label,
        style: "compact",
        isRequired: field.required,
        choices: field.options.map((o) => ({ title: o.label, value: o.id })),
        ...(value ? { value } : {}),
      });
    } else {
      blocks.push({
        type: "Input.Text",
        id: field.id,
        label: field.label,
        isMultiline: field.multiline,
        maxLength: field.maxLength,
        isRequired: field.required,
        ...(field.hint ? { placeholder: field.hint } : {}),
        ...(value ? { value } : {}),
      });
    }
    for (const e of errors.filter((x) => x.field === field.id)) {
      const id =
        e.error === "tooLong"
          ? "notice.fieldTooLong"
          : e.error === "required"
            ? "notice.fieldRequired"
            : "notice.fieldInvalid";
      blocks.push({
        type: "TextBlock",
        text: t(locale, id, { field: field.id, max: field.maxLength }),
        wrap: true,
        color: "attention",
        spacing: "Small",
      });
    }
  }
  return blocks;
}

/** The task-module kind of Action.Submit: Teams sends task/fetch instead of a chat message. */
function openFormAction(input: RenderedInput, token: string): Record<string, unknown> {
  return {
    type: "Action.Submit",
    title: input.open,
    style: "positive",
    associatedInputs: "none",
    data: { msteams: { type: "task/fetch" }, vt: { form: input.form, token } },
  };
}

function actionSets(
  choices: RenderedChoice[],
  token: string,
  open: Record<string, unknown> | undefined,
): Record<string, unknown>[] {
  const actions: Record<string, unknown>[] = open ? [open] : [];
  actions.push(...choices.map((c) => choiceAction(c, token)));
  const sets: Record<string, unknown>[] = [];
  for (let i = 0; i < actions.length; i += ACTIONS_PER_SET) {
    sets.push({ type: "ActionSet", actions: actions.slice(i, i + ACTIONS_PER_SET) });
  }
  return sets;
}

function choiceAction(c: RenderedChoice, token: string): Record<string, unknown> {
  return {
    type: "Action.Submit",
    title: c.label,
    ...(c.style === "primary" ? { style: "positive" } : c.style === "danger" ? { style: "destructive" } : {}),
    associatedInputs: "none",
    data: { vt: { choice: c.id, token, label: c.label } },
  };
}
