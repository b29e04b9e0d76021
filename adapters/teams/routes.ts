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
import { type InboundActivity, localeOf, tenantOf, textEvent, userOf } from "./activity.ts";
import {
  CHOICE_INPUT_ID,
  type DialogTaskInfo,
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
    options: { answering?: number; card?: string } = {},
  ) {
    const melder = melderOf(context);
    if (!melder) return;
    const connector = connectorFor(context);
    const out = await runtime.chat({
      melder,
      event,
      ...(context.activity.id ? { eventId: context.activity.id } : {}),
      ...(options.answering ? { answering: options.answering } : {}),
    });
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
    const global = vt.data.c === "danger" || vt.data.c === "stop";
    await chatTurn(
      context,
      { type: "CHOOSE", choice: vt.data.c },
      {
        ...(global ? {} : { answering: vt.data.s }),
        ...(context.activity.replyToId && vt.data.c !== "danger" ? { card: context.activity.replyToId } : {}),
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
    if (out.status === "unavailable") return t(out.locale, "notice.unavailable");
    // The chat says, neutrally, that the form is open; the card that opened it collapses.
    await present(connector, out, context.activity.replyToId).catch(() => undefined);
    if (!out.form) return t(out.locale, "notice.staleChoice");
    logger.info({ event: "teams.dialog.opened" });
    return formDialog(out.form);
  });

  app.taskModules.submit(VERB.form, async (context, _state, data) => {
    const melder = melderOf(context);
    const locale = localeOf(context.activity.locale) ?? deps.defaultLocale;
    const { verb: _verb, vt: raw, msteams: _msteams, ...inputs } = data as Record<string, unknown>;
    const vt = FormData.safeParse(raw);
    if (!melder || !vt.success) return t(locale, "notice.staleChoice");
    const { t: token, s: seq, a: action } = vt.data;
    if (action === "danger") return dangerDialog(locale, { t: token, s: seq });
    if (action === "view") return dialogFor(await runtime.formView(melder, token));

    const values = stringValues(inputs);
    const event = eventOf(action, vt.data.m as SubmitMeaning | undefined, values, vt.data.r);
    if (!event) return t(locale, "notice.staleChoice");
    // The step number recognises a re-sent submit of an older step; no event id, so a corrected
    // submit after field errors (same step) counts.
    const out = await runtime.form({ melder, token, event, answering: seq });
    if (out.status === "unavailable") {
      // Nothing was saved: the dialog stays open with everything typed.
      return retryDialog(
        locale,
        { t: token, s: seq },
        vt.data.m as SubmitMeaning | undefined,
        { ...values, ...(event.type === "CHOOSE" ? { [CHOICE_INPUT_ID]: event.choice } : {}) },
        t(locale, "notice.formUnavailable"),
      );
    }
    if (out.chat) await present(connectorFor(context), out.chat).catch(() => undefined);
    logger.info({ event: "teams.dialog.step", status: out.status });
    if (out.status === "invalid") return formDialog(out, { values, errors: out.errors ?? [] });
    return dialogFor(out);
  });

  return app;
}

function dialogFor(out: FormOutput): DialogTaskInfo {
  return formDialog(out);
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
