/**
 * One melder's DM as the Slack adapter sees it: run a turn through the runtime and show its output
 * (post prompts, remember and later delete messages that showed report content), plus the few
 * read of the DM the adapter needs (is it empty, for the one-time greeting).
 *
 * Never logs or throws anything that carries text: log lines hold event names and outcomes only.
 */
import type { webApi } from "@slack/bolt";
import type { FlowEvent, MessageId } from "../../flows/model.ts";
import type { Config, Locale } from "../../src/config/schema.ts";
import { type RenderedPrompt, renderPrompt, t } from "../../src/content/index.ts";
import type { ConversationRuntime, Melder, TurnOutput } from "../../src/conversation/types.ts";
import type { Logger } from "../../src/log/logger.ts";
import { type Block, answeredBlocks, fallbackText, newToken, promptBlocks, textSections } from "./blocks.ts";
import { withRetryAfter } from "./rate-limit.ts";

export interface SlackConversationDeps {
  client: webApi.WebClient;
  runtime: ConversationRuntime;
  config: Config;
  logger: Logger;
}

export interface TurnRequest {
  melder: Melder;
  event: FlowEvent;
  eventId?: string;
  /** The prompt generation the pressed button belongs to (see TurnInput.answering). */
  answering?: number;
  /** The DM channel the answer goes to. */
  channel: string;
}

/** Only a Slack error code (e.g. "channel_not_found") ever leaves an API failure. */
export function slackErrorCode(err: unknown): string {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  if (typeof data?.error === "string") return data.error;
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "unknown";
}

/** The error's class name only: messages of unexpected errors are not trusted to be free of content. */
export function errorType(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

/** Slack allows 50 blocks per message; leave room for the actions block and long texts. */
const MAX_GROUP_BLOCKS = 40;
const hasActions = (r: RenderedPrompt) => r.choices.length > 0 || r.input !== undefined;

/**
 * Groups a turn's prompts into messages: a group ends after a prompt with buttons, and a sensitive
 * prompt is always alone, so deleting it removes nothing else.
 */
export function groupPrompts(prompts: RenderedPrompt[]): RenderedPrompt[][] {
  const groups: RenderedPrompt[][] = [];
  let blocks = 0;
  for (const r of prompts) {
    const group = groups[groups.length - 1];
    const previous = group?.[group.length - 1];
    const size = textSections(r.text).length;
    if (
      !group ||
      !previous ||
      r.sensitive ||
      previous.sensitive ||
      hasActions(previous) ||
      blocks + size > MAX_GROUP_BLOCKS
    ) {
      groups.push([r]);
      blocks = size;
    } else {
      group.push(r);
      blocks += size;
    }
  }
  return groups;
}

export function createSlackConversation(deps: SlackConversationDeps) {
  const { client, runtime, config, logger } = deps;
  const call = <T>(fn: () => Promise<T>) => withRetryAfter(fn);

  async function turn(request: TurnRequest): Promise<TurnOutput | undefined> {
    const { melder, event, eventId, answering, channel } = request;
    let output: TurnOutput;
    try {
      output = await runtime.handle({
        melder,
        event,
        ...(eventId ? { eventId } : {}),
        ...(answering ? { answering } : {}),
      });
    } catch (err) {
      logger.error({ event: "slack.turn.failed", input: event.type, errType: errorType(err) });
      await notice(channel, config.defaultLocale, "notice.unavailable");
      return undefined;
    }
    if (output.status === "duplicate") {
      logger.info({ event: "slack.turn.duplicate", input: event.type });
      return output;
    }
    await show(melder, channel, output);
    return output;
  }

  /** Shows a turn's output: first removes messages with report content (after handoff or stop), then the prompts. */
  async function show(melder: Melder, channel: string, output: TurnOutput): Promise<void> {
    if (output.forget && output.forget.length > 0) {
      const removed = await forget(output.forget);
      if (removed > 0) await notice(channel, output.locale, "notice.removedSensitive");
    }
    const sensitiveRefs: string[] = [];
    // One message per group of prompts (notices + the step), so a turn is usually one post;
    // a prompt with report content stays a message of its own so it can be deleted alone.
    for (const group of groupPrompts(
      output.prompts.map((p) => renderPrompt(output.locale, p, { forChat: true })),
    )) {
      const last = group[group.length - 1] as RenderedPrompt;
      const sensitive = group.some((r) => r.sensitive);
      const token = newToken(output.locale, output.state, sensitive, output.seq ?? 0);
      const merged: RenderedPrompt = { ...last, text: group.map((r) => r.text).join("\n\n"), sensitive };
      const posted = await call(() =>
        client.chat.postMessage({
          channel,
          text: fallbackText(merged),
          blocks: [...group.slice(0, -1).flatMap((r) => textSections(r.text)), ...promptBlocks(last, token)],
          // Slack must not fetch links a melder typed (contact details, names in notices).
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      if (sensitive && posted.ts) sensitiveRefs.push(`${channel}:${posted.ts}`);
    }
    if (sensitiveRefs.length > 0) {
      try {
        await runtime.remember(melder, sensitiveRefs);
      } catch (err) {
        // The message stays in the DM until the melder deletes it; say so in the log, without content.
        logger.error({ event: "slack.remember.failed", code: slackErrorCode(err), errType: errorType(err) });
      }
    }
    logger.info({
      event: "slack.turn.shown",
      state: output.state,
      status: output.status,
      prompts: output.prompts.length,
    });
  }

  /** Deletes remembered messages; a message that is already gone counts as removed. */
  async function forget(refs: string[]): Promise<number> {
    let removed = 0;
    for (const ref of refs) {
      const split = ref.lastIndexOf(":");
      const channel = ref.slice(0, split);
      const ts = ref.slice(split + 1);
      if (split <= 0 || !ts) continue;
      try {
        await call(() => client.chat.delete({ channel, ts }));
        removed++;
      } catch (err) {
        const code = slackErrorCode(err);
        if (code === "message_not_found") removed++;
        else logger.error({ event: "slack.forget.failed", code });
      }
    }
    return removed;
  }

  async function notice(channel: string, locale: Locale, id: MessageId): Promise<void> {
    const text = t(locale, id);
    try {
      await call(() =>
        client.chat.postMessage({
          channel,
          text,
          blocks: textSections(text),
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
    } catch (err) {
      logger.error({ event: "slack.notice.failed", notice: id, code: slackErrorCode(err) });
    }
  }

  /** Removes the buttons of an answered message and shows what was chosen. */
  async function markAnswered(
    channel: string,
    ts: string,
    original: Block[] | undefined,
    chosenLabel: string | undefined,
    sensitive: boolean,
  ): Promise<void> {
    const blocks = answeredBlocks(original, chosenLabel, sensitive);
    try {
      await call(() =>
        client.chat.update({ channel, ts, blocks, text: chosenLabel ? `✓ ${chosenLabel}` : "✓" }),
      );
    } catch (err) {
      logger.warn({ event: "slack.update.failed", code: slackErrorCode(err) });
    }
  }

  /** True when the DM has no messages yet: the first time the melder opens it. */
  async function dmIsEmpty(channel: string): Promise<boolean> {
    try {
      const history = await call(() => client.conversations.history({ channel, limit: 1 }));
      return (history.messages ?? []).length === 0;
    } catch (err) {
      logger.warn({ event: "slack.history.failed", code: slackErrorCode(err) });
      return false;
    }
  }

  return { turn, show, notice, markAnswered, dmIsEmpty, call };
}

export type SlackConversation = ReturnType<typeof createSlackConversation>;
