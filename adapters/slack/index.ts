/**
 * The Slack adapter: verifies Slack's requests (Bolt's HTTPReceiver on our own HTTP server, or
 * Socket Mode), and wires one listener module per concern — typed messages, buttons, the form's
 * views, App Home. Translation only (design §1): every decision is the flows'.
 *
 * Chat messages carry neutral navigation only; the matter lives in the modal (modal.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, HTTPReceiver, type webApi } from "@slack/bolt";
import type { Config } from "../../src/config/schema.ts";
import type { ConversationRuntime } from "../../src/conversation/types.ts";
import type { Logger } from "../../src/log/logger.ts";
import type { Metrics } from "../../src/metrics/metrics.ts";
import { type Route, sendJson } from "../../src/server/http.ts";
import { boltLogger } from "./bolt-logger.ts";
import { createSlackChat, slackErrorCode } from "./chat.ts";
import { type SlackContext, workRunner } from "./context.ts";
import { registerActions } from "./listeners/actions.ts";
import { registerHome } from "./listeners/home.ts";
import { registerMessages } from "./listeners/messages.ts";
import { registerViews } from "./listeners/views.ts";
import { SlackConfigError, readSlackSecrets } from "./secrets.ts";
import { startSocketMode } from "./socket.ts";
import { timestampProblem } from "./timestamp.ts";
import { createWebClient } from "./web-client.ts";

export { SlackConfigError, slackConfigured } from "./secrets.ts";

export interface SlackAdapterDeps {
  runtime: ConversationRuntime;
  config: Config;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Counts failed Web API calls by method (never an id or a choice). */
  metrics?: Metrics;
  /** Base URL of Slack's Web API, ending in "/" (tests point it at a loopback fake). */
  slackApiUrl?: string;
  /** Socket Mode: how long start may take to get a connection from Slack (default 30 s). */
  socketStartTimeoutMs?: number;
}

export interface SlackAdapter {
  routes: Route[];
  socketMode: boolean;
  /** Resolves when no request is in flight (tests; graceful shutdown). */
  idle(): Promise<void>;
  /** Refuses new events, stops Socket Mode, and waits up to `graceMs` for turns in flight. */
  close(graceMs?: number): Promise<void>;
}

export const SLACK_EVENTS_PATH = "/slack/events";
/** Slack events and interactions are small; anything bigger is not from Slack. */
const BODY_LIMIT_BYTES = 512 * 1024;
const CLOSE_WAIT_MS = 10_000;
/**
 * Requests in flight per client (the WebClient's default is 100). At 150 ms a round trip, 200
 * carry over 1,000 prompts a second, more than one process serves; views and marks are rarer.
 */
const CHAT_CONCURRENCY = 200;
const VIEWS_CONCURRENCY = 100;
const MARKS_CONCURRENCY = 100;

export async function createSlackAdapter(deps: SlackAdapterDeps): Promise<SlackAdapter> {
  const { runtime, config, env } = deps;
  const logger = deps.logger.child({ adapter: "slack" });
  const secrets = readSlackSecrets(env);
  const slackLogger = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    ...(deps.slackApiUrl
      ? { slackApiUrl: deps.slackApiUrl.endsWith("/") ? deps.slackApiUrl : `${deps.slackApiUrl}/` }
      : {}),
    // 429s are rejected to us (rate-limit.ts waits Retry-After, bounded); network errors get two quick retries.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2_000 },
    timeout: 10_000,
    logger: slackLogger,
  };

  const receiver = secrets.socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: secrets.signingSecret ?? "",
        endpoints: SLACK_EVENTS_PATH,
        logger: slackLogger,
        processBeforeResponse: false,
        bodyLimit: BODY_LIMIT_BYTES,
      });
  const app = new App({
    token: secrets.botToken,
    ...(receiver
      ? { receiver }
      : { appToken: secrets.appToken, socketMode: true, installerOptions: { clientOptions } }),
    logger: slackLogger,
    clientOptions,
    convoStore: false,
    deferInitialization: true,
  });

  // auth.test: a wrong token fails here, at start, with an admin error, not on the first melder.
  try {
    await app.init();
  } catch (err) {
    throw new SlackConfigError(
      `Slack adapter refused to start: Slack did not accept SLACK_BOT_TOKEN (auth.test failed: ${slackErrorCode(err)}).`,
    );
  }

  // Every request's processing is tracked from the moment Bolt hands it to the listeners until
  // they are done (replies posted), so idle() and close() can wait for it.
  const inFlight = new Set<Promise<unknown>>();
  app.use(async ({ next }) => {
    const task = next();
    const settled = task.catch(() => undefined);
    inFlight.add(settled);
    try {
      await task;
    } finally {
      inFlight.delete(settled);
    }
  });
  // Errors that escape Bolt's own processing: logged without the error object's content.
  app.error(async (err) => {
    logger.error({ event: "slack.bolt.unhandled", code: slackErrorCode(err) });
  });

  // Three clients, three request queues (web-client.ts): a form opens without waiting behind chat
  // messages, and marking answered messages never delays the next prompt.
  const onFailure = (method: string) => deps.metrics?.platformError("slack", method);
  const client = (maxRequestConcurrency: number) =>
    createWebClient(secrets.botToken, { ...clientOptions, maxRequestConcurrency }, onFailure);
  const ctx: SlackContext = {
    app,
    runtime,
    config,
    logger,
    chat: createSlackChat(
      {
        chat: client(CHAT_CONCURRENCY),
        marks: client(MARKS_CONCURRENCY),
        ...(clientOptions.slackApiUrl ? { slackApiUrl: clientOptions.slackApiUrl } : {}),
        onFailure,
      },
      logger,
    ),
    views: client(VIEWS_CONCURRENCY),
    work: workRunner(logger),
  };
  registerMessages(ctx);
  registerActions(ctx);
  registerViews(ctx);
  registerHome(ctx);

  let closing = false;
  const routes: Route[] = [];
  if (receiver) {
    const listener = receiver.requestListener;
    routes.push({
      method: "POST",
      path: SLACK_EVENTS_PATH,
      handle: (req: IncomingMessage, res: ServerResponse) =>
        new Promise<void>((resolve) => {
          res.once("close", () => resolve());
          if (closing) return sendJson(res, 503, { error: "shutting down" }, { "retry-after": "5" });
          // Bolt refuses timestamps older than 5 minutes; ones from the future are refused here.
          const problem = timestampProblem(req.headers["x-slack-request-timestamp"]);
          if (problem) {
            logger.warn({ event: "slack.request.unverified", reason: problem });
            return sendJson(res, 401, { error: "invalid request timestamp" });
          }
          listener(req, res);
        }),
    });
  } else {
    await startSocketMode(app, deps.socketStartTimeoutMs ?? 30_000);
  }
  logger.info({ event: "slack.adapter.started", mode: secrets.socketMode ? "socket" : "http" });

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  return {
    routes,
    socketMode: secrets.socketMode,
    idle,
    async close(graceMs = CLOSE_WAIT_MS) {
      closing = true;
      if (secrets.socketMode) await app.stop().catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([idle(), grace]);
      clearTimeout(timer);
      logger.info({ event: "slack.adapter.stopped" });
    },
  };
}
