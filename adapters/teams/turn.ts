/**
 * One Teams turn: activity → FlowEvent → runtime → one Adaptive Card back. Translation only;
 * every decision about the conversation is the flow's. Report text travels only inside card
 * submits and the review card, never as a chat message and never into a log line.
 */
import { type Activity, CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import { validateForm } from "../../flows/intake/forms.ts";
import type { IntakeContext } from "../../flows/intake/index.ts";
import { promptsFor } from "../../flows/intake/prompts.ts";
import type { FlowEvent } from "../../flows/model.ts";
import type { Config, Locale } from "../../src/config/schema.ts";
import { renderInput, t } from "../../src/content/index.ts";
import type { ConversationRuntime, Melder, TurnOutput } from "../../src/conversation/types.ts";
import type { Logger } from "../../src/log/logger.ts";
import {
  type CardSubmit,
  type InboundActivity,
  cardSubmitOf,
  localeOf,
  tenantOf,
  textEvent,
  userOf,
} from "./activity.ts";
import { type AdaptiveCard, answeredCard, neutralCard, renderTurnCard } from "./cards.ts";
import { statusOf, withConnectorRetry } from "./retry.ts";
import type { TeamsSettings } from "./settings.ts";

export interface TurnDeps {
  runtime: ConversationRuntime;
  config: Config;
  logger: Logger;
  settings: TeamsSettings;
  /** Time the whole turn may take; Teams gives up on the bot after about 15 s. */
  turnBudgetMs?: number;
  retry?: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_RETRY = { attempts: 4, baseDelayMs: 250, maxDelayMs: 3_000 };

/** A card that was answered with a button or a form submit, to be collapsed to its answer. */
interface Answered {
  activityId: string;
  label: string;
}

export function createTurnHandler(deps: TurnDeps): (context: TurnContext) => Promise<void> {
  const { runtime, config, logger, settings } = deps;
  const retry = deps.retry ?? DEFAULT_RETRY;
  const budget = deps.turnBudgetMs ?? 12_000;

  return async function handleTurn(context: TurnContext): Promise<void> {
    const started = Date.now();
    const activity = context.activity as unknown as InboundActivity;
    const io = connectorIo(context, logger, { ...retry, deadline: started + budget, sleep: deps.sleep });
    const skip = (reason: string) => logger.info({ event: "teams.ignored", type: activity.type, reason });

    if (activity.channelId !== "msteams" && !(settings.devNoAuth && activity.channelId === "emulator")) {
      return skip("channel");
    }
    const tenant = tenantOf(activity);
    if (settings.appType === "SingleTenant" && settings.appTenantId && tenant !== settings.appTenantId) {
      return skip("tenant");
    }
    // The app is installed for personal chats only; a group or channel is no place for a report.
    const kind = activity.conversation.conversationType;
    if (kind !== undefined && kind !== "personal") return skip("scope");

    const melder: Melder = { platform: "teams", tenant, user: userOf(activity) };
    const hintLocale = localeOf(activity.locale);

    const run = async (event: FlowEvent, eventId: string | undefined, answered?: Answered) => {
      const out = await runtime.handle({ melder, event, ...(eventId ? { eventId } : {}) });
      await present(out, answered);
      logger.info({
        event: "teams.turn",
        type: activity.type,
        input: event.type,
        status: out.status,
        state: out.state,
        ms: Date.now() - started,
      });
    };

    const present = async (out: TurnOutput, answered?: Answered) => {
      if (out.status === "duplicate") return;
      if (answered && out.status === "ok") {
        await io.update(answered.activityId, answeredCard(answered.label)).catch(() => undefined);
      }
      const forget = out.forget ?? [];
      for (const ref of forget) {
        await io.remove(ref).catch(() => io.update(ref, neutralCard(out.locale)).catch(() => undefined));
      }
      if (out.prompts.length > 0) {
        const rendered = renderTurnCard(out.locale, out.prompts);
        const id = await io.send(rendered.card);
        if (rendered.sensitive && id) await runtime.remember(melder, [id]);
      }
      if (forget.length > 0) await io.sendText(t(out.locale, "notice.removedSensitive"));
    };

    switch (activity.type) {
      case "conversationUpdate": {
        const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient.id);
        if (!botAdded) return skip("membersAdded");
        return run({ type: "START", ...(hintLocale ? { locale: hintLocale } : {}) }, activity.id);
      }
      case "installationUpdate": {
        // Uninstalled: wipe the draft at once. Nothing can be shown any more, so output is dropped.
        if (!activity.action?.startsWith("remove")) return skip("installationUpdate");
        const out = await runtime.handle({
          melder,
          event: { type: "STOP" },
          ...(activity.id ? { eventId: activity.id } : {}),
        });
        logger.info({
          event: "teams.turn",
          type: activity.type,
          input: "STOP",
          status: out.status,
          ms: Date.now() - started,
        });
        return;
      }
      case "message": {
        const submit = cardSubmitOf(activity.value);
        if (submit) return onCardSubmit(submit);
        if (activity.value !== undefined && activity.value !== null && !activity.text)
          return skip("foreignValue");
        return run(textEvent(activity.text), activity.id);
      }
      default:
        return skip("type");
    }

    async function onCardSubmit(submit: CardSubmit): Promise<void> {
      // One answer per card: every later click on the same card is a duplicate for the runtime.
      const eventId = `card:${submit.token}`;
      const cardId = activity.replyToId;
      if (submit.kind === "choice") {
        return run(
          { type: "CHOOSE", choice: submit.choice },
          eventId,
          cardId ? { activityId: cardId, label: submit.label } : undefined,
        );
      }
      const locale: Locale = submit.locale ?? hintLocale ?? config.defaultLocale;
      const prompts = formPrompts(submit.form, locale, config);
      const request = prompts.find((p) => p.input)?.input;
      if (!request) throw new Error(`no form prompt for ${submit.form}`);
      const result = validateForm(request, submit.values);
      if (!result.ok) {
        const values = stringValues(submit.values);
        const again = renderTurnCard(locale, prompts, {
          token: submit.token,
          form: { values, errors: result.errors },
        });
        logger.info({
          event: "teams.form.invalid",
          form: submit.form,
          fields: result.errors.map((e) => e.field),
        });
        if (cardId) {
          await io.update(cardId, again.card);
          // The card now holds what was typed: remove it with the other sensitive cards later.
          await runtime.remember(melder, [cardId]);
        } else {
          const id = await io.send(again.card);
          if (id) await runtime.remember(melder, [id]);
        }
        return;
      }
      const label = renderInput(locale, request).submit;
      return run(
        { type: "SUBMIT", form: submit.form, values: result.values },
        eventId,
        cardId ? { activityId: cardId, label } : undefined,
      );
    }
  };
}

/** The prompts of a form step, rebuilt from the flow's own definition (no state is kept here). */
function formPrompts(form: "report" | "contact", locale: Locale, config: Config) {
  const ctx: IntakeContext = { locale, organisation: config.organisation.name, counsellors: [], report: {} };
  return promptsFor(form === "report" ? "report" : "contactForm", ctx);
}

function stringValues(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string") out[k] = v;
  return out;
}

interface ConnectorIo {
  send(card: AdaptiveCard): Promise<string | undefined>;
  sendText(text: string): Promise<void>;
  update(activityId: string, card: AdaptiveCard): Promise<void>;
  remove(activityId: string): Promise<void>;
}

function connectorIo(
  context: TurnContext,
  logger: Logger,
  retry: {
    attempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    deadline: number;
    sleep?: (ms: number) => Promise<void>;
  },
): ConnectorIo {
  disableSdkRetries(context, logger);
  const call = async <T>(op: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await withConnectorRetry(fn, {
        ...retry,
        onRetry: ({ attempt, status, delayMs }) =>
          logger.warn({ event: "teams.connector.retry", op, status, attempt, delayMs }),
      });
    } catch (err) {
      // Status only: an SDK error can carry the request, and the request can carry report text.
      logger.warn({ event: "teams.connector.failed", op, status: statusOf(err) ?? "network" });
      throw new ConnectorCallError(op, statusOf(err));
    }
  };
  const cardActivity = (card: AdaptiveCard): Partial<Activity> =>
    MessageFactory.attachment(CardFactory.adaptiveCard(card));
  return {
    async send(card) {
      const res = await call("send", () => context.sendActivity(cardActivity(card)));
      return res?.id;
    },
    async sendText(text) {
      await call("send", () => context.sendActivity(MessageFactory.text(text)));
    },
    async update(activityId, card) {
      await call("update", () => context.updateActivity({ ...cardActivity(card), id: activityId }));
    },
    async remove(activityId) {
      await call("delete", () => context.deleteActivity(activityId));
    },
  };
}

export class ConnectorCallError extends Error {
  constructor(
    readonly op: string,
    readonly status: number | undefined,
  ) {
    super(`Bot Connector ${op} failed${status ? ` with HTTP ${status}` : ""}`);
    this.name = "ConnectorCallError";
  }
}

/**
 * The SDK's HTTP pipeline retries 429/5xx on its own (up to 3 times, over a minute with
 * Retry-After). Left in place, it would multiply with ours and blow Teams' 15-second turn limit,
 * so the per-turn connector client runs without it and withConnectorRetry owns retrying.
 */
function disableSdkRetries(context: TurnContext, logger: Logger): void {
  const client = context.turnState.get(context.adapter.ConnectorClientKey) as
    | { client?: { pipeline?: { removePolicy(p: { name: string }): unknown[] } } }
    | undefined;
  const removed = client?.client?.pipeline?.removePolicy({ name: "defaultRetryPolicy" });
  if (client && (!removed || removed.length === 0)) {
    logger.warn({ event: "teams.connector.sdkRetryPolicyNotFound" });
  }
}
