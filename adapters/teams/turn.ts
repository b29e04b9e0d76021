/**
 * One Teams turn: activity → FlowEvent → runtime → one Adaptive Card back. Translation only;
 * every decision about the conversation is the flow's. Report text travels only inside the
 * form dialog (task module invokes and their HTTP responses to the melder's own client), never
 * in a chat message or card and never into a log line.
 */
import { type Activity, ActivityTypes, CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import { validateForm } from "../../flows/intake/forms.ts";
import type { FlowEvent } from "../../flows/model.ts";
import type { Config } from "../../src/config/schema.ts";
import { renderInput, t } from "../../src/content/index.ts";
import type { ConversationRuntime, Melder, TurnOutput } from "../../src/conversation/types.ts";
import type { Logger } from "../../src/log/logger.ts";
import {
  type CardSubmit,
  type InboundActivity,
  type TaskInvoke,
  cardSubmitOf,
  localeOf,
  taskInvokeOf,
  tenantOf,
  textEvent,
  userOf,
} from "./activity.ts";
import {
  type AdaptiveCard,
  type DialogOptions,
  type DialogTaskInfo,
  answeredCard,
  neutralCard,
  newToken,
  renderDialog,
  renderTurnCard,
} from "./cards.ts";
import { statusOf, withConnectorRetry } from "./retry.ts";
import type { TeamsSettings } from "./settings.ts";

export interface TurnDeps {
  runtime: ConversationRuntime;
  config: Config;
  logger: Logger;
  settings: TeamsSettings;
  /** Time the whole turn may take; Teams gives up on the bot after about 15 s. */
  turnBudgetMs?: number;
  /** Time a dialog invoke may take; Teams shows the dialog an error after about 5 s. */
  invokeBudgetMs?: number;
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
  const invokeBudget = deps.invokeBudgetMs ?? 4_500;

  return async function handleTurn(context: TurnContext): Promise<void> {
    const started = Date.now();
    const activity = context.activity as unknown as InboundActivity;
    const deadline = started + (activity.type === "invoke" ? invokeBudget : budget);
    const io = connectorIo(context, logger, { ...retry, deadline, sleep: deps.sleep });
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
      logTurn(event.type, out);
    };

    const logTurn = (input: string, out: TurnOutput) =>
      logger.info({
        event: "teams.turn",
        type: activity.type,
        input,
        status: out.status,
        state: out.state,
        ms: Date.now() - started,
      });

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
        // Only the review is sensitive now (it names filled-in fields); forms live in dialogs.
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
      case "invoke": {
        const task = taskInvokeOf(activity.name ?? "", activity.value);
        // Other invokes get no invoke response; CloudAdapter then answers 501 Not Implemented.
        if (!task) return skip("invokeName");
        return onTask(task);
      }
      default:
        return skip("type");
    }

    async function onCardSubmit(submit: CardSubmit): Promise<void> {
      if (submit.kind === "legacyForm") {
        // A form card from before dialogs: its values are not read; the melder gets the current step.
        const current = await runtime.current(melder);
        logger.info({ event: "teams.form.legacy", state: current.state });
        return present({ ...current, prompts: [{ text: "notice.staleChoice" }, ...current.prompts] });
      }
      // One answer per card: every later click on the same card is a duplicate for the runtime.
      const cardId = activity.replyToId;
      return run(
        { type: "CHOOSE", choice: submit.choice },
        `card:${submit.token}`,
        cardId ? { activityId: cardId, label: submit.label } : undefined,
      );
    }

    /**
     * task/fetch opens the form as a dialog filled from the sealed draft; task/submit validates it
     * and either keeps the dialog open (errors, entered values kept) or closes it and moves on.
     * Neither posts what was typed into the chat: the dialog card is only this invoke's response.
     */
    async function onTask(task: TaskInvoke): Promise<void> {
      if (task.kind === "foreign") {
        logger.info({ event: "teams.dialog.foreign", name: task.name });
        return dialogMessage(t(hintLocale ?? config.defaultLocale, "notice.staleChoice"));
      }
      const current = await runtime.current(melder);
      // Without a conversation there is no chosen language yet: the client's locale is the best guess.
      const known = current.status === "ok" && current.state !== "none";
      const noticeLocale = known ? current.locale : (hintLocale ?? current.locale);
      if (current.status === "unavailable") return dialogMessage(t(noticeLocale, "notice.unavailable"));
      const request = current.prompts.find((p) => p.input?.form === task.form)?.input;
      if (!request) {
        // No conversation, or the conversation moved on: a dialog from an older card.
        logger.info({ event: "teams.dialog.stale", kind: task.kind, form: task.form, state: current.state });
        return dialogMessage(t(noticeLocale, "notice.staleChoice"));
      }
      const input = renderInput(current.locale, request);
      if (task.kind === "fetch") {
        logger.info({ event: "teams.dialog.opened", form: task.form });
        const cardId = activity.replyToId;
        return dialogContinue(
          renderDialog(current.locale, input, { dialog: newToken(), ...(cardId ? { cardId } : {}) }),
        );
      }
      const again = (extra: Pick<DialogOptions, "errors" | "notice">) =>
        renderDialog(current.locale, input, {
          dialog: task.dialog,
          ...(task.card ? { cardId: task.card } : {}),
          values: stringValues(task.values),
          ...extra,
        });
      const result = validateForm(request, task.values);
      if (!result.ok) {
        logger.info({
          event: "teams.form.invalid",
          form: task.form,
          fields: result.errors.map((e) => e.field),
        });
        return dialogContinue(again({ errors: result.errors }));
      }
      // The dialog's own token: a re-sent submit (Teams retries an invoke) is handled once.
      const out = await runtime.handle({
        melder,
        event: { type: "SUBMIT", form: task.form, values: result.values },
        eventId: `dialog:${task.dialog}`,
      });
      if (out.status === "unavailable") {
        // Nothing was saved: keep the dialog open with everything entered rather than lose it.
        logTurn("SUBMIT", out);
        return dialogContinue(again({ notice: t(out.locale, "notice.unavailable") }));
      }
      await present(out, task.card ? { activityId: task.card, label: input.submit } : undefined);
      // An invoke response without a body closes the dialog silently; the next step is in the chat.
      await invokeResponse(undefined);
      logTurn("SUBMIT", out);
    }

    async function invokeResponse(body: unknown): Promise<void> {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, ...(body !== undefined ? { body } : {}) },
      });
    }

    /** Shown by Teams in the dialog (a small message box), never in the chat. */
    function dialogMessage(text: string): Promise<void> {
      return invokeResponse({ task: { type: "message", value: text } });
    }

    function dialogContinue(info: DialogTaskInfo): Promise<void> {
      return invokeResponse({ task: { type: "continue", value: info } });
    }
  };
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
