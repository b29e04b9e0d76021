/**
 * The melder's DM as the Slack adapter sees it: post a chat output (one message per turn),
 * collapse an answered message to the same neutral mark whatever was chosen, and know which DM
 * belongs to which user, so a forged payload can never make the bot write into someone else's.
 *
 * An answered message is collapsed through the click's response_url when Slack sent one (no Web
 * API call, so no rate-limit tier: Slack allows 5 uses per click within 30 minutes), else with
 * chat.update on a client of its own; either runs alongside the turn, never ahead of its prompt.
 *
 * Never logs or throws anything that carries text: log lines hold event names and codes only.
 */
import type { webApi } from "@slack/bolt";
import type { Locale } from "../../flows/domain.ts";
import type { MessageId } from "../../flows/model.ts";
import { renderPrompt, t } from "../../src/content/index.ts";
import type { ChatOutput } from "../../src/conversation/types.ts";
import type { Logger } from "../../src/log/logger.ts";
import {
  type KnownBlock,
  MESSAGE_BLOCKS_MAX,
  answeredBlocks,
  escapeMrkdwn,
  fallbackText,
  messageBlocks,
  newToken,
  textSections,
} from "./blocks.ts";
import { withRetryAfter } from "./rate-limit.ts";
import { type ApiFailure, json } from "./web-client.ts";

/** Only a Slack error code (e.g. "channel_not_found") ever leaves an API failure. */
export function slackErrorCode(err: unknown): string {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  const code = typeof data?.error === "string" ? data.error : (err as { code?: unknown } | undefined)?.code;
  // Slack's codes are short snake_case words; anything else (a proxy's page, a message) is not logged.
  return typeof code === "string" && ERROR_CODE.test(code) ? code : "unknown";
}
const ERROR_CODE = /^[a-z0-9_.:-]{1,64}$/i;

/** The error's class name only: messages of unexpected errors are not trusted to be free of content. */
export function errorType(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

export const call = <T>(fn: () => Promise<T>) => withRetryAfter(fn);

/** How many user → DM pairs one process remembers (memory only, never written anywhere). */
const DM_CACHE_MAX = 10_000;

export interface SlackChat {
  /** Posts a turn's output to the melder's DM as one message (two when it is very long). */
  post(channel: string, out: ChatOutput): Promise<void>;
  /** A single notice (e.g. "temporarily unavailable"). */
  notice(channel: string, locale: Locale, id: MessageId): Promise<void>;
  /**
   * Removes an answered message's buttons; the same neutral mark whatever was chosen. Through
   * `responseUrl` (the click's) when it is Slack's, else with chat.update. Never throws.
   */
  markAnswered(
    channel: string,
    ts: string,
    original: KnownBlock[] | undefined,
    responseUrl?: string,
  ): Promise<void>;
  /** Remembers a user's DM from an event Slack signed (a message or app_home_opened in it). */
  learnDm(user: string, channel: string): void;
  /** The user's own DM with the bot (cached; asked of Slack with conversations.open once). */
  dmOf(user: string): Promise<string | undefined>;
  /** True when the DM has no messages yet: the first time the melder opens it. */
  dmIsEmpty(channel: string): Promise<boolean>;
}

export interface SlackChatClients {
  /** Prompts and DM lookups: the turn's critical path. */
  chat: webApi.WebClient;
  /** chat.update of answered messages, alongside the turn. */
  marks: webApi.WebClient;
  /** Base URL of the Web API when it is not Slack's (tests): its origin may serve response_urls. */
  slackApiUrl?: string;
  /** A failed call that is not a Web API method (response_url), by name. */
  onFailure?: ApiFailure;
}

/** How long a response_url post may take before the mark falls back to chat.update. */
const RESPONSE_URL_TIMEOUT_MS = 5_000;

/** Only Slack's own hooks (or, in tests, the fake API's origin) are ever posted to. */
export function trustedResponseUrl(raw: unknown, slackApiUrl?: string): string | undefined {
  if (typeof raw !== "string" || raw.length > 1_000) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === "https:" && /^hooks\.slack(-gov)?\.com$/.test(url.hostname)) return url.href;
    if (slackApiUrl && url.origin === new URL(slackApiUrl).origin) return url.href;
  } catch {
    // not a URL
  }
  return undefined;
}

export function createSlackChat(clients: SlackChatClients, logger: Logger): SlackChat {
  const { chat: client, marks } = clients;
  const dms = new Map<string, string>();
  const remember = (user: string, channel: string) => {
    dms.delete(user);
    dms.set(user, channel);
    if (dms.size > DM_CACHE_MAX) dms.delete(dms.keys().next().value as string);
  };

  async function postBlocks(channel: string, text: string, blocks: KnownBlock[]): Promise<void> {
    await call(() =>
      client.chat.postMessage({
        channel,
        text: fallbackText(text),
        blocks: json(blocks),
        // Slack must not fetch links from the bot's messages.
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
  }

  return {
    async post(channel, out) {
      const rendered = out.prompts.map((p) => renderPrompt(out.locale, p, { escape: escapeMrkdwn }));
      if (rendered.length === 0) return;
      const blocks = messageBlocks(rendered, newToken(out.locale, out.seq ?? 0));
      const text = rendered.map((r) => r.text).join("\n\n");
      // A message holds at most 50 blocks; an exceptionally long turn continues in a second one.
      for (let i = 0; i < blocks.length; i += MESSAGE_BLOCKS_MAX) {
        await postBlocks(channel, i === 0 ? text : "…", blocks.slice(i, i + MESSAGE_BLOCKS_MAX));
      }
    },

    async notice(channel, locale, id) {
      const text = t(locale, id);
      try {
        await postBlocks(channel, text, textSections(text));
      } catch (err) {
        logger.error({ event: "slack.notice.failed", code: slackErrorCode(err) });
      }
    },

    async markAnswered(channel, ts, original, responseUrl) {
      const blocks = answeredBlocks(original);
      const hook = trustedResponseUrl(responseUrl, clients.slackApiUrl);
      if (hook) {
        try {
          const res = await fetch(hook, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ replace_original: true, text: "✓", blocks }),
            signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
          });
          await res.arrayBuffer();
          if (res.ok) return;
          clients.onFailure?.("response_url");
          logger.warn({ event: "slack.mark.response_url_failed", code: String(res.status) });
        } catch (err) {
          clients.onFailure?.("response_url");
          logger.warn({ event: "slack.mark.response_url_failed", code: errorType(err) });
        }
      }
      try {
        await call(() => marks.chat.update({ channel, ts, blocks: json(blocks), text: "✓" }));
      } catch (err) {
        logger.warn({ event: "slack.update.failed", code: slackErrorCode(err) });
      }
    },

    learnDm: remember,

    async dmOf(user) {
      const known = dms.get(user);
      if (known) return known;
      try {
        const res = await call(() => client.conversations.open({ users: user }));
        const id = res.channel?.id;
        if (id) remember(user, id);
        return id;
      } catch (err) {
        logger.warn({ event: "slack.dm.lookup_failed", code: slackErrorCode(err) });
        return undefined;
      }
    },

    async dmIsEmpty(channel) {
      try {
        const history = await call(() => client.conversations.history({ channel, limit: 1 }));
        return (history.messages ?? []).length === 0;
      } catch (err) {
        logger.warn({ event: "slack.history.failed", code: slackErrorCode(err) });
        return false;
      }
    },
  };
}
