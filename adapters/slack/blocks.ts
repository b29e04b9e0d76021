/**
 * Chat messages as Slack Block Kit: neutral navigation only (the form is in modal.ts). Pure
 * functions: no Slack calls, no state.
 *
 * Slack's limits shape this file: section text ≤ 3,000 characters, button text ≤ 75, at most
 * 25 elements in an actions block and 50 blocks in a message.
 */
import { randomBytes } from "node:crypto";
import type { types } from "@slack/bolt";
import type { Locale } from "../../flows/domain.ts";
import { type Config, followUpEnabled } from "../../src/config/schema.ts";
import { type RenderedChoice, type RenderedPrompt, t } from "../../src/content/index.ts";

export type KnownBlock = types.KnownBlock;
type SectionBlock = types.SectionBlock;

/** Action ids: a chat button carries the flow's choice id. */
export const CHOICE_ACTION_PREFIX = "vt_choice:";
/** A link button (the secure web page): Slack opens the url and still sends a click to ack. */
export const LINK_ACTION_PREFIX = "vt_link:";
const BLOCK_PREFIX = "vt:";

export const SECTION_MAX = 3000;
export const BUTTON_TEXT_MAX = 75;
/** Slack's limit on elements in one actions block. */
export const ACTIONS_MAX = 25;
/** Slack's limit on blocks in one message. */
export const MESSAGE_BLOCKS_MAX = 50;
/** Slack's limit on blocks in a Home tab or a modal. */
export const HOME_BLOCKS_MAX = 100;

/**
 * A short token on every chat button (block_id and value): the locale, the prompt generation,
 * and a nonce. It lets the adapter recognise a button from an old message and answer in the
 * right language without loading the conversation. It says nothing about the matter.
 */
export interface PromptToken {
  locale: Locale;
  /** The runtime's prompt generation (ChatOutput.seq); 0 when unknown. */
  seq: number;
  nonce: string;
}

export function newToken(locale: Locale, seq = 0): PromptToken {
  return { locale, seq, nonce: randomBytes(4).toString("hex") };
}

export function encodeToken(token: PromptToken): string {
  return ["3", token.locale, String(token.seq), token.nonce].join(".");
}

export function decodeToken(raw: string | undefined): PromptToken | undefined {
  const parts = (raw ?? "").replace(BLOCK_PREFIX, "").split(".");
  if (parts.length !== 4 || parts[0] !== "3") return undefined;
  const [, locale, seqText, nonce] = parts;
  const seq = Number(seqText);
  if ((locale !== "nl" && locale !== "en") || !nonce || !Number.isSafeInteger(seq) || seq < 0)
    return undefined;
  return { locale, seq, nonce };
}

export const plain = (text: string, max?: number) => ({
  type: "plain_text" as const,
  text: clip(text, max),
  emoji: true,
});
const mrkdwn = (text: string) => ({ type: "mrkdwn" as const, text });

export function clip(text: string, max?: number): string {
  if (max === undefined || text.length <= max) return text;
  const head = text.slice(0, max - 1);
  // Never leave half of a surrogate pair (an emoji) before the ellipsis.
  return `${/[\ud800-\udbff]$/.test(head) ? head.slice(0, -1) : head}…`;
}

/** Slack mrkdwn control characters in text that comes from the config or a person. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Splits long text into section-sized chunks, preferring line breaks, never losing characters.
 * A hard cut never falls inside an escape (`&amp;`) or a surrogate pair (an emoji), which would
 * show as garbage on both sides of the cut.
 */
export function splitText(text: string, max = SECTION_MAX - 100): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    if (cut < max / 2) cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = safeCut(rest, max);
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}

/** The last position ≤ max that splits neither an HTML entity nor a surrogate pair. */
function safeCut(text: string, max: number): number {
  let cut = max;
  const amp = text.lastIndexOf("&", cut - 1);
  // Entities we write are at most 5 characters ("&amp;"); cut before one that would be split.
  if (amp >= 0 && cut - amp < 5 && !text.slice(amp, cut).includes(";")) cut = amp;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return cut > 0 ? cut : max;
}

export const textSections = (text: string): SectionBlock[] =>
  splitText(text).map((chunk) => ({ type: "section", text: mrkdwn(chunk.length > 0 ? chunk : " ") }));

/** The notification text Slack shows in previews and push messages: the first line only. */
export function fallbackText(text: string): string {
  return clip(text.split("\n")[0]?.replace(/\*/g, "") ?? "", 150);
}

/**
 * Buttons as actions blocks of at most 25 elements each, in order. The flow puts danger and
 * stop last; they are never dropped: a long list simply continues in the next block.
 */
export function actionBlocks(buttons: object[], blockId: (i: number) => string): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < buttons.length; i += ACTIONS_MAX) {
    blocks.push({
      type: "actions",
      block_id: blockId(i / ACTIONS_MAX),
      elements: buttons.slice(i, i + ACTIONS_MAX),
    } as KnownBlock);
  }
  return blocks;
}

export function button(actionId: string, choice: RenderedChoice, value: string): object {
  return {
    type: "button",
    action_id: actionId,
    text: plain(choice.label, BUTTON_TEXT_MAX),
    ...(choice.style ? { style: choice.style } : {}),
    ...(choice.url ? { url: choice.url } : {}),
    value,
  };
}

/** One chat message: the turn's texts, then its buttons. */
export function messageBlocks(prompts: RenderedPrompt[], token: PromptToken): KnownBlock[] {
  const value = encodeToken(token);
  const texts = prompts.flatMap((p) => textSections(p.text));
  const choices = prompts.flatMap((p) => p.choices);
  const buttons = choices.map((c) =>
    button(`${c.url ? LINK_ACTION_PREFIX : CHOICE_ACTION_PREFIX}${c.id}`, c, value),
  );
  return [...texts, ...actionBlocks(buttons, (i) => `${BLOCK_PREFIX}${value}${i > 0 ? `.${i}` : ""}`)];
}

/**
 * An answered message: its text stays, its buttons go, and one mark shows it was answered —
 * the same mark whatever was chosen, so the chat history never shows a choice.
 */
export function answeredBlocks(original: KnownBlock[] | undefined): KnownBlock[] {
  const kept = (original ?? []).filter((b) => b.type !== "actions");
  return [...kept, { type: "context", elements: [mrkdwn("✓")] }];
}

/**
 * The App Home tab: how to start, what a counsellor does, who the counsellors are (from the
 * config) and where urgent help is. Static per locale; it never touches a conversation.
 */
export function homeView(config: Config, locale: Locale): { type: "home"; blocks: KnownBlock[] } {
  const esc = escapeMrkdwn;
  const blocks: KnownBlock[] = [...textSections(t(locale, "home.start"))];
  // "My mailbox" on the web page: one static address for everyone, nothing that identifies.
  const page = followUpEnabled(config) ? config.web.publicUrl : undefined;
  if (page) {
    const link = { id: "mailbox", label: t(locale, "choice.mailbox"), url: `${page}#mailbox` };
    blocks.push(
      ...actionBlocks([button(`${LINK_ACTION_PREFIX}mailbox`, link, "mailbox")], () => "vt_home_mailbox"),
    );
  }
  blocks.push(...textSections(t(locale, "info.role")), { type: "divider" });
  for (const c of config.counsellors) {
    const params = {
      name: esc(c.name),
      kind: c.kind,
      languages: c.languages.join(","),
      intro: esc(c.introduction[locale] ?? c.introduction.nl),
      deputy: c.deputy ? esc(c.deputy.name) : "",
    };
    blocks.push(...textSections(t(locale, "counsellor.card", params)));
  }
  // Urgent help is never the part that falls off (the config's bounds keep the whole tab
  // within Slack's 100 blocks; test/platform proves it at the largest config).
  const urgent: KnownBlock[] = [{ type: "divider" }, ...textSections(t(locale, "urgent.referrals"))];
  return { type: "home", blocks: [...blocks.slice(0, HOME_BLOCKS_MAX - urgent.length), ...urgent] };
}
