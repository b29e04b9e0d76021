/**
 * Connector I/O for one Teams turn: send, update and delete activities on the Bot Connector (the
 * activity's serviceUrl), with bounded retries on 429/412/502/504 that honour Retry-After (a wait
 * longer than maxDelayMs gives up at once) and never push a turn past its deadline (Teams gives a
 * turn about 15 seconds, an invoke about 5).
 */
import { type Activity, CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import type { Logger } from "../../src/log/logger.ts";
import { RetryExhausted, parseRetryAfter, retry } from "../../src/resilience/index.ts";
import type { AdaptiveCard } from "./cards.ts";

export const RETRYABLE_STATUS = new Set([412, 429, 502, 504]);

export interface ConnectorRetry {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_CONNECTOR_RETRY: ConnectorRetry = { attempts: 4, baseDelayMs: 250, maxDelayMs: 3_000 };

export interface Connector {
  send(card: AdaptiveCard): Promise<string | undefined>;
  update(activityId: string, card: AdaptiveCard): Promise<void>;
  remove(activityId: string): Promise<void>;
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

/** The HTTP status of a failed connector call, whatever layer of the SDK threw it. */
export function statusOf(err: unknown): number | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e.statusCode, e.status, e.response?.status]) if (typeof v === "number") return v;
  return undefined;
}

/** Retry-After of a failed connector response, in ms, when it carried one. */
export function retryAfterOf(err: unknown, now = Date.now()): number | undefined {
  const headers = (err as { response?: { headers?: unknown } } | undefined)?.response?.headers;
  const raw =
    headers && typeof (headers as { get?: unknown }).get === "function"
      ? (headers as { get(name: string): unknown }).get("retry-after")
      : (headers as Record<string, unknown> | undefined)?.["retry-after"];
  return parseRetryAfter(raw, now);
}

export function createConnector(
  context: TurnContext,
  logger: Logger,
  options: ConnectorRetry & { deadline: number; onFailure?: (op: string) => void },
): Connector {
  disableSdkRetries(context, logger);
  const call = async <T>(op: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await retry(() => fn(), {
        policy: options,
        jitter: "equal",
        deadline: options.deadline,
        ...(options.sleep ? { sleep: options.sleep } : {}),
        classify: (err) => {
          const status = statusOf(err);
          const retryAfterMs = retryAfterOf(err);
          return {
            retryable: status !== undefined && RETRYABLE_STATUS.has(status),
            // Passed on as asked: a wait longer than maxDelayMs ends the loop (src/resilience)
            // instead of calling again sooner than the connector asked us to.
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          };
        },
        onRetry: ({ attempt, delayMs, error }) =>
          logger.warn({ event: "teams.connector.retry", op, status: statusOf(error), attempt, delayMs }),
      });
    } catch (err) {
      const last = err instanceof RetryExhausted ? err.lastError : err;
      // Status only: an SDK error can carry the request, and the request can carry report text.
      logger.warn({ event: "teams.connector.failed", op, status: statusOf(last) ?? "network" });
      options.onFailure?.(op);
      throw new ConnectorCallError(op, statusOf(last));
    }
  };
  const cardActivity = (card: AdaptiveCard): Partial<Activity> =>
    MessageFactory.attachment(CardFactory.adaptiveCard(card));
  return {
    async send(card) {
      const res = await call("send", () => context.sendActivity(cardActivity(card)));
      return res?.id;
    },
    async update(activityId, card) {
      await call("update", () => context.updateActivity({ ...cardActivity(card), id: activityId }));
    },
    async remove(activityId) {
      await call("delete", () => context.deleteActivity(activityId));
    },
  };
}

/**
 * The SDK's HTTP pipeline retries 429/5xx on its own (up to 3 times, over a minute with
 * Retry-After). Left in place, it would multiply with ours and blow Teams' 15-second turn limit,
 * so the per-turn connector client runs without it and createConnector owns retrying.
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
