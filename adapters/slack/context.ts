/**
 * What every Slack listener module shares: the app, the runtime, the views client and the chat
 * helpers (with their own clients). The `views` client is separate so that opening a form (whose
 * trigger_id expires after 3 s) never waits behind chat traffic in a chat client's request queue.
 */
import type { App, webApi } from "@slack/bolt";
import type { Config } from "../../src/config/schema.ts";
import type { ConversationRuntime, Melder } from "../../src/conversation/types.ts";
import type { Logger } from "../../src/log/logger.ts";
import { type SlackChat, errorType, slackErrorCode } from "./chat.ts";

export interface SlackContext {
  app: App;
  runtime: ConversationRuntime;
  config: Config;
  logger: Logger;
  chat: SlackChat;
  views: webApi.WebClient;
  /** Runs listener work after the ack; never throws (a failure is logged by name and code only). */
  work(name: string, fn: () => Promise<void>): Promise<void>;
}

export function melderOf(teamId: string | undefined, userId: string): Melder {
  return { platform: "slack", tenant: teamId ?? "unknown", user: userId };
}

export function workRunner(logger: Logger): SlackContext["work"] {
  return (name, fn) =>
    fn().catch((err: unknown) => {
      logger.error({
        event: "slack.listener.failed",
        listener: name,
        code: slackErrorCode(err),
        errType: errorType(err),
      });
    });
}

/**
 * A chat button must come from the clicking user's own DM with the bot; anything else is
 * refused (no cross-user writes, even with a forged payload).
 */
export async function isOwnDm(ctx: SlackContext, user: string, channel: string): Promise<boolean> {
  const own = await ctx.chat.dmOf(user);
  if (own === channel) return true;
  ctx.logger.warn({ event: "slack.channel.refused" });
  return false;
}
