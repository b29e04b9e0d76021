/**
 * Presentation for Teams: chat cards (neutral navigation, one per turn) and the form as a dialog
 * (task module) whose cards are the invoke's HTTP response to the melder's own client — never a
 * chat message, so only they may hold the matter.
 *
 * Adaptive Cards 1.5. Teams does not wrap action titles and cuts rows of buttons, so choices are
 * stacked vertically (one ActionSet per choice) and a form's question is an Input.ChoiceSet.
 */
import { randomBytes } from "node:crypto";
import type { Locale } from "../../flows/domain.ts";
import { type FieldError, contactForm, reportForm } from "../../flows/intake/forms.ts";
import type { MessageId, Prompt } from "../../flows/model.ts";
import {
  CATALOGS,
  type RenderedChoice,
  type RenderedInput,
  type RenderedPrompt,
  fieldErrorText,
  renderChoice,
  renderInput,
  renderPrompt,
  t,
} from "../../src/content/index.ts";
import type { FormOutput } from "../../src/conversation/types.ts";

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
const SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
/** The `verb` teams-ai routes by (see routes.ts). */
export const VERB = { choice: "vt_choice", open: "vt_open", form: "vt_form" } as const;
export const CHOICE_INPUT_ID = "vt_choice_input";
/** TextBlocks one text may become; further lines join the last one (see textBlocks). */
const TEXT_BLOCKS_MAX = 40;

type Element = Record<string, unknown>;

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: Element[];
  actions?: Element[];
  msteams?: { width: "Full" };
}

/** The TaskInfo of a task module "continue" response: a dialog with an Adaptive Card. */
export interface DialogTaskInfo {
  title: string;
  width: "small" | "medium" | "large";
  height: "small" | "medium" | "large";
  card: { contentType: typeof CARD_CONTENT_TYPE; content: AdaptiveCard };
}

/** What the dialog's main button means, so its submit becomes the right flow event. */
export type SubmitMeaning = "option" | "report" | "contact" | `choice:${string}`;

/**
 * Teams markdown: config and melder text is shown literally, not as markup. An underscore inside
 * a word is never emphasis, so it stays as it is — which also keeps ids intact that catalogs look
 * messages up by (review params like topic "sexual_harassment" pass through this escape too).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*`[\]#>~|])/g, "\\$1").replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "\\_");
}

const render = (locale: Locale, p: Prompt): RenderedPrompt =>
  renderPrompt(locale, p, { escape: escapeMarkdown });

/** One chat card per turn: the texts, then each choice on its own row. */
export function chatCard(locale: Locale, prompts: Prompt[], seq: number): AdaptiveCard {
  const rendered = prompts.map((p) => render(locale, p));
  const nonce = randomBytes(6).toString("base64url");
  const body: Element[] = rendered.flatMap((r, i) => textBlocks(r.text, i > 0));
  for (const c of rendered.flatMap((r) => r.choices)) body.push(actionRow(chatAction(c, seq, nonce)));
  return card(body);
}

/** An answered chat card: its text stays, its buttons go, one neutral mark whatever was chosen. */
export function answeredCard(locale: Locale, prompts: Prompt[]): AdaptiveCard {
  const rendered = prompts.map((p) => render(locale, p));
  return card([
    ...rendered.flatMap((r, i) => textBlocks(r.text, i > 0)),
    { type: "TextBlock", text: "✓", isSubtle: true, spacing: "Small" },
  ]);
}

function chatAction(c: RenderedChoice, seq: number, nonce: string): Element {
  const style =
    c.style === "primary" ? { style: "positive" } : c.style === "danger" ? { style: "destructive" } : {};
  // A link (the secure web page): Teams opens it in the browser and sends the bot nothing.
  if (c.url) return { type: "Action.OpenUrl", title: c.label, url: c.url };
  if (c.opensForm) {
    // The task-module kind of Action.Submit: Teams opens a dialog and sends task/fetch.
    return {
      type: "Action.Submit",
      title: c.label,
      ...style,
      associatedInputs: "none",
      data: { msteams: { type: "task/fetch" }, verb: VERB.open, vt: { s: seq, n: nonce } },
    };
  }
  return {
    type: "Action.Submit",
    title: c.label,
    ...style,
    associatedInputs: "none",
    data: { verb: VERB.choice, vt: { c: c.id, s: seq, n: nonce } },
  };
}

export interface DialogOptions {
  /** Values the melder entered, shown again (after a refused submit). */
  values?: Record<string, string>;
  errors?: FieldError[];
  /** A notice above the form, e.g. that saving is temporarily impossible. */
  notice?: string;
}

/** The form step as a dialog. */
export function formDialog(out: FormOutput, options: DialogOptions = {}): DialogTaskInfo {
  const rendered = out.prompts.map((p) => render(out.locale, p));
  const step = [...rendered].reverse().find((r) => !r.notice) ?? rendered[rendered.length - 1];
  const body: Element[] = [];
  if (options.notice) body.push(...textBlocks(options.notice, false, "attention"));
  else if (options.errors?.length)
    body.push(...textBlocks(t(out.locale, "notice.formErrors"), false, "attention"));
  for (const r of rendered) {
    body.push(...textBlocks(r.text, body.length > 0, r.notice && r !== step ? "accent" : undefined));
    if (r !== step) continue;
    if (r.options) body.push(choiceSet(out.locale, r.options));
    if (r.input) body.push(...fieldBlocks(out.locale, r.input, options.values ?? {}, options.errors ?? []));
  }
  const vt: DialogRef = { t: out.token ?? "", s: out.seq ?? 0, l: out.locale };
  const side = step?.choices ?? [];
  // Danger is one tap away in every form view, also one the flow did not draw (a form that is gone).
  const buttons = side.some((c) => c.id === "danger") ? side : [...side, globalChoice(out.locale, "danger")];
  body.push(...sideButtons(buttons, vt));
  const submit = step?.submit && !out.finished ? step.submit : undefined;
  const meaning: SubmitMeaning | undefined = !submit
    ? undefined
    : step?.options
      ? "option"
      : step?.input
        ? step.input.form
        : `choice:${submit.id}`;
  const actions = submit
    ? [
        {
          type: "Action.Submit",
          title: submit.label,
          ...styleOf(submit),
          data: { verb: VERB.form, vt: { ...vt, a: "submit", m: meaning } },
        },
      ]
    : [];
  const large = Boolean(step?.input);
  return {
    title: t(out.locale, "form.title"),
    width: large ? "large" : "medium",
    height: large ? "large" : "medium",
    card: {
      contentType: CARD_CONTENT_TYPE,
      content: { ...card(body), ...(actions.length > 0 ? { actions } : {}) },
    },
  };
}

/** What a retried dialog button sends again: the button (a), what the main button meant (m), the option picked (r). */
export interface Again {
  a: string;
  m?: SubmitMeaning;
  r?: string;
}

/**
 * The fields the melder just submitted, with an honest notice, when they could not be taken in
 * (nothing could be saved, or a draft that had timed out came back with errors): the dialog stays
 * open with everything they typed, and its main button sends the same press again.
 */
export function retryDialog(
  vt: DialogRef,
  again: Again,
  values: Record<string, string>,
  notice: string,
  errors: FieldError[] = [],
): DialogTaskInfo {
  const locale = vt.l;
  const body: Element[] = [...textBlocks(notice, false, "attention")];
  if (again.m === "report" || again.m === "contact") {
    const spec = again.m === "report" ? reportForm({}) : contactForm(undefined);
    body.push(...fieldBlocks(locale, renderInput(locale, spec, { escape: escapeMarkdown }), values, errors));
  }
  body.push(...sideButtons([globalChoice(locale, "danger"), globalChoice(locale, "stop")], vt));
  const label = `choice.${again.a}`;
  const title =
    again.a !== "submit" && label in CATALOGS[locale]
      ? t(locale, label as MessageId)
      : t(locale, "choice.next");
  return {
    title: t(locale, "form.title"),
    width: again.m === "report" ? "large" : "medium",
    height: again.m === "report" ? "large" : "medium",
    card: {
      contentType: CARD_CONTENT_TYPE,
      content: {
        ...card(body),
        actions: [
          {
            type: "Action.Submit",
            title,
            style: "positive",
            data: { verb: VERB.form, vt: { ...vt, ...again } },
          },
        ],
      },
    },
  };
}

/** Danger and referrals inside the dialog, with the way back to the form as it was, and stop. */
export function dangerDialog(vt: DialogRef): DialogTaskInfo {
  const locale = vt.l;
  return {
    title: t(locale, "form.dangerTitle"),
    width: "medium",
    height: "medium",
    card: {
      contentType: CARD_CONTENT_TYPE,
      content: {
        ...card([
          ...textBlocks(t(locale, "notice.danger"), false),
          ...sideButtons([globalChoice(locale, "stop")], vt),
        ]),
        actions: [
          {
            type: "Action.Submit",
            title: t(locale, "form.backToForm"),
            style: "positive",
            data: { verb: VERB.form, vt: { ...vt, a: "view" } },
          },
        ],
      },
    },
  };
}

/** What every dialog button carries back: the form's token, its step, and its language. */
export interface DialogRef {
  t: string;
  s: number;
  l: Locale;
}

const globalChoice = (locale: Locale, id: "danger" | "stop"): RenderedChoice =>
  renderChoice(locale, {
    id,
    label: `choice.${id}`,
    ...(id === "danger" ? { style: "danger" as const } : {}),
  });

/** Side buttons (back, edit, discard, danger, stop): each on its own row, sending no inputs. */
function sideButtons(choices: RenderedChoice[], vt: DialogRef): Element[] {
  return choices.map((c) =>
    // A link (the receipt's anonymous mailbox): Teams opens it in the browser, the bot hears nothing.
    c.url
      ? actionRow({ type: "Action.OpenUrl", title: c.label, url: c.url })
      : actionRow({
          type: "Action.Submit",
          title: c.label,
          associatedInputs: "none",
          ...styleOf(c),
          data: { verb: VERB.form, vt: { ...vt, a: c.id } },
        }),
  );
}

function choiceSet(locale: Locale, options: RenderedChoice[]): Element {
  return {
    type: "Input.ChoiceSet",
    id: CHOICE_INPUT_ID,
    label: t(locale, "form.pick"),
    // Radio buttons while they fit on a phone screen; a dropdown beyond.
    style: options.length <= 10 ? "expanded" : "compact",
    isRequired: true,
    errorMessage: t(locale, "form.pick"),
    choices: options.map((o) => ({ title: o.label, value: o.id })),
  };
}

function fieldBlocks(
  locale: Locale,
  input: RenderedInput,
  values: Record<string, string>,
  errors: FieldError[],
): Element[] {
  const blocks: Element[] = [];
  for (const field of input.fields) {
    const value = values[field.id] ?? field.initial ?? "";
    const required = field.required
      ? { isRequired: true, errorMessage: t(locale, "notice.fieldRequired", { field: field.id }) }
      : {};
    if (field.options) {
      blocks.push({
        type: "Input.ChoiceSet",
        id: field.id,
        label: field.label,
        style: "compact",
        ...required,
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
        ...required,
        ...(field.hint ? { placeholder: field.hint } : {}),
        ...(value ? { value } : {}),
      });
    }
    for (const e of errors.filter((x) => x.field === field.id)) {
      blocks.push({
        type: "TextBlock",
        text: fieldErrorText(locale, e, field.maxLength),
        wrap: true,
        color: "attention",
        spacing: "Small",
      });
    }
  }
  return blocks;
}

function styleOf(c: RenderedChoice): Element {
  return c.style === "primary" ? { style: "positive" } : c.style === "danger" ? { style: "destructive" } : {};
}

function actionRow(action: Element): Element {
  return { type: "ActionSet", actions: [action], spacing: "Small" };
}

function card(body: Element[]): AdaptiveCard {
  return { type: "AdaptiveCard", $schema: SCHEMA, version: "1.5", body, msteams: { width: "Full" } };
}

/**
 * Catalog text uses chat markup (*bold*, _italic_, one line per paragraph). Teams' TextBlock
 * markdown wants **bold** and paragraph breaks, so each line becomes its own block.
 */
function textBlocks(text: string, separated: boolean, color?: "attention" | "accent"): Element[] {
  const blocks: Element[] = [];
  let gap = false;
  for (const line of text.split("\n")) {
    if (line.trim().length === 0) {
      gap = true;
      continue;
    }
    const last = blocks[blocks.length - 1];
    if (last && blocks.length >= TEXT_BLOCKS_MAX) {
      // A text with very many lines (a long report on the review) continues in its last block,
      // one paragraph a line: a block per line would cost ~60 bytes of structure each.
      last.text = `${last.text}\n\n${toTeamsMarkdown(line)}`;
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

/** Catalog *bold* becomes **bold**; a lone asterisk between spaces ("2 * 3") is left alone. */
export function toTeamsMarkdown(line: string): string {
  return line.replace(/(^|[\s(])\*([^*\s](?:[^*\n]*[^*\s])?)\*(?=$|[\s).,:;!?])/g, "$1**$2**");
}
