/**
 * Slack Block Kit limits, checked by hand: Slack publishes no JSON schema for Block Kit. Every
 * number below is from the JSDoc of `@slack/types` 3.2.0 (the version `@slack/bolt` 5.1.0 brings;
 * node_modules/@slack/types/dist/{views.d.ts, block-kit/blocks.d.ts, block-kit/block-elements.d.ts,
 * block-kit/composition-objects.d.ts, block-kit/extensions.d.ts}), which quotes Slack's reference:
 *   https://docs.slack.dev/reference/block-kit/blocks
 *   https://docs.slack.dev/reference/block-kit/block-elements
 *   https://docs.slack.dev/reference/block-kit/composition-objects
 *   https://docs.slack.dev/reference/views (modals and Home tabs)
 *   https://docs.slack.dev/reference/methods/chat.postMessage (50 blocks, 40,000 characters of text)
 * Where the types and the web reference differ (an option's `value`: 75 in the types, 150 on the
 * web), the stricter number is used.
 *
 * Beyond the numbers, the checks hold the adapter to what it promises: only the block and element
 * types and keys it means to send, mrkdwn with no raw `<`, `>` or `&` (config and melder text is
 * escaped; the adapter sends no links or mentions), and unique block and action ids.
 */

export const SLACK = {
  messageBlocks: 50, // chat.postMessage: "up to 50 blocks"
  viewBlocks: 100, // views.d.ts: "Max of 100 blocks" (modals and Home tabs)
  messageText: 40_000, // chat.postMessage: text is truncated beyond 40,000 characters
  modalTitle: 24, // views.d.ts: title, close, submit "maximum length of 24 characters"
  privateMetadata: 3000, // views.d.ts
  callbackId: 255, // views.d.ts
  blockId: 255, // blocks.d.ts
  sectionText: 3000, // blocks.d.ts (Section.text: 1–3000)
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  actionsElements: 25, // blocks.d.ts: "maximum of 25 elements in each action block"
  inputLabel: 2000, // blocks.d.ts (Input.label)
  inputHint: 2000, // blocks.d.ts (Input.hint)
  actionId: 255, // extensions.d.ts
  buttonText: 75, // block-elements.d.ts
  buttonValue: 2000, // block-elements.d.ts
  optionText: 75, // composition-objects.d.ts
  optionValue: 75, // composition-objects.d.ts (the web reference says 150)
  selectOptions: 100, // block-elements.d.ts (StaticSelect.options)
  radioOptions: 10, // block-elements.d.ts (RadioButtons.options)
  placeholder: 150, // extensions.d.ts
  inputMaxLength: 3000, // block-elements.d.ts (PlainTextInput) and Slack's reference
} as const;

export interface Violation {
  where: string;
  rule: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const BLOCK_KEYS: Record<string, string[]> = {
  section: ["type", "block_id", "text", "fields", "accessory"],
  actions: ["type", "block_id", "elements"],
  context: ["type", "block_id", "elements"],
  divider: ["type", "block_id"],
  input: ["type", "block_id", "label", "element", "hint", "optional", "dispatch_action"],
};
const ELEMENT_KEYS: Record<string, string[]> = {
  button: ["type", "action_id", "text", "value", "style", "url", "confirm", "accessibility_label"],
  static_select: [
    "type",
    "action_id",
    "options",
    "placeholder",
    "initial_option",
    "confirm",
    "focus_on_load",
  ],
  radio_buttons: ["type", "action_id", "options", "initial_option", "confirm", "focus_on_load"],
  plain_text_input: [
    "type",
    "action_id",
    "placeholder",
    "initial_value",
    "multiline",
    "min_length",
    "max_length",
    "focus_on_load",
  ],
};

class Checker {
  readonly violations: Violation[] = [];
  private blockIds = new Set<string>();
  constructor(private readonly surface: "message" | "modal" | "home") {}

  fail(where: string, rule: string): void {
    this.violations.push({ where, rule });
  }

  text(where: string, t: unknown, max: number, kind: "plain_text" | "mrkdwn" | "any" = "any"): void {
    if (!isObj(t)) {
      this.fail(where, "text object missing");
      return;
    }
    if (t.type !== "plain_text" && t.type !== "mrkdwn") {
      this.fail(where, `text type ${String(t.type)}`);
      return;
    }
    if (kind !== "any" && t.type !== kind) this.fail(where, `must be ${kind}`);
    const s = t.text;
    if (typeof s !== "string" || s.length === 0) {
      this.fail(where, "empty text");
      return;
    }
    if (s.length > max) this.fail(where, `text ${s.length} > ${max} characters`);
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s))
      this.fail(where, "half of a surrogate pair");
    if (t.type === "mrkdwn") {
      // Config and melder text is escaped, and the adapter sends no links or mentions.
      if (/[<>]/.test(s)) this.fail(where, "raw < or > in mrkdwn");
      if (/&(?!(amp|lt|gt);)/.test(s)) this.fail(where, "raw & in mrkdwn");
    }
    const keys = Object.keys(t).filter((k) => !["type", "text", "emoji", "verbatim"].includes(k));
    if (keys.length > 0) this.fail(where, `unknown keys ${keys.join(",")}`);
  }

  blocks(where: string, blocks: unknown, max: number): void {
    if (!Array.isArray(blocks)) {
      this.fail(where, "blocks is not an array");
      return;
    }
    if (blocks.length === 0) this.fail(where, "no blocks");
    if (blocks.length > max) this.fail(where, `${blocks.length} blocks > ${max}`);
    blocks.forEach((b, i) => this.block(`${where}[${i}]`, b));
  }

  block(where: string, b: unknown): void {
    if (!isObj(b)) {
      this.fail(where, "block is not an object");
      return;
    }
    const type = String(b.type);
    const keys = BLOCK_KEYS[type];
    if (!keys) {
      this.fail(where, `block type ${type} not used by the adapter`);
      return;
    }
    for (const k of Object.keys(b)) if (!keys.includes(k)) this.fail(where, `unknown key ${k}`);
    if (b.block_id !== undefined) {
      const id = String(b.block_id);
      if (id.length === 0 || id.length > SLACK.blockId) this.fail(where, `block_id length ${id.length}`);
      if (this.blockIds.has(id)) this.fail(where, `duplicate block_id ${id}`);
      this.blockIds.add(id);
    }
    switch (type) {
      case "section":
        if (b.text === undefined && b.fields === undefined) this.fail(where, "section without text");
        if (b.text !== undefined) this.text(`${where}.text`, b.text, SLACK.sectionText);
        if (Array.isArray(b.fields)) {
          if (b.fields.length > SLACK.sectionFields) this.fail(where, "too many fields");
          b.fields.forEach((f, i) => this.text(`${where}.fields[${i}]`, f, SLACK.sectionFieldText));
        }
        break;
      case "actions": {
        const els = b.elements;
        if (!Array.isArray(els) || els.length === 0) {
          this.fail(where, "actions without elements");
          return;
        }
        if (els.length > SLACK.actionsElements) this.fail(where, `${els.length} elements > 25`);
        const ids = new Set<string>();
        els.forEach((e, i) => {
          if (isObj(e) && typeof e.action_id === "string") {
            if (ids.has(e.action_id)) this.fail(`${where}.elements[${i}]`, "duplicate action_id in block");
            ids.add(e.action_id);
          }
          if (!isObj(e) || e.type !== "button") {
            this.fail(`${where}.elements[${i}]`, "not a button");
            return;
          }
          this.element(`${where}.elements[${i}]`, e);
        });
        break;
      }
      case "context": {
        const els = b.elements;
        if (!Array.isArray(els) || els.length === 0 || els.length > SLACK.contextElements)
          this.fail(where, "context elements 1–10");
        else els.forEach((e, i) => this.text(`${where}.elements[${i}]`, e, SLACK.sectionText));
        break;
      }
      case "input":
        if (this.surface === "message") this.fail(where, "input block in a message");
        this.text(`${where}.label`, b.label, SLACK.inputLabel, "plain_text");
        if (b.hint !== undefined) this.text(`${where}.hint`, b.hint, SLACK.inputHint, "plain_text");
        if (b.optional !== undefined && typeof b.optional !== "boolean")
          this.fail(where, "optional not boolean");
        this.element(`${where}.element`, b.element);
        break;
    }
  }

  element(where: string, e: unknown): void {
    if (!isObj(e)) {
      this.fail(where, "element is not an object");
      return;
    }
    const type = String(e.type);
    const keys = ELEMENT_KEYS[type];
    if (!keys) {
      this.fail(where, `element type ${type} not used by the adapter`);
      return;
    }
    for (const k of Object.keys(e)) if (!keys.includes(k)) this.fail(where, `unknown key ${k}`);
    const actionId = e.action_id;
    if (typeof actionId !== "string" || actionId.length === 0 || actionId.length > SLACK.actionId)
      this.fail(where, "action_id missing or longer than 255");
    if (e.placeholder !== undefined)
      this.text(`${where}.placeholder`, e.placeholder, SLACK.placeholder, "plain_text");
    switch (type) {
      case "button":
        this.text(`${where}.text`, e.text, SLACK.buttonText, "plain_text");
        if (e.value !== undefined && (typeof e.value !== "string" || e.value.length > SLACK.buttonValue))
          this.fail(where, "button value longer than 2000");
        if (e.style !== undefined && e.style !== "primary" && e.style !== "danger")
          this.fail(where, "bad style");
        break;
      case "static_select":
      case "radio_buttons": {
        const max = type === "radio_buttons" ? SLACK.radioOptions : SLACK.selectOptions;
        const options = e.options;
        if (!Array.isArray(options) || options.length === 0) {
          this.fail(where, "no options");
          return;
        }
        if (options.length > max) this.fail(where, `${options.length} options > ${max}`);
        const values = new Set<string>();
        options.forEach((o, i) => this.option(`${where}.options[${i}]`, o, values));
        if (e.initial_option !== undefined) {
          const init = e.initial_option as Json;
          if (!values.has(String(init.value))) this.fail(where, "initial_option is not one of the options");
          this.option(`${where}.initial_option`, init, new Set());
        }
        break;
      }
      case "plain_text_input": {
        const max = e.max_length;
        if (max !== undefined && (typeof max !== "number" || max < 1 || max > SLACK.inputMaxLength))
          this.fail(where, `max_length ${String(max)} not in 1–3000`);
        const initial = e.initial_value;
        if (initial !== undefined) {
          if (typeof initial !== "string") this.fail(where, "initial_value not a string");
          else if (initial.length > (typeof max === "number" ? max : SLACK.inputMaxLength))
            this.fail(where, "initial_value longer than max_length");
        }
        break;
      }
    }
  }

  option(where: string, o: unknown, values: Set<string>): void {
    if (!isObj(o)) {
      this.fail(where, "option is not an object");
      return;
    }
    this.text(`${where}.text`, o.text, SLACK.optionText, "plain_text");
    const v = o.value;
    if (typeof v !== "string" || v.length === 0 || v.length > SLACK.optionValue)
      this.fail(where, `option value missing or longer than ${SLACK.optionValue}`);
    else if (values.has(v)) this.fail(where, `duplicate option value ${v}`);
    else values.add(v);
  }
}

/** A chat.postMessage / chat.update body. */
export function checkMessage(body: { text?: unknown; blocks?: unknown }): Violation[] {
  const c = new Checker("message");
  if (typeof body.text !== "string" || body.text.length === 0) c.fail("text", "fallback text missing");
  else if (body.text.length > SLACK.messageText) c.fail("text", "fallback text longer than 40,000");
  c.blocks("blocks", body.blocks, SLACK.messageBlocks);
  return c.violations;
}

/** A modal view (views.open, views.update, views.push, response_action: update). */
export function checkModal(view: Json): Violation[] {
  const c = new Checker("modal");
  if (view.type !== "modal") c.fail("type", "not a modal");
  c.text("title", view.title, SLACK.modalTitle, "plain_text");
  if (view.close !== undefined) c.text("close", view.close, SLACK.modalTitle, "plain_text");
  if (view.submit !== undefined) c.text("submit", view.submit, SLACK.modalTitle, "plain_text");
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Json[]) : [];
  // views.d.ts: "`submit` is required when an input block is within the `blocks` array".
  if (blocks.some((b) => b.type === "input") && view.submit === undefined)
    c.fail("submit", "input without submit");
  const meta = view.private_metadata;
  if (meta !== undefined && (typeof meta !== "string" || meta.length > SLACK.privateMetadata))
    c.fail("private_metadata", "longer than 3000");
  const cb = view.callback_id;
  if (cb !== undefined && (typeof cb !== "string" || cb.length > SLACK.callbackId))
    c.fail("callback_id", "> 255");
  c.blocks("blocks", view.blocks, SLACK.viewBlocks);
  return c.violations;
}

/** A Home tab (views.publish). */
export function checkHome(view: Json): Violation[] {
  const c = new Checker("home");
  if (view.type !== "home") c.fail("type", "not a home view");
  c.blocks("blocks", view.blocks, SLACK.viewBlocks);
  return c.violations;
}

/** `response_action: errors`: every key must be an input block of the view the melder sees. */
export function checkErrors(errors: Record<string, string>, view: Json): Violation[] {
  const inputs = new Set(
    ((view.blocks as Json[]) ?? []).filter((b) => b.type === "input").map((b) => String(b.block_id)),
  );
  const out: Violation[] = [];
  for (const [key, message] of Object.entries(errors)) {
    if (!inputs.has(key)) out.push({ where: `errors.${key}`, rule: "not an input block of the view" });
    if (message.length === 0 || message.length > SLACK.inputHint)
      out.push({ where: `errors.${key}`, rule: "message empty or longer than 2000" });
  }
  return out;
}

/** The ids of every button in a payload, in order (danger and stop must be among them). */
/**
 * A button label the melder can read whole: Slack allows 75 characters but cuts a label on a
 * narrow screen long before that; the project's rule (issue 12) is 30. Option texts of radio
 * buttons and selects are not buttons: Slack wraps or lists them, so their limit stays 75.
 */
export const BUTTON_LABEL_MAX = 30;

/** Every button's label in blocks (actions blocks and section accessories alike). */
export function buttonLabels(blocks: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) visit(n);
    else if (isObj(node)) {
      if (node.type === "button" && isObj(node.text)) out.push(String(node.text.text));
      for (const v of Object.values(node)) visit(v);
    }
  };
  visit(blocks);
  return out;
}

export function buttonIds(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [];
  return blocks
    .filter((b): b is Json => isObj(b) && b.type === "actions")
    .flatMap((b) => (b.elements as Json[]).map((e) => String(e.action_id)));
}
