/**
 * The Teams routing table, on @microsoft/teams-ai's Application (no AI features, no storage:
 * its turn state lives for one turn in memory; ours stays sealed in the runtime):
 *
 *   installationUpdate / conversationUpdate(membersAdded)  → start, or wipe on uninstall
 *   message with text                                        → a command, or a caring reply
 *   message with a card submit (verb vt_choice)              → a chat choice
 *   task/fetch (verb vt_open)                                → open the form as a dialog
 *   task/submit (verb vt_form)                               → one form step in the dialog
 *
 * Translation only: every decision about the conversation is the flows'.
 */
import { Application, type TurnState } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import { z } from "zod";
import type { Locale } from "../../flows/domain.ts";
import type { FlowEvent } from "../../flows/model.ts";
import { t } from "../../src/content/index.ts";
import type { ChatOutput, ConversationRuntime, FormOutput, Melder } from "../../src/conversation/types.ts";
import type { Logger } from "../../src/log/logger.ts";
import type { Metrics } from "../../src/metrics/metrics.ts";
import { type InboundActivity, localeOf, tenantOf, textEvent, userOf } from "./activity.ts";
import {
  type Again,
  CHOICE_INPUT_ID,
  type DialogRef,
  type SubmitMeaning,
  VERB,
  answeredCard,
  chatCard,
  dangerDialog,
  formDialog,
  retryDialog,
} from "./cards.ts";
import {
  type Connector,
  type ConnectorRetry,
  DEFAULT_CONNECTOR_RETRY,
  createConnector,
} from "./connector.ts";
import type { TeamsSettings } from "./settings.ts";

export interface RoutesDeps {
  runtime: ConversationRuntime;
  logger: Logger;
  settings: TeamsSettings;
  defaultLocale: Locale;
  retry?: ConnectorRetry;
  metrics?: Metrics;
  /** Time a whole turn may take; Teams gives up on the bot after about 15 s (an invoke: about 5 s). */
  turnBudgetMs?: number;
  invokeBudgetMs?: number;
}

const ChoiceData = z.object({
  c: z.string().min(1).max(200),
  s: z.number().int().nonnegative(),
  n: z.string().max(32),
});
const OpenData = z.object({ s: z.number().int().nonnegative(), n: z.string().max(32) });
const FormData = z.object({
  t: z.string().max(200),
  l: z.enum(["nl", "en"]).optional(),
  s: z.number().int().nonnegative(),
  a: z.string().min(1).max(64),
  m: z.string().max(80).optional(),
  r: z.string().max(200).optional(),
});

export function createTeamsApplication(deps: RoutesDeps): Application<TurnState> {
  const { runtime, logger, settings } = deps;
  const app = new Application<TurnState>({
    // No storage: teams-ai's turn state is memory for one turn; nothing of it is persisted.
    startTypingTimer: false,
    longRunningMessages: false,
    removeRecipientMention: true,
    adaptiveCards: { actionSubmitFilter: "verb" },
    taskModules: { taskDataFilter: "verb" },
  });

  /** Who is talking, or undefined when this activity is not for us (channel, tenant, scope). */
  function melderOf(context: TurnContext): Melder | undefined {
    const a = context.activity as unknown as InboundActivity;
    const skip = (reason: string) => void logger.info({ event: "teams.ignored", type: a.type, reason });
    if (a.channelId !== "msteams" && !(settings.devNoAuth && a.channelId === "emulator"))
      return skip("channel");
    const tenant = tenantOf(a);
    if (settings.appType !== "MultiTenant" && settings.appTenantId && tenant !== settings.appTenantId)
      return skip("tenant");
    // The app is for personal chats only; a group or channel is no place for a report.
    const kind = a.conversation.conversationType;
    if (kind !== undefined && kind !== "personal") return skip("scope");
    return { platform: "teams", tenant, user: userOf(a) };
  }

  const connectorFor = (context: TurnContext) => {
    const invoke = context.activity.type === "invoke";
    const budget = invoke ? (deps.invokeBudgetMs ?? 4_500) : (deps.turnBudgetMs ?? 12_000);
    return createConnector(context, logger, {
      ...(deps.retry ?? DEFAULT_CONNECTOR_RETRY),
      deadline: Date.now() + budget,
      onFailure: (op) => deps.metrics?.platformError("teams", op),
    });
  };

  /** Posts a chat output (and collapses the card it answered). */
  async function present(connector: Connector, out: ChatOutput, answeredCardId?: string): Promise<void> {
    if (out.status === "duplicate") return;
    if (answeredCardId && out.answered) {
      await connector.update(answeredCardId, answeredCard(out.locale, out.answered)).catch(() => undefined);
    }
    if (out.prompts.length > 0) await connector.send(chatCard(out.locale, out.prompts, out.seq ?? 0));
  }

  async function chatTurn(
    context: TurnContext,
    event: FlowEvent,
    options: { answering?: number; card?: string; eventId?: string } = {},
  ) {
    const melder = melderOf(context);
    if (!melder) return;
    const connector = connectorFor(context);
    const eventId = options.eventId ?? context.activity.id;
    let out = await runtime.chat({
      melder,
      event,
      ...(eventId ? { eventId } : {}),
      ...(options.answering ? { answering: options.answering } : {}),
    });
    if (out.status === "stale") {
      // "This is where we are now": the notice, then the current step with its buttons (danger
      // and stop among them), so the melder is never left with a card they cannot answer.
      const now = await runtime.chatView(melder);
      if (now.status === "ok" && now.prompts.length > 0)
        out = { ...now, status: "stale", prompts: [...out.prompts, ...now.prompts] };
    }
    await present(connector, out, options.card);
    logger.info({ event: "teams.turn", type: context.activity.type, input: event.type, status: out.status });
  }

  app.conversationUpdate("membersAdded", async (context) => {
    const a = context.activity;
    if (!(a.membersAdded ?? []).some((m) => m.id === a.recipient.id)) return;
    const locale = localeOf(a.locale);
    await chatTurn(context, { type: "START", ...(locale ? { locale } : {}) });
  });

  app.activity("installationUpdate", async (context) => {
    // Uninstalled: wipe at once. Nothing can be shown any more.
    if (!context.activity.action?.startsWith("remove")) return;
    const melder = melderOf(context);
    if (!melder) return;
    const out = await runtime.chat({
      melder,
      event: { type: "STOP" },
      ...(context.activity.id ? { eventId: context.activity.id } : {}),
    });
    logger.info({ event: "teams.turn", type: "installationUpdate", input: "STOP", status: out.status });
  });

  app.adaptiveCards.actionSubmit(VERB.choice, async (context, _state, data) => {
    const vt = ChoiceData.safeParse((data as { vt?: unknown }).vt);
    if (!vt.success) return void logger.info({ event: "teams.ignored", type: "card", reason: "data" });
    const { c: choice, s: seq, n: nonce } = vt.data;
    // Danger and stop work from any card, however old. Any other button answers its own card's
    // step once: a second press of it (a double click, or Teams re-sending the activity) is the
    // same event, so it changes nothing and shows nothing.
    const global = choice === "danger" || choice === "stop";
    await chatTurn(
      context,
      { type: "CHOOSE", choice },
      {
        ...(global ? {} : { answering: seq, eventId: `card:${nonce}:${seq}:${choice}` }),
        ...(context.activity.replyToId ? { card: context.activity.replyToId } : {}),
      },
    );
  });

  // Typed text: never report content. A command, or a caring pointer to the form.
  app.activity("message", async (context) => {
    const a = context.activity as unknown as InboundActivity;
    if (a.value !== undefined && a.value !== null && !a.text) {
      return void logger.info({ event: "teams.ignored", type: "message", reason: "foreignValue" });
    }
    await chatTurn(context, textEvent(a.text));
  });

  app.taskModules.fetch(VERB.open, async (context, _state, data) => {
    const melder = melderOf(context);
    const locale = localeOf(context.activity.locale) ?? deps.defaultLocale;
    const vt = OpenData.safeParse((data as { vt?: unknown }).vt);
    if (!melder || !vt.success) return t(locale, "notice.staleChoice");
    const connector = connectorFor(context);
    const out = await runtime.chat({
      melder,
      event: { type: "CHOOSE", choice: "form" },
      eventId: `open:${context.activity.replyToId ?? ""}:${vt.data.n}`,
      answering: vt.data.s,
    });
    // A duplicate or a store failure knows no conversation, so no language: the activity's.
    const say = out.status === "ok" || out.status === "stale" ? out.locale : locale;
    if (out.status === "unavailable") return t(say, "notice.unavailable");
    // A button of an older step (or pressed twice): the dialog says so; the chat is left as it is.
    if (!out.form) return t(say, "notice.staleChoice");
    // The chat says, neutrally, that the form is open; the card that opened it collapses.
    await present(connector, out, context.activity.replyToId).catch(() => undefined);
    logger.info({ event: "teams.dialog.opened" });
    return formDialog(out.form);
  });

  app.taskModules.submit(VERB.form, async (context, _state, data) => {
    const melder = melderOf(context);
    const { verb: _verb, vt: raw, msteams: _msteams, ...inputs } = data as Record<string, unknown>;
    const vt = FormData.safeParse(raw);
    const locale =
      (vt.success ? vt.data.l : undefined) ?? localeOf(context.activity.locale) ?? deps.defaultLocale;
    if (!melder || !vt.success) return t(locale, "notice.staleChoice");
    const { t: token, s: seq, a: action } = vt.data;
    const ref: DialogRef = { t: token, s: seq, l: locale };
    // Danger needs nothing saved: shown at once, with the way back to the form.
    if (action === "danger") return dangerDialog(ref);
    if (action === "view") return formDialog(inDialogLanguage(await runtime.formView(melder, token), locale));

    const values = stringValues(inputs);
    const meaning = vt.data.m as SubmitMeaning | undefined;
    const event = eventOf(action, meaning, values, vt.data.r);
    if (!event) return t(locale, "notice.staleChoice");
    // The step number recognises a re-sent submit of an older step; no event id, so a corrected
    // submit after field errors (same step) counts.
    const out = await runtime.form({ melder, token, event, answering: seq });
    logger.info({ event: "teams.dialog.step", status: out.status });
    const again: Again = {
      a: action,
      ...(meaning ? { m: meaning } : {}),
      ...(event.type === "CHOOSE" && action === "submit" ? { r: event.choice } : {}),
    };
    if (out.status === "unavailable") {
      // Nothing was saved: the dialog stays open with everything typed.
      return retryDialog(ref, again, values, t(locale, "notice.formUnavailable"));
    }
    if (out.status === "invalid" && !out.token) {
      // A draft that had timed out, submitted with errors: keep everything typed; the next
      // submit starts a new draft from it.
      return retryDialog(ref, again, values, t(out.locale, "notice.formErrors"), out.errors ?? []);
    }
    if (out.chat) await present(connectorFor(context), out.chat).catch(() => undefined);
    if (out.status === "invalid") return formDialog(out, { values, errors: out.errors ?? [] });
    return formDialog(inDialogLanguage(out, locale));
  });

  return app;
}

/**
 * A form output that comes from no draft (the token is foreign, or nothing is stored any more)
 * carries the server's default language; the dialog keeps speaking its own.
 */
function inDialogLanguage(out: FormOutput, locale: Locale): FormOutput {
  return ["forbidden", "gone", "unavailable"].includes(out.status) ? { ...out, locale } : out;
}

/** The flow event a dialog submit means. */
function eventOf(
  action: string,
  meaning: SubmitMeaning | undefined,
  values: Record<string, string>,
  retried: string | undefined,
): FlowEvent | undefined {
  if (action !== "submit") return { type: "CHOOSE", choice: action };
  if (meaning === "option") {
    const picked = values[CHOICE_INPUT_ID] ?? retried;
    return picked ? { type: "CHOOSE", choice: picked } : undefined;
  }
  if (meaning === "report" || meaning === "contact") {
    const { [CHOICE_INPUT_ID]: _c, ...fields } = values;
    return { type: "SUBMIT", form: meaning, values: fields };
  }
  if (meaning?.startsWith("choice:")) return { type: "CHOOSE", choice: meaning.slice(7) };
  return undefined;
}

function stringValues(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string") out[k] = v;
  return out;
}
