/**
 * Teams payload checks: the official Adaptive Cards 1.5 JSON schema (vendored, see
 * schemas/README.md) through Ajv, the size Teams counts, and the layout rules the adapter promises.
 *
 * Size: "The bot message size limit is 100 KB … encoded as UTF-16 … it's recommended to ensure
 * that the size of the message itself is within 80 KB to guarantee successful message delivery"
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages).
 * UTF-16 is two bytes per JavaScript string unit, so a payload's size is 2 × its JSON length.
 * The suite fails above 80 KB — inside the 100 KB limit with Microsoft's own margin — and reports
 * every payload above 28 KB (the older card limit) as a warning.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import formats from "ajv-formats";
import draft06 from "ajv/dist/refs/json-schema-draft-06.json" with { type: "json" };
import type { Violation } from "./block-kit.ts";

export const TEAMS = {
  /** Microsoft's recommended ceiling for a bot message (the hard limit is 100 KB). */
  hardBytes: 80 * 1024,
  limitBytes: 100 * 1024,
  warnBytes: 28 * 1024,
} as const;

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const schemaFile = (name: string) => path.join(HERE, "schemas", name);
export const readSchema = (name: string) => JSON.parse(readFileSync(schemaFile(name), "utf8")) as object;

let validateCard: ValidateFunction | undefined;
function cardValidator(): ValidateFunction {
  if (!validateCard) {
    // The schema declares draft-06 but names itself with draft-04's `id`, which Ajv 8 refuses:
    // the copy in memory gets the same URI as `$id`; nothing else is touched.
    const { id, ...schema } = readSchema("adaptive-card-1.5.json") as { id?: string };
    const ajv = new Ajv({ strict: false, allErrors: true });
    // ajv-formats is CommonJS: its default export is the module object under NodeNext.
    (formats as unknown as { default: (a: Ajv) => void }).default(ajv);
    ajv.addMetaSchema(draft06);
    validateCard = ajv.compile({ ...schema, $id: id });
  }
  return validateCard as ValidateFunction;
}

/** The bytes Teams counts: UTF-16, two per string unit. */
export const teamsBytes = (payload: unknown): number => 2 * JSON.stringify(payload).length;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function* walk(node: unknown): Generator<Json> {
  if (Array.isArray(node)) for (const n of node) yield* walk(n);
  else if (isObj(node)) {
    yield node;
    for (const v of Object.values(node)) yield* walk(v);
  }
}

/** One Adaptive Card: schema, layout rules, inputs. */
export function checkCard(card: unknown): Violation[] {
  const out: Violation[] = [];
  const validate = cardValidator();
  // `msteams` is Teams' own extension to the card, not part of the Adaptive Cards schema: the
  // only one the adapter uses is a full-width card, as Teams documents it ("Full width Adaptive
  // Card", https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
  const { msteams, ...standard } = isObj(card) ? card : ({} as Json);
  if (msteams !== undefined && JSON.stringify(msteams) !== JSON.stringify({ width: "Full" }))
    out.push({ where: "card.msteams", rule: "only { width: Full } is used" });
  if (!validate(standard)) {
    for (const e of (validate.errors ?? []).slice(0, 5)) {
      out.push({
        where: `card${e.instancePath}`,
        rule: `schema: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
      });
    }
  }
  if (!isObj(card) || card.version !== "1.5") out.push({ where: "card", rule: "not an Adaptive Card 1.5" });
  const ids = new Set<string>();
  for (const node of walk(isObj(card) ? card.body : [])) {
    const type = String(node.type ?? "");
    if (type === "ActionSet") {
      // Teams cuts rows of buttons and does not wrap titles: one action per row.
      if (!Array.isArray(node.actions) || node.actions.length !== 1)
        out.push({ where: "ActionSet", rule: "exactly one action per row" });
    }
    if (type.startsWith("Action.")) {
      const title = String(node.title ?? "");
      if (title.length === 0) out.push({ where: type, rule: "action without a title" });
      if (/\\[\\*_[\]]/.test(title))
        out.push({ where: type, rule: `escaped markup in a plain title: ${title}` });
    }
    if (type.startsWith("Input.")) {
      const id = String(node.id ?? "");
      if (!id) out.push({ where: type, rule: "input without id" });
      if (ids.has(id)) out.push({ where: type, rule: `duplicate input id ${id}` });
      ids.add(id);
      if (!node.label) out.push({ where: `${type} ${id}`, rule: "input without a label" });
      if (node.isRequired === true && !node.errorMessage)
        out.push({ where: `${type} ${id}`, rule: "required input without errorMessage" });
      if (type === "Input.ChoiceSet" && Array.isArray(node.choices)) {
        for (const c of node.choices as Json[]) {
          if (/\\[\\*_[\]]/.test(String(c.title)))
            out.push({ where: `${id}`, rule: "escaped markup in a choice title" });
        }
      }
    }
  }
  return out;
}

/** A chat message as the connector sends it; the size counts the whole activity. */
export function checkMessageActivity(card: unknown): { violations: Violation[]; bytes: number } {
  const activity = {
    type: "message",
    attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card }],
  };
  const bytes = teamsBytes(activity);
  const violations = checkCard(card);
  if (bytes > TEAMS.hardBytes)
    violations.push({ where: "message", rule: `${bytes} bytes > ${TEAMS.hardBytes}` });
  return { violations, bytes };
}

/** A dialog (task module "continue" response). */
export function checkDialog(task: Json): { violations: Violation[]; bytes: number } {
  const violations: Violation[] = [];
  const body = { task: { type: "continue", value: task } };
  const bytes = teamsBytes(body);
  if (typeof task.title !== "string" || task.title.length === 0)
    violations.push({ where: "title", rule: "empty" });
  for (const k of ["width", "height"]) {
    if (!["small", "medium", "large"].includes(String(task[k])))
      violations.push({ where: k, rule: "not small/medium/large" });
  }
  const card = task.card as Json | undefined;
  if (!card || card.contentType !== "application/vnd.microsoft.card.adaptive")
    violations.push({ where: "card", rule: "not an Adaptive Card attachment" });
  violations.push(...checkCard(card?.content));
  if (bytes > TEAMS.hardBytes)
    violations.push({ where: "dialog", rule: `${bytes} bytes > ${TEAMS.hardBytes}` });
  return { violations, bytes };
}

/** Every TextBlock text of a card, for content checks. */
export function textsOf(card: unknown): string[] {
  return [...walk(card)].filter((n) => n.type === "TextBlock").map((n) => String(n.text));
}

/** Every action's title in a card (buttons: Action.Submit, Action.OpenUrl, Action.ShowCard…). */
export function actionTitles(card: unknown): string[] {
  return [...walk(card)]
    .filter((n) => String(n.type ?? "").startsWith("Action."))
    .map((n) => String(n.title));
}

/** Every Action.Submit's data of a card, in order. */
export function actionsOf(card: unknown): Json[] {
  return [...walk(card)].filter((n) => n.type === "Action.Submit");
}
