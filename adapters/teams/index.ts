/**
 * Microsoft Teams adapter: mounts POST /api/messages on the shared HTTP server. Every request is
 * authenticated first (Bot Framework JWT via botbuilder's own authentication), then validated
 * (zod), then routed through the teams-ai Application (routes.ts). Everything Teams-specific stays
 * inside adapters/teams, so this folder can be swapped for the Teams SDK v2 alone.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Activity, CloudAdapter, type InvokeResponse, type TurnContext } from "botbuilder";
import type { AuthenticateRequestResult } from "botframework-connector";
import type { Config } from "../../src/config/schema.ts";
import { t } from "../../src/content/index.ts";
import type { ConversationRuntime } from "../../src/conversation/types.ts";
import type { Logger } from "../../src/log/logger.ts";
import type { Metrics } from "../../src/metrics/metrics.ts";
import { BodyTooLargeError, type Route, readBody } from "../../src/server/http.ts";
import { InboundActivity, describeIssues, localeOf } from "./activity.ts";
import { createAuthenticator } from "./auth.ts";
import { ConnectorCallError, type ConnectorRetry } from "./connector.ts";
import { createTeamsApplication } from "./routes.ts";
import { readTeamsSettings } from "./settings.ts";

export { readTeamsSettings, TeamsConfigError, type TeamsSettings } from "./settings.ts";

export interface TeamsAdapterDeps {
  runtime: ConversationRuntime;
  config: Config;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Counts failed connector calls by method (never an id or a choice). */
  metrics?: Metrics;
}

export interface TeamsAdapter {
  routes: Route[];
  close(): Promise<void>;
}

export const MESSAGES_PATH = "/api/messages";
/** Activities are small; a dialog submit with a full report stays well under this. */
const BODY_LIMIT_BYTES = 256 * 1024;

export interface TeamsAdapterOptions {
  retry?: ConnectorRetry;
  /** Time a message turn may take (Teams gives up after about 15 s). */
  turnBudgetMs?: number;
  /** Time an invoke (dialog) turn may spend on connector calls (Teams waits about 5 s). */
  invokeBudgetMs?: number;
  /** How long to wait for Microsoft's signing keys before answering 503. */
  authTimeoutMs?: number;
}

/** Exposes CloudAdapter's pipeline for an already authenticated request. */
class TeamsCloudAdapter extends CloudAdapter {
  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

export async function createTeamsAdapter(
  deps: TeamsAdapterDeps,
  options: TeamsAdapterOptions = {},
): Promise<TeamsAdapter> {
  const { runtime, config, logger, env } = deps;
  const settings = readTeamsSettings(env);
  const { authTimeoutMs, ...routeOptions } = options;
  const auth = createAuthenticator(settings, logger, authTimeoutMs ? { timeoutMs: authTimeoutMs } : {});
  const adapter = new TeamsCloudAdapter(auth.sdk);
  if (settings.devNoAuth) {
    logger.warn(
      { event: "teams.auth.disabled" },
      "Teams endpoint accepts unauthenticated requests (development only)",
    );
  } else {
    logger.info({ event: "teams.auth.enabled", appType: settings.appType });
  }

  adapter.onTurnError = async (context, err) => {
    logger.error({
      event: "teams.turn.error",
      type: context.activity.type,
      errName: err instanceof Error ? err.name : typeof err,
      ...(err instanceof ConnectorCallError ? { op: err.op, status: err.status } : {}),
    });
    // Best effort: tell the melder it failed; nothing they entered is touched by a failed turn.
    // A dialog (invoke) is told in the dialog itself, so the chat stays as it was.
    const text = t(localeOf(context.activity.locale) ?? config.defaultLocale, "notice.unavailable");
    const reply: Partial<Activity> =
      context.activity.type === "invoke"
        ? { type: "invokeResponse", value: { status: 200, body: { task: { type: "message", value: text } } } }
        : { type: "message", text };
    await context.sendActivity(reply).catch(() => undefined);
  };

  const teams = createTeamsApplication({
    runtime,
    logger,
    settings,
    defaultLocale: config.defaultLocale,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...routeOptions,
  });

  const route: Route = {
    method: "POST",
    path: MESSAGES_PATH,
    async handle(req, res) {
      const body = await readJson(req);
      if (!body.ok) return reject(res, body.status, body.error);
      // Authenticate first: nothing of an unauthenticated body is looked at beyond its JSON.
      const authed = await auth.authenticate(body.value, headerValue(req.headers.authorization));
      if (authed.ok === false) {
        if (authed.status === 401) return json(res, 401, { error: "unauthorized" });
        // Microsoft's signing keys could not be fetched: nobody can be authenticated right now.
        const retryAfter = { "retry-after": String(authed.retryAfterSeconds) };
        return json(res, 503, { error: "authentication temporarily unavailable" }, retryAfter);
      }
      const authResult: AuthenticateRequestResult = authed.result;
      const parsed = InboundActivity.safeParse(body.value);
      if (!parsed.success) {
        logger.info({ event: "teams.request.rejected", status: 400, reason: "schema" });
        return json(res, 400, {
          error: "not a Bot Framework activity",
          issues: describeIssues(parsed.error),
        });
      }
      let invoke: InvokeResponse | undefined;
      try {
        invoke = await adapter.run(authResult, parsed.data as unknown as Activity, async (context) => {
          await teams.run(context);
        });
      } catch (err) {
        logger.error({
          event: "teams.request.failed",
          errName: err instanceof Error ? err.name : typeof err,
        });
        return json(res, 500, { error: "internal error" });
      }
      if (invoke?.body !== undefined) return json(res, invoke.status ?? 200, invoke.body);
      res.writeHead(invoke?.status ?? 200);
      res.end();
    },
  };

  return { routes: [route], close: async () => undefined };
}

type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 401 | 413 | 415; error: string };

async function readJson(req: IncomingMessage): Promise<JsonBody> {
  const type = headerValue(req.headers["content-type"]).toLowerCase();
  if (!type.startsWith("application/json"))
    return { ok: false, status: 415, error: "content-type must be application/json" };
  let raw: Buffer;
  try {
    raw = await readBody(req, BODY_LIMIT_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return { ok: false, status: 413, error: "request body too large" };
    throw err;
  }
  try {
    const value = JSON.parse(raw.toString("utf8")) as unknown;
    if (!value || typeof value !== "object")
      return { ok: false, status: 400, error: "body is not a JSON object" };
    return { ok: true, value };
  } catch {
    return { ok: false, status: 400, error: "body is not valid JSON" };
  }
}

function reject(res: ServerResponse, status: number, error: string): void {
  json(res, status, { error });
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}
