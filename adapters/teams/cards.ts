/**
 * Prompts → Adaptive Cards 1.5. One card per turn: notices and the step's text as TextBlocks,
 * choices as Action.Submit buttons, and the report/contact form as card inputs so report text
 * never becomes a chat message.
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
  msteams?: { width: "Full" };
}

export interface RenderedCard {
  card: AdaptiveCard;
  /** Shows report or contact content (a review, or a form with values filled in). */
  sensitive: boolean;
  /** Form shown by the card, so a validation error can re-render it. */
  input?: RenderedInput;
  token: string;
}

/** Teams shows at most a handful of actions per set; longer lists wrap into further sets. */
const ACTIONS_PER_SET = 5;

export function newToken(): string {
  return randomBytes(9).toString("base64url");
}

export interface FormState {
  /** What the melder entered, kept in the inputs when the card is shown again. */
  values: Record<string, string>;
  errors: FieldError[];
}

/**
 * Renders one turn's prompts as one card. With `form`, the card is the same form shown again
 * after a validation error: entered values kept, an error line under each field that failed.
 */
export function renderTurnCard(
  locale: Locale,
  prompts: Prompt[],
  options: { token?: string; form?: FormState } = {},
): RenderedCard {
  const token = options.token ?? newToken();
  const body: Record<string, unknown>[] = [];
  const choices: RenderedChoice[] = [];
  let input: RenderedInput | undefined;
  let sensitive = false;
  if (options.form) body.push(...textBlocks(t(locale, "notice.formErrors"), false, "attention"));
  prompts.forEach((prompt, i) => {
    const rendered = renderPrompt(locale, prompt, { forChat: true });
    sensitive ||= rendered.sensitive;
    body.push(...textBlocks(rendered.text, i > 0 || options.form !== undefined));
    choices.push(...rendered.choices);
    if (rendered.input) input = rendered.input;
  });
  if (input) {
    const values = options.form?.values ?? {};
    sensitive ||= input.fields.some((f) => (values[f.id] ?? f.initial ?? "").length > 0);
    body.push(...formBlocks(locale, input, token, values, options.form?.errors ?? []));
  }
  body.push(...actionSets(choices, token, input !== undefined));
  return { card: card(body), sensitive, input, token };
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
  token: string,
  values: Record<string, string>,
  errors: FieldError[] = [],
): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [
    {
      type: "TextBlock",
      text: input.title,
      weight: "Bolder",
      size: "Medium",
      wrap: true,
      separator: true,
      spacing: "Medium",
    },
  ];
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
  blocks.push({
    type: "ActionSet",
    actions: [
      {
        type: "Action.Submit",
        title: input.submit,
        style: "positive",
        associatedInputs: "auto",
        data: { vt: { form: input.form, token, locale } },
      },
    ],
  });
  return blocks;
}

function actionSets(choices: RenderedChoice[], token: string, hasForm: boolean): Record<string, unknown>[] {
  const sets: Record<string, unknown>[] = [];
  for (let i = 0; i < choices.length; i += ACTIONS_PER_SET) {
    sets.push({
      type: "ActionSet",
      ...(i === 0 && hasForm ? { separator: true, spacing: "Medium" } : {}),
      actions: choices.slice(i, i + ACTIONS_PER_SET).map((c) => ({
        type: "Action.Submit",
        title: c.label,
        ...(c.style === "primary"
          ? { style: "positive" }
          : c.style === "danger"
            ? { style: "destructive" }
            : {}),
        // A button next to a form must not carry what was typed into it (e.g. "stop" after typing).
        associatedInputs: "none",
        data: { vt: { choice: c.id, token, label: c.label } },
      })),
    });
  }
  return sets;
}
