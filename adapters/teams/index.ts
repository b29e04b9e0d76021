/**
 * Microsoft Teams adapter: mounts POST /api/messages on the shared HTTP server, authenticates
 * Bot Framework JWTs with botbuilder's CloudAdapter, and translates activities to flow events.
 * Everything Teams-specific stays inside adapters/teams.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type InvokeResponse,
  type TurnContext,
} from "botbuilder";
import { AuthenticationError } from "botframework-connector";
import type { Config } from "../../src/config/schema.ts";
import { t } from "../../src/content/index.ts";
import type { ConversationRuntime } from "../../src/conversation/types.ts";
import type { Logger } from "../../src/log/logger.ts";
import { BodyTooLargeError, type Route, readBody } from "../../src/server/http.ts";
import { InboundActivity, describeIssues, localeOf } from "./activity.ts";
import { type TeamsSettings, readTeamsSettings } from "./settings.ts";
import { ConnectorCallError, type TurnDeps, createTurnHandler } from "./turn.ts";

export { readTeamsSettings, TeamsConfigError, type TeamsSettings } from "./settings.ts";

export interface TeamsAdapterDeps {
  runtime: ConversationRuntime;
  config: Config;
  logger: Logger;
  env: NodeJS.ProcessEnv;
}

export interface TeamsAdapter {
  routes: Route[];
  close(): Promise<void>;
}

export const MESSAGES_PATH = "/api/messages";
/** Activities are small; a dialog submit with a full report stays well under this. */
const BODY_LIMIT_BYTES = 256 * 1024;

/** Exposes CloudAdapter's activity pipeline without faking an Express request/response pair. */
class TeamsCloudAdapter extends CloudAdapter {
  run(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

export async function createTeamsAdapter(
  deps: TeamsAdapterDeps,
  options: Pick<TurnDeps, "retry" | "sleep" | "turnBudgetMs"> = {},
): Promise<TeamsAdapter> {
  const { runtime, config, logger, env } = deps;
  const settings = readTeamsSettings(env);
  const auth = new ConfigurationBotFrameworkAuthentication(authOptions(settings));
  const adapter = new TeamsCloudAdapter(auth);
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
      errName: nameOf(err),
      ...(err instanceof ConnectorCallError ? { op: err.op, status: err.status } : {}),
    });
    // Best effort: tell the melder it failed; their draft is untouched by a failed turn. A dialog
    // (invoke) is told in the dialog itself, so the chat stays as it was.
    const text = t(localeOf(context.activity.locale) ?? config.defaultLocale, "notice.unavailable");
    const reply: Partial<Activity> =
      context.activity.type === "invoke"
        ? { type: "invokeResponse", value: { status: 200, body: { task: { type: "message", value: text } } } }
        : { type: "message", text };
    await context.sendActivity(reply).catch(() => undefined);
  };

  const handleTurn = createTurnHandler({ runtime, config, logger, settings, ...options });

  const route: Route = {
    method: "POST",
    path: MESSAGES_PATH,
    async handle(req, res) {
      const started = Date.now();
      const parsed = await readActivity(req);
      if (!parsed.ok) {
        logger.info({ event: "teams.request.rejected", status: parsed.status, reason: parsed.error });
        return json(res, parsed.status, {
          error: parsed.error,
          ...(parsed.issues ? { issues: parsed.issues } : {}),
        });
      }
      const authHeader = headerValue(req.headers.authorization);
      let invoke: InvokeResponse | undefined;
      try {
        invoke = await adapter.run(authHeader, parsed.activity as unknown as Activity, handleTurn);
      } catch (err) {
        if (isAuthFailure(err)) {
          logger.warn({ event: "teams.auth.rejected", reason: reasonOf(err) });
          return json(res, 401, { error: "unauthorized" });
        }
        logger.error({ event: "teams.request.failed", errName: nameOf(err), ms: Date.now() - started });
        return json(res, 500, { error: "internal error" });
      }
      if (invoke?.body !== undefined) return json(res, invoke.status ?? 200, invoke.body);
      res.writeHead(invoke?.status ?? 200);
      res.end();
    },
  };

  return { routes: [route], close: async () => undefined };
}

function authOptions(settings: TeamsSettings): Record<string, string> {
  if (!settings.appId) return {};
  return {
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword ?? "",
    MicrosoftAppType: settings.appType,
    ...(settings.appTenantId ? { MicrosoftAppTenantId: settings.appTenantId } : {}),
  };
}

type ReadResult =
  | { ok: true; activity: InboundActivity }
  | { ok: false; status: 400 | 413 | 415; error: string; issues?: string[] };

async function readActivity(req: IncomingMessage): Promise<ReadResult> {
  const type = headerValue(req.headers["content-type"]).toLowerCase();
  if (!type.startsWith("application/json")) {
    return { ok: false, status: 415, error: "content-type must be application/json" };
  }
  let raw: Buffer;
  try {
    raw = await readBody(req, BODY_LIMIT_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return { ok: false, status: 413, error: "request body too large" };
    throw err;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    return { ok: false, status: 400, error: "body is not valid JSON" };
  }
  const result = InboundActivity.safeParse(body);
  if (!result.success)
    return {
      ok: false,
      status: 400,
      error: "not a Bot Framework activity",
      issues: describeIssues(result.error),
    };
  return { ok: true, activity: result.data };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** botframework-connector wraps most token failures; a bad signature surfaces as jsonwebtoken's own error. */
function isAuthFailure(err: unknown): boolean {
  if (err instanceof AuthenticationError) return true;
  if ((err as { statusCode?: unknown } | undefined)?.statusCode === 401) return true;
  return (
    err instanceof Error && ["JsonWebTokenError", "TokenExpiredError", "NotBeforeError"].includes(err.name)
  );
}

/** Auth failures name what was wrong with the token (issuer, audience, expiry), never a user's data. */
function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 160) : "unknown";
}

function nameOf(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
