import { WebClient } from "@slack/web-api";
import type { Locale } from "../../flows/domain.ts";
import { noticeText } from "../content/delivery-notice.ts";
import { parseRetryAfter } from "./net.ts";
import { armoredBytes, assertSealed } from "./sealed.ts";
import { type DeliveryConfirmation, DeliveryError, type SealedHandoff, type Transport } from "./transport.ts";
import { classifyFetchError } from "./webhook.ts";

/** Scopes the bot token needs for this transport. */
export const SLACK_FILE_SCOPES = ["files:write", "im:write", "chat:write"] as const;

/**
 * A WebClient whose own retries are off, so deliverWithRetry is the only retry loop and a rate
 * limit comes back to us (with its Retry-After) instead of stalling inside the client.
 */
export function createSlackDeliveryClient(
  token: string,
  options: { timeoutMs?: number; slackApiUrl?: string } = {},
) {
  return new WebClient(token, {
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 15_000,
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
  });
}

export interface SlackFileTransportOptions {
  client: WebClient;
  /** The internal counsellor's Slack user id. */
  userId: string;
  locale: Locale;
  timeoutMs?: number;
}

/**
 * Uploads the `.asc` into the counsellor's DM with the bot: conversations.open, then the
 * three-step external upload (get URL, POST the bytes, complete with a generic notice). Done by
 * hand rather than filesUploadV2 so the bytes go up unchanged and every failure is classified.
 * Slack offers no idempotency key: a retry after a lost "ok" can post the file twice; the name
 * `vertrouwd-<caseId>.asc` lets the counsellor see that both are the same case.
 */
export class SlackFileTransport implements Transport {
  readonly kind = "slack" as const;
  private readonly options: SlackFileTransportOptions;

  constructor(options: SlackFileTransportOptions) {
    this.options = options;
  }

  async deliver(handoff: SealedHandoff, signal?: AbortSignal): Promise<DeliveryConfirmation> {
    assertSealed(handoff);
    signal?.throwIfAborted();
    const { client, userId } = this.options;
    const bytes = armoredBytes(handoff);
    const filename = `vertrouwd-${handoff.caseId}.asc`;

    const opened = await slackCall("conversations.open", () => client.conversations.open({ users: userId }));
    const channelId = opened.channel?.id;
    if (!channelId)
      throw new DeliveryError("slack conversations.open returned no channel", { retryable: false });

    signal?.throwIfAborted();
    const target = await slackCall("files.getUploadURLExternal", () =>
      client.files.getUploadURLExternal({ filename, length: bytes.length }),
    );
    if (!target.upload_url || !target.file_id) {
      throw new DeliveryError("slack files.getUploadURLExternal returned no upload URL", {
        retryable: false,
      });
    }
    await this.upload(target.upload_url, bytes, signal);

    signal?.throwIfAborted();
    await slackCall("files.completeUploadExternal", () =>
      client.files.completeUploadExternal({
        files: [{ id: target.file_id as string, title: filename }],
        channel_id: channelId,
        initial_comment: noticeText(this.options.locale).slackFileNotice,
      }),
    );
    return { transport: this.kind, reference: target.file_id };
  }

  private async upload(uploadUrl: string, bytes: Buffer, signal: AbortSignal | undefined): Promise<void> {
    let url: URL;
    try {
      url = new URL(uploadUrl);
    } catch {
      throw new DeliveryError("slack returned an invalid upload URL", { retryable: false });
    }
    if (url.protocol !== "https:")
      throw new DeliveryError("slack returned a non-https upload URL", { retryable: false });
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 15_000);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: new Uint8Array(bytes),
        redirect: "error",
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      throw classifyFetchError(err, signal, "slack file upload");
    }
    if (response.status === 200) return;
    const retryable = response.status === 429 || response.status >= 500;
    throw new DeliveryError(`slack file upload answered HTTP ${response.status}`, {
      retryable,
      retryAfterMs: retryable ? parseRetryAfter(response.headers.get("retry-after")) : undefined,
    });
  }

  /** Static settings are checked at construction; the network check asks Slack who the token is. */
  async check(options: { network: boolean }): Promise<string[]> {
    if (!options.network) return [];
    try {
      await slackCall("auth.test", () => this.options.client.auth.test());
      return [];
    } catch (err) {
      return [`slack check failed: ${err instanceof Error ? err.message : "unknown error"}`];
    }
  }
}

/** Platform errors Slack documents as temporary. */
const RETRYABLE_PLATFORM_ERRORS = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "team_added_to_org",
]);

async function slackCall<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw classifySlackError(method, err);
  }
}

/**
 * Maps @slack/web-api errors. Slack's error strings ("missing_scope", "user_not_found") are a
 * fixed vocabulary, safe and useful in an admin message; nothing else from the response is kept.
 */
export function classifySlackError(method: string, err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = (typeof err === "object" && err !== null ? err : {}) as {
    code?: unknown;
    retryAfter?: unknown;
    statusCode?: unknown;
    data?: { error?: unknown };
    original?: unknown;
  };
  switch (e.code) {
    case "slack_webapi_rate_limited_error": {
      const seconds = typeof e.retryAfter === "number" ? e.retryAfter : undefined;
      return new DeliveryError(`slack ${method} was rate limited`, {
        retryable: true,
        retryAfterMs: seconds === undefined ? undefined : seconds * 1000,
        cause: err,
      });
    }
    case "slack_webapi_platform_error": {
      const code =
        typeof e.data?.error === "string" ? e.data.error.replace(/[^a-z0-9_]/gi, "").slice(0, 60) : "unknown";
      return new DeliveryError(`slack ${method} failed: ${code}`, {
        retryable: RETRYABLE_PLATFORM_ERRORS.has(code),
        cause: err,
      });
    }
    case "slack_webapi_http_error": {
      const status = typeof e.statusCode === "number" ? e.statusCode : 0;
      return new DeliveryError(`slack ${method} answered HTTP ${status}`, {
        retryable: status >= 500,
        cause: err,
      });
    }
    case "slack_webapi_request_error":
      return classifyFetchError(e.original, undefined, `slack ${method}`);
    default:
      return new DeliveryError(`slack ${method} failed unexpectedly`, { retryable: false, cause: err });
  }
}
