/**
 * The Slack adapter: verifies Slack's requests (Bolt's HTTPReceiver on our own HTTP server, or
 * Socket Mode), maps DM events, buttons and the form modal to FlowEvents, and shows the runtime's
 * prompts as Block Kit. It makes no decisions of its own (design §1): translate only.
 *
 * Every interaction is acknowledged before the turn runs, well within Slack's 3 seconds; the
 * reply is posted afterwards. Retries carry the same event id and are de-duplicated by the runtime.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, HTTPReceiver, type webApi } from "@slack/bolt";
import { type FieldError, contactForm, reportForm, validateForm } from "../../flows/intake/forms.ts";
import { parseCommand } from "../../flows/model.ts";
import type { Config, Locale } from "../../src/config/schema.ts";
import { renderInput, t } from "../../src/content/index.ts";
import type { ConversationRuntime, Melder } from "../../src/conversation/types.ts";
import type { Logger } from "../../src/log/logger.ts";
import type { Route } from "../../src/server/http.ts";
import {
  type Block,
  CHOICE_ACTION_PREFIX,
  FORM_CALLBACK_ID,
  OPEN_FORM_ACTION_PREFIX,
  decodeMetadata,
  decodeToken,
  formModal,
  homeView,
  submittedValues,
} from "./blocks.ts";
import { boltLogger } from "./bolt-logger.ts";
import { createSlackConversation, errorType, slackErrorCode } from "./conversation.ts";
import { SlackConfigError, readSlackSecrets } from "./secrets.ts";

export { SlackConfigError, slackConfigured } from "./secrets.ts";

export interface SlackAdapterDeps {
  runtime: ConversationRuntime;
  config: Config;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Base URL of Slack's Web API, ending in "/" (tests point it at a loopback fake). */
  slackApiUrl?: string;
  /** Socket Mode: how long start may take to get a connection from Slack (default 30 s). */
  socketStartTimeoutMs?: number;
}

export interface SlackAdapter {
  routes: Route[];
  socketMode: boolean;
  /** Resolves when no turn is in flight (tests; graceful shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const SLACK_EVENTS_PATH = "/slack/events";
/** Slack events and interactions are small; anything bigger is not from Slack. */
const BODY_LIMIT_BYTES = 512 * 1024;
const CLOSE_WAIT_MS = 10_000;
/**
 * @slack/socket-mode retries apps.connections.open without end on answers it deems recoverable
 * (e.g. a token without connections:write), so start would hang silently; a bound makes it an error.
 */
const SOCKET_START_TIMEOUT_MS = 30_000;

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
  };

  let receiver: HTTPReceiver | undefined;
  let app: App;
  if (secrets.socketMode) {
    app = new App({
      token: secrets.botToken,
      appToken: secrets.appToken,
      socketMode: true,
      logger: slackLogger,
      clientOptions,
      installerOptions: { clientOptions },
      convoStore: false,
      deferInitialization: true,
    });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: secrets.signingSecret ?? "",
      endpoints: SLACK_EVENTS_PATH,
      logger: slackLogger,
      processBeforeResponse: false,
      bodyLimit: BODY_LIMIT_BYTES,
    });
    app = new App({
      token: secrets.botToken,
      receiver,
      logger: slackLogger,
      clientOptions,
      convoStore: false,
      deferInitialization: true,
    });
  }

  // auth.test: a wrong token fails here, at start, with an admin error, not on the first melder.
  try {
    await app.init();
  } catch (err) {
    throw new SlackConfigError(
      `Slack adapter refused to start: Slack did not accept SLACK_BOT_TOKEN (auth.test failed: ${slackErrorCode(err)}).`,
    );
  }

  const conversation = createSlackConversation({ client: app.client, runtime, config, logger });
  const inFlight = new Set<Promise<unknown>>();
  let closing = false;

  // Every request's processing (verification aside) is tracked from the moment the receiver hands it
  // to the app, before the ack goes out: idle() and close() then wait for replies still being posted.
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const task = processEvent(event);
    const settled = task.catch(() => undefined);
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
    return task;
  };

  /** Runs listener work after the ack; never throws (a failure is logged by name and code only). */
  async function work(name: string, fn: () => Promise<void>): Promise<void> {
    await fn().catch((err: unknown) => {
      logger.error({
        event: "slack.listener.failed",
        listener: name,
        code: slackErrorCode(err),
        errType: errorType(err),
      });
    });
  }

  // Errors that escape Bolt's own processing: logged without the error object's content.
  app.error(async (err) => {
    logger.error({ event: "slack.bolt.unhandled", code: slackErrorCode(err) });
  });

  app.event("app_home_opened", async ({ event, body }) => {
    const teamId = (body as { team_id?: string }).team_id ?? "unknown";
    const eventId = (body as { event_id?: string }).event_id;
    await work("app_home_opened", async () => {
      if (event.tab === "home") {
        await conversation.call(() =>
          app.client.views.publish({
            user_id: event.user,
            view: homeView(config, config.defaultLocale) as never,
          }),
        );
        logger.info({ event: "slack.home.published" });
        return;
      }
      // Messages tab: greet on the very first visit only; later visits show the DM as it was.
      if (event.tab === "messages" && event.channel && (await conversation.dmIsEmpty(event.channel))) {
        await conversation.turn({
          melder: melderOf(teamId, event.user),
          event: { type: "START" },
          ...(eventId ? { eventId } : {}),
          channel: event.channel,
        });
      }
    });
  });

  app.event("message", async ({ event, body }) => {
    const message = event as {
      channel_type?: string;
      subtype?: string;
      user?: string;
      bot_id?: string;
      channel?: string;
      text?: string;
    };
    // Only what a person typed in the DM; edits, joins and bot messages are not turns.
    if (message.channel_type !== "im" || !message.user || message.bot_id || !message.channel) return;
    if (message.subtype !== undefined && message.subtype !== "file_share") return;
    const teamId = (body as { team_id?: string }).team_id ?? "unknown";
    const eventId = (body as { event_id?: string }).event_id;
    const channel = message.channel;
    // Typed text is never report content: it is a command, or a pointer back to the buttons.
    const flowEvent = parseCommand(message.text ?? "") ?? { type: "TEXT" as const };
    await work("message", () =>
      conversation
        .turn({
          melder: melderOf(teamId, message.user ?? ""),
          event: flowEvent,
          ...(eventId ? { eventId } : {}),
          channel,
        })
        .then(() => undefined),
    );
  });

  app.action({ action_id: new RegExp(`^${CHOICE_ACTION_PREFIX}`) }, async ({ ack, body, action }) => {
    await ack();
    await work("choice", async () => {
      const b = interaction(body);
      const a = action as { action_id: string; value?: string; text?: { text?: string } };
      if (!b) return;
      const choice = a.action_id.slice(CHOICE_ACTION_PREFIX.length);
      const token = decodeToken(a.value);
      const sensitive = token?.sensitive ?? false;
      // Danger and stop always work, from any message; other buttons only from the newest prompt.
      const global = choice === "danger" || choice === "stop";
      // Removing the buttons runs alongside the turn (one Slack call less on the critical path);
      // a message with report content is replaced first, as the turn may delete it.
      const marking = conversation.markAnswered(b.channel, b.ts, b.blocks, a.text?.text, sensitive);
      if (sensitive) await marking;
      // One answer per message: a double click or a retry carries the same message ts. The runtime
      // tells a button from an older step (no state change) by the prompt generation it carries.
      const output = await conversation.turn({
        melder: b.melder,
        event: { type: "CHOOSE", choice },
        // Danger and stop stay available on a message whose other buttons were already used.
        eventId: global ? `m:${b.ts}:${choice}` : `m:${b.ts}`,
        answering: global ? undefined : token?.seq || undefined,
        channel: b.channel,
      });
      await marking;
      if (output?.status === "stale") {
        // The choice was not taken: the old message keeps no "chosen" mark.
        await conversation.markAnswered(b.channel, b.ts, b.blocks, undefined, sensitive);
        logger.info({ event: "slack.choice.stale" });
      }
    });
  });

  app.action({ action_id: new RegExp(`^${OPEN_FORM_ACTION_PREFIX}`) }, async ({ ack, body, action }) => {
    await ack();
    await work("open_form", async () => {
      const b = interaction(body);
      const a = action as { action_id: string; value?: string; action_ts?: string };
      const triggerId = (body as { trigger_id?: string }).trigger_id;
      if (!b || !triggerId) return;
      const form = a.action_id.slice(OPEN_FORM_ACTION_PREFIX.length);
      const token = decodeToken(a.value);
      const locale = token?.locale ?? config.defaultLocale;
      // The form is filled with what the melder entered before, which only the sealed draft holds.
      const current = await runtime.current(b.melder);
      if (current.status === "unavailable") {
        await conversation.show(b.melder, b.channel, current);
        return;
      }
      if (token?.seq && current.seq !== token.seq) {
        await conversation.markAnswered(b.channel, b.ts, b.blocks, undefined, token.sensitive);
        await conversation.notice(b.channel, locale, "notice.staleChoice");
        return;
      }
      const request = current.prompts.find((p) => p.input?.form === form)?.input;
      if (!request) {
        await conversation.notice(b.channel, current.locale, "notice.staleChoice");
        return;
      }
      const view = formModal(renderInput(current.locale, request), {
        form: request.form,
        locale: current.locale,
        channel: b.channel,
        ts: b.ts,
      });
      await conversation.call(() => app.client.views.open({ trigger_id: triggerId, view: view as never }));
      logger.info({ event: "slack.form.opened", form: request.form });
    });
  });

  app.view(FORM_CALLBACK_ID, async ({ ack, body, view }) => {
    const meta = decodeMetadata(view.private_metadata);
    if (!meta) {
      await ack();
      logger.warn({ event: "slack.form.bad_metadata" });
      return;
    }
    const spec = meta.form === "report" ? reportForm({}) : contactForm(undefined);
    const result = validateForm(spec, submittedValues(view.state));
    if (!result.ok) {
      // The modal stays open with everything the melder typed; only the messages are added.
      const errors = Object.fromEntries(
        result.errors.map((e) => [e.field, fieldErrorText(meta.locale, e, spec.fields)]),
      );
      await ack({ response_action: "errors", errors });
      logger.info({ event: "slack.form.invalid", form: meta.form, fields: result.errors.length });
      return;
    }
    await ack();
    await work("form_submit", async () => {
      const user = (body as { user?: { id?: string; team_id?: string } }).user;
      const teamId = (body as { team?: { id?: string } | null }).team?.id ?? user?.team_id ?? "unknown";
      if (!user?.id) return;
      const melder = melderOf(teamId, user.id);
      const origin = await originalBlocks(meta.channel, meta.ts);
      await conversation.markAnswered(meta.channel, meta.ts, origin, undefined, false);
      await conversation.turn({
        melder,
        event: { type: "SUBMIT", form: meta.form, values: result.values },
        eventId: `v:${view.id}:${view.hash}`,
        channel: meta.channel,
      });
    });
  });

  /** The blocks of the message that opened a form, to keep its text when its buttons go. */
  async function originalBlocks(channel: string, ts: string): Promise<Block[] | undefined> {
    try {
      const res = await conversation.call(() =>
        app.client.conversations.history({ channel, latest: ts, oldest: ts, inclusive: true, limit: 1 }),
      );
      const message = (res.messages ?? []).find((m) => m.ts === ts);
      return message?.blocks as Block[] | undefined;
    } catch (err) {
      logger.warn({ event: "slack.history.failed", code: slackErrorCode(err) });
      return undefined;
    }
  }

  const routes: Route[] = [];
  if (receiver) {
    const listener = receiver.requestListener;
    routes.push({
      method: "POST",
      path: SLACK_EVENTS_PATH,
      handle: (req: IncomingMessage, res: ServerResponse) =>
        new Promise<void>((resolve) => {
          res.once("close", () => resolve());
          if (closing) {
            res.writeHead(503, { "content-type": "application/json", "retry-after": "5" });
            res.end(JSON.stringify({ error: "shutting down" }));
            return;
          }
          listener(req, res);
        }),
    });
  } else {
    await startSocketMode(app, deps.socketStartTimeoutMs ?? SOCKET_START_TIMEOUT_MS);
  }
  logger.info({ event: "slack.adapter.started", mode: secrets.socketMode ? "socket" : "http" });

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  return {
    routes,
    socketMode: secrets.socketMode,
    idle,
    async close() {
      closing = true;
      if (secrets.socketMode) await app.stop().catch(() => undefined);
      await Promise.race([idle(), new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
      logger.info({ event: "slack.adapter.stopped" });
    },
  };
}

/**
 * Opens the Socket Mode connection (apps.connections.open with the app token, then the WebSocket
 * until Slack's hello). A token Slack rejects, or no connection in time, is an admin error at start.
 */
async function startSocketMode(app: App, timeoutMs: number): Promise<void> {
  const check =
    "Check the app-level token (xapp-…, scope connections:write), that Socket Mode is enabled for the app, " +
    "and that outbound WebSockets to Slack are allowed.";
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  let outcome: unknown;
  try {
    outcome = await Promise.race([app.start(), timeout]);
  } catch (err) {
    // Stops the client's reconnect attempts; the error names Slack's code, never the token.
    await app.stop().catch(() => undefined);
    const code = slackErrorCode(err);
    throw new SlackConfigError(
      `Slack adapter refused to start: Socket Mode could not connect with SLACK_APP_TOKEN (apps.connections.open failed: ${code}). ${check}`,
    );
  } finally {
    clearTimeout(timer);
  }
  if (outcome === "timeout") {
    await app.stop().catch(() => undefined);
    const seconds = Math.round(timeoutMs / 1000);
    throw new SlackConfigError(
      `Slack adapter refused to start: Socket Mode did not connect within ${seconds} s (the slack.socket.open_failed log lines give Slack's answer). ${check}`,
    );
  }
}

function melderOf(teamId: string, userId: string): Melder {
  return { platform: "slack", tenant: teamId, user: userId };
}

interface Interaction {
  melder: Melder;
  channel: string;
  ts: string;
  blocks: Block[] | undefined;
}

/** The parts of a block_actions payload a button needs: who, which DM, which message. */
function interaction(body: unknown): Interaction | undefined {
  const b = body as {
    user?: { id?: string; team_id?: string };
    team?: { id?: string } | null;
    container?: { channel_id?: string; message_ts?: string };
    channel?: { id?: string };
    message?: { ts?: string; blocks?: Block[] };
  };
  const user = b.user?.id;
  const channel = b.container?.channel_id ?? b.channel?.id;
  const ts = b.container?.message_ts ?? b.message?.ts;
  if (!user || !channel || !ts) return undefined;
  const teamId = b.team?.id ?? b.user?.team_id ?? "unknown";
  return { melder: melderOf(teamId, user), channel, ts, blocks: b.message?.blocks };
}

function fieldErrorText(
  locale: Locale,
  error: FieldError,
  fields: { id: string; maxLength: number }[],
): string {
  const max = fields.find((f) => f.id === error.field)?.maxLength ?? 0;
  const id =
    error.error === "tooLong"
      ? "notice.fieldTooLong"
      : error.error === "required"
        ? "notice.fieldRequired"
        : "notice.fieldInvalid";
  return t(locale, id, { field: error.field, max });
}
