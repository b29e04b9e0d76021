/**
 * The counsellor-facing, human-readable part of a sealed handoff (the machine-readable JSON
 * follows it in the same plaintext, see plaintext.ts), laid out from the words in
 * src/content/handoff-words.ts in the melder's locale.
 *
 * Every value the melder typed is indented, so no line of theirs ever starts at column 0: the
 * block markers that follow this text cannot be forged from inside a report.
 */
import { REPORT_FIELDS, topicGroup } from "../../flows/domain.ts";
import { HANDOFF_WORDS } from "../content/handoff-words.ts";
import type { HandoffDocument } from "./document.ts";

/**
 * Control characters (other than tab and newline) and bidirectional overrides are replaced:
 * the text is printed in a counsellor's terminal, where escape sequences could rewrite the screen.
 */
export function displaySafe(value: string): string {
  return value
    .replace(/\r\n?/g, "\n")
    .replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, (ch) => (ch === "\t" || ch === "\n" ? ch : "\uFFFD"));
}

/** Melder-typed text on its own lines, each indented by `indent`. */
export function block(value: string, indent: string): string {
  return displaySafe(value)
    .split("\n")
    .map((line) => `${indent}${line}`.trimEnd())
    .join("\n");
}

/** A single-line melder value after a label; any embedded newlines stay indented. */
function inline(value: string, indent: string): string {
  return displaySafe(value)
    .split("\n")
    .map((line, i) => (i === 0 ? line : `${indent}${line}`))
    .join("\n");
}

export function renderHandoffText(doc: HandoffDocument): string {
  const w = HANDOFF_WORDS[doc.locale];
  const group = topicGroup(doc.topic);
  const lines: string[] = [w.title, "=".repeat(w.title.length), ""];

  // What the melder marked urgent comes first: it is the one thing that may not wait.
  const urgent = doc.report?.urgent?.trim();
  if (urgent) lines.push(`!! ${w.urgentTitle}:`, block(urgent, "   "), "");

  lines.push(
    `${w.caseCode}: ${doc.caseCode}`,
    `${w.date}: ${doc.date}`,
    `${w.channel}: ${w.channels[doc.channel]}`,
    `${w.kind}: ${w.kinds[doc.kind]}`,
    `${w.topic}: ${w.topics[doc.topic]}`,
    `${w.group}: ${w.groups[group]}`,
  );
  if (group === "out_of_scope") lines.push(w.wentOn);
  if (doc.recipients) {
    const deputy = doc.recipients.deputy ? ` ${w.deputy(inline(doc.recipients.deputy, ""))}` : "";
    lines.push(`${w.recipients}: ${inline(doc.recipients.counsellor, "")}${deputy}`);
  }
  lines.push(`${w.anonymity}: ${w.anonymities[namedWithContact(doc) ? "named" : "anonymous"]}`);

  const c = doc.contact;
  if (doc.anonymity === "named" && c && (c.name || c.route || c.chatHandle)) {
    lines.push(`${w.contact}:`);
    if (c.name) lines.push(`  ${w.contactName}: ${inline(c.name, "    ")}`);
    if (c.route) lines.push(`  ${w.contactRoute}: ${inline(c.route, "    ")}`);
    if (c.chatHandle) lines.push(`  ${w.contactChat}: ${inline(c.chatHandle, "    ")}`);
  }

  lines.push("", w.report, "-".repeat(w.report.length));
  if (doc.kind === "contact" && !doc.report) {
    lines.push(w.noReport);
  } else {
    const skipped: string[] = [];
    for (const field of REPORT_FIELDS) {
      if (field.id === "urgent") continue;
      const value = doc.report?.[field.id]?.trim();
      if (!value) skipped.push(w.fields[field.id]);
      else if (field.multiline) lines.push(`${w.fields[field.id]}:`, block(value, "  "), "");
      else lines.push(`${w.fields[field.id]}: ${inline(value, "  ")}`);
    }
    if (!urgent) skipped.push(w.fields.urgent);
    if (skipped.length === REPORT_FIELDS.length) lines.push(w.nothingTyped);
    else if (skipped.length > 0) lines.push(w.skipped(skipped.join(", ")));
    lines.push(`${w.wishes}: ${doc.wishes ? w.wishOptions[doc.wishes] : w.wishNotGiven}`);
  }

  lines.push("", w.answerTitle, "-".repeat(w.answerTitle.length));
  if (doc.followUp) lines.push(w.answerFollowUp(doc.caseCode));
  if (c?.route) lines.push(w.answerNamed(inline(c.route, "  ")));
  if (c?.chatHandle) lines.push(w.answerChat);
  if (!doc.followUp && !c?.route && !c?.chatHandle) lines.push(w.answerNone);
  lines.push(w.answerNever);

  if (group === "integrity") lines.push("", w.wbkTitle, "-".repeat(w.wbkTitle.length), ...w.wbk);

  lines.push("", w.noteTitle, "-".repeat(w.noteTitle.length), ...w.note);

  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

/** "Named" only when the melder actually left a name or a way to be reached. */
function namedWithContact(doc: HandoffDocument): boolean {
  const c = doc.contact;
  return doc.anonymity === "named" && Boolean(c && (c.name || c.route || c.chatHandle));
}
