/**
 * What each chat step shows, derived purely from the state, the context and the organisation's
 * directory. Only neutral navigation: nothing here depends on what a melder chose in the form.
 */
import type { SnapshotFrom } from "xstate";
import { type Directory, contactParams, counsellorParams } from "../directory.ts";
import { INFO_SCREENS } from "../domain.ts";
import type { ChoiceId } from "../messages.ts";
import type { Choice, MessageId, Prompt } from "../model.ts";
import { forSurface } from "../surface.ts";
import type { ChatContext, ChatNotice, chatMachine } from "./machine.ts";

/** The chat's states, derived from the machine. */
export type ChatState = SnapshotFrom<typeof chatMachine>["value"];

const ch = (id: ChoiceId, extra: Partial<Choice> = {}): Choice => ({ id, label: `choice.${id}`, ...extra });

/** Offered on every chat step: the danger route (invariant 6) and stopping with a wipe. */
export const CHAT_GLOBALS: Choice[] = [ch("danger", { style: "danger" }), ch("stop")];

export function chatPrompts(state: ChatState, ctx: ChatContext, dir: Directory): Prompt[] {
  const body = stepPrompts(state, ctx, dir);
  const last = body[body.length - 1];
  if (last) {
    const globals = state === "stopped" ? CHAT_GLOBALS.filter((g) => g.id !== "stop") : CHAT_GLOBALS;
    last.choices = [...(last.choices ?? []), ...globals];
  }
  return forSurface(body, ctx.surface);
}

/**
 * The link to the secure web page, offered in the chat when the organisation runs it: the same
 * static address for everyone, so nothing in it can tie a web report to a chat account.
 */
function webLink(ctx: ChatContext, dir: Directory): Choice[] {
  return ctx.surface !== "web" && dir.webFormUrl ? [ch("web", { url: dir.webFormUrl })] : [];
}

/**
 * "My mailbox" on the web page, for a melder who opened an anonymous mailbox before: the same
 * static address for everyone, so it says nothing about who has one.
 */
function mailboxLink(ctx: ChatContext, dir: Directory): Choice[] {
  return ctx.surface !== "web" && dir.mailboxUrl ? [ch("mailbox", { url: dir.mailboxUrl })] : [];
}

function stepPrompts(state: ChatState, ctx: ChatContext, dir: Directory): Prompt[] {
  switch (state) {
    case "welcome":
      return [
        {
          text: "welcome.intro",
          params: { organisation: dir.organisation },
          choices: [
            ch("continue", { style: "primary" }),
            ctx.locale === "nl" ? ch("lang_en") : ch("lang_nl"),
            ...mailboxLink(ctx, dir),
          ],
        },
      ];
    case "confidentiality":
      return [
        {
          text: "confidentiality.short",
          params: { idleMinutes: dir.idleMinutes },
          choices: [ch("ack", { style: "primary" }), ch("more")],
        },
      ];
    case "confidentialityMore":
      return [
        {
          text: "confidentiality.long",
          params: { idleMinutes: dir.idleMinutes },
          choices: [ch("ack", { style: "primary" })],
        },
      ];
    case "need":
      return [
        {
          text: "need.question",
          choices: [ch("form", { opensForm: true }), ...webLink(ctx, dir), ch("info"), ch("urgent")],
        },
      ];
    case "info":
      return [
        {
          text: "info.menu",
          choices: [
            ...INFO_SCREENS.map((s): Choice => ({ id: `info:${s}`, label: `info.choice.${s}` })),
            ch("back"),
          ],
        },
      ];
    case "infoScreen":
      return [
        { text: `info.${ctx.screen ?? "role"}` as MessageId, params: { idleMinutes: dir.idleMinutes } },
        ...(ctx.screen === "counsellors" ? directoryPrompts(ctx, dir, false) : []),
        {
          text: "info.next",
          choices: [ch("info", { style: "primary" }), ch("form", { opensForm: true }), ch("back")],
        },
      ];
    case "urgent":
      return [
        { text: "urgent.referrals" },
        ...directoryPrompts(ctx, dir, true),
        { text: "urgent.back", choices: [ch("back")] },
      ];
    case "form":
      return [
        {
          text: "form.offered",
          params: { idleMinutes: dir.idleMinutes },
          choices: [ch("form", { opensForm: true, style: "primary" }), ch("back")],
        },
      ];
    case "sent":
      return [{ text: "form.sent", choices: [ch("back")] }];
    case "stopped":
      return [{ text: "stopped.wiped", choices: [ch("restart", { style: "primary" })] }];
  }
}

/**
 * The counsellors and the organisation's own contacts. Information: every counsellor's card.
 * Urgent help: the contacts marked urgent, and how to reach each counsellor directly (from the
 * config's reachVia), the same for everyone.
 */
function directoryPrompts(ctx: ChatContext, dir: Directory, urgentOnly: boolean): Prompt[] {
  const counsellors = urgentOnly
    ? []
    : dir.counsellors.map(
        (co): Prompt => ({ text: "counsellor.card", params: counsellorParams(co, ctx.locale) }),
      );
  const contacts = dir.contacts
    .filter((c) => !urgentOnly || c.urgent)
    .map((c): Prompt => ({ text: "org.contact", params: contactParams(c, ctx.locale) }));
  const reach = urgentOnly
    ? dir.counsellors.flatMap((co): Prompt[] => {
        const reachVia = counsellorParams(co, ctx.locale).reachVia ?? "";
        return reachVia ? [{ text: "counsellor.reach", params: { name: co.name, reachVia } }] : [];
      })
    : [];
  return [
    ...counsellors,
    ...(contacts.length > 0 ? [{ text: "org.contacts" as const }, ...contacts] : []),
    ...(reach.length > 0 ? [{ text: "urgent.counsellors" as const }, ...reach] : []),
  ];
}

export function chatNoticePrompts(notices: ChatNotice[], ctx?: ChatContext): Prompt[] {
  return forSurface(
    notices.map((n) => ({ text: n.text, notice: true })),
    ctx?.surface,
  );
}
