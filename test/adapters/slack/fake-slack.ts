/**
 * Test helpers for the Slack adapter: a loopback fake of Slack's Web API that records every call
 * and keeps a per-channel message history (so conversations.history answers like Slack), plus
 * request signing and payload builders for the Events API and interactivity.
 */
import { createHmac, randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** The raw request body as the bot sent it (for "never contains" checks). */
  raw: string;
  /** The bearer token the call carried (the bot token, or the app token for apps.connections.open). */
  token?: string;
  at: number;
}

interface StoredMessage {
  ts: string;
  text?: string;
  blocks?: unknown[];
  user?: string;
  bot_id?: string;
}

type Failure = { status: 429; retryAfter: number } | { error: string };

export interface FakeSlack {
  url: string;
  calls: ApiCall[];
  callsOf(method: string): ApiCall[];
  history(channel: string): StoredMessage[];
  /** The next call(s) of `method` fail this way (in order). */
  failNext(method: string, failure: Failure): void;
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export const BOT_USER_ID = "UBOTVERTROUWD";
export const BOT_ID = "BBOTVERTROUWD";

export interface FakeSlackOptions {
  teamId?: string;
  /**
   * Socket Mode: the WebSocket URL `apps.connections.open` hands out (asked per call, so a test can
   * start its socket server later). Without it the method is unknown, as before.
   */
  socketModeUrl?: () => string | undefined;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: ApiCall[] = [];
  const channels = new Map<string, StoredMessage[]>();
  const failures = new Map<string, Failure[]>();
  const clock = 1_700_000_000;
  let seq = 0;
  const nextTs = () => `${clock + Math.floor(++seq / 1000)}.${String(seq % 1_000_000).padStart(6, "0")}`;
  const messagesOf = (channel: string) => {
    let list = channels.get(channel);
    if (!list) {
      list = [];
      channels.set(channel, list);
    }
    return list;
  };

  const server: Server = createServer(async (req, res) => {
    const raw = await readAll(req);
    const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
    const params = parseParams(raw, req.headers["content-type"] ?? "");
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    calls.push({ method, params, raw, ...(bearer ? { token: bearer } : {}), at: Date.now() });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const failure = failures.get(method)?.shift();
    if (failure) {
      if ("status" in failure)
        return send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfter) });
      return send(200, { ok: false, error: failure.error });
    }
    const channel = String(params.channel ?? "");
    switch (method) {
      case "auth.test":
        return send(200, {
          ok: true,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
          team_id: options.teamId ?? "T0TEAM",
          user: "vertrouwd",
        });
      case "chat.postMessage": {
        const ts = nextTs();
        const message: StoredMessage = {
          ts,
          text: params.text as string,
          blocks: params.blocks as unknown[],
          bot_id: BOT_ID,
        };
        messagesOf(channel).push(message);
        return send(200, { ok: true, channel, ts, message });
      }
      case "chat.update": {
        const message = messagesOf(channel).find((m) => m.ts === params.ts);
        if (!message) return send(200, { ok: false, error: "message_not_found" });
        message.text = params.text as string;
        message.blocks = params.blocks as unknown[];
        return send(200, { ok: true, channel, ts: params.ts });
      }
      case "chat.delete": {
        const list = messagesOf(channel);
        const index = list.findIndex((m) => m.ts === params.ts);
        if (index < 0) return send(200, { ok: false, error: "message_not_found" });
        list.splice(index, 1);
        return send(200, { ok: true, channel, ts: params.ts });
      }
      case "conversations.history": {
        const oldest = params.oldest !== undefined ? Number(params.oldest) : Number.NEGATIVE_INFINITY;
        const latest = params.latest !== undefined ? Number(params.latest) : Number.POSITIVE_INFINITY;
        const inclusive = params.inclusive === true || params.inclusive === "true";
        const limit = Number(params.limit ?? 100);
        const messages = messagesOf(channel)
          .filter((m) => {
            const ts = Number(m.ts);
            return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
          })
          .reverse()
          .slice(0, limit);
        return send(200, { ok: true, messages, has_more: false });
      }
      case "views.open":
      case "views.publish":
        return send(200, {
          ok: true,
          view: { id: `V${randomBytes(4).toString("hex").toUpperCase()}`, hash: "h1" },
        });
      case "apps.connections.open": {
        const url = options.socketModeUrl?.();
        if (!url) return send(200, { ok: false, error: "unknown_method" });
        // Slack answers a bot or user token here with this error; only app-level tokens open sockets.
        if (!bearer?.startsWith("xapp-")) return send(200, { ok: false, error: "not_allowed_token_type" });
        return send(200, { ok: true, url });
      }
      default:
        return send(200, { ok: false, error: "unknown_method" });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    history: (channel) => messagesOf(channel),
    failNext(method, failure) {
      const list = failures.get(method) ?? [];
      list.push(failure);
      failures.set(method, list);
    },
    async waitFor(probe, timeoutMs = 8_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) return value as never;
        if (Date.now() > until) throw new Error("fake Slack: condition not reached in time");
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The WebClient sends form-encoded bodies with nested values as JSON strings. */
function parseParams(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes("application/json"))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return params;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

// ---------------------------------------------------------------- signed requests into the bot

export function sign(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}

export interface PostResult {
  status: number;
  body: string;
}

export async function postToBot(
  url: string,
  body: string,
  options: { contentType: string; headers?: Record<string, string> },
): Promise<PostResult> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": options.contentType, ...options.headers },
    body,
  });
  return { status: res.status, body: await res.text() };
}

export interface SlackClientSim {
  /** Events API: a signed JSON envelope. */
  event(
    event: Record<string, unknown>,
    options?: { eventId?: string; retryNum?: number },
  ): Promise<PostResult>;
  /** Interactivity: a signed form body `payload=<json>`. */
  interaction(payload: Record<string, unknown>): Promise<PostResult>;
}

export function slackClient(botUrl: string, secret: string, teamId = "T0TEAM"): SlackClientSim {
  return {
    async event(event, options = {}) {
      const body = JSON.stringify({
        token: "legacy-unused",
        team_id: teamId,
        api_app_id: "A0APP",
        type: "event_callback",
        event_id: options.eventId ?? `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
        event_time: Math.floor(Date.now() / 1000),
        event,
      });
      const headers = sign(secret, body);
      if (options.retryNum !== undefined) {
        headers["x-slack-retry-num"] = String(options.retryNum);
        headers["x-slack-retry-reason"] = "http_timeout";
      }
      return postToBot(botUrl, body, { contentType: "application/json", headers });
    },
    async interaction(payload) {
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return postToBot(botUrl, body, {
        contentType: "application/x-www-form-urlencoded",
        headers: sign(secret, body),
      });
    },
  };
}

let actionSeq = 0;
export const actionTs = () => `${Math.floor(Date.now() / 1000)}.${String(++actionSeq).padStart(6, "0")}`;

export function dmMessage(user: string, channel: string, text: string): Record<string, unknown> {
  return { type: "message", channel_type: "im", channel, user, text, ts: actionTs() };
}

export function homeOpened(user: string, channel: string, tab: "home" | "messages"): Record<string, unknown> {
  return { type: "app_home_opened", user, channel, tab, event_ts: actionTs() };
}

interface ButtonBlock {
  type: string;
  block_id?: string;
  elements?: { action_id: string; value?: string; text?: { text: string } }[];
}

/** A click on a button of a stored message, as Slack sends it (block_actions). */
export function buttonClick(
  message: { ts: string; blocks?: unknown[] },
  actionId: string,
  who: { user: string; channel: string; teamId?: string },
): Record<string, unknown> {
  const actions = (message.blocks as ButtonBlock[] | undefined)?.find((b) => b.type === "actions");
  const button = actions?.elements?.find((e) => e.action_id === actionId);
  if (!actions || !button) throw new Error(`no button ${actionId} on message ${message.ts}`);
  return {
    type: "block_actions",
    user: { id: who.user, team_id: who.teamId ?? "T0TEAM" },
    team: { id: who.teamId ?? "T0TEAM" },
    api_app_id: "A0APP",
    trigger_id: `trg.${randomBytes(6).toString("hex")}`,
    container: { type: "message", message_ts: message.ts, channel_id: who.channel, is_ephemeral: false },
    channel: { id: who.channel },
    message: { type: "message", ts: message.ts, bot_id: BOT_ID, blocks: message.blocks },
    actions: [
      {
        type: "button",
        action_id: button.action_id,
        block_id: actions.block_id,
        value: button.value,
        text: { type: "plain_text", text: button.text?.text ?? "" },
        action_ts: actionTs(),
      },
    ],
  };
}

/** A modal submission with the given field values (block_id = field id, action_id "value"). */
export function viewSubmission(
  view: {
    callback_id?: string;
    private_metadata?: string;
    blocks?: { type: string; block_id?: string; element?: { type: string } }[];
  },
  values: Record<string, string>,
  who: { user: string; teamId?: string },
  ids: { viewId?: string; hash?: string } = {},
): Record<string, unknown> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks ?? []) {
    if (block.type !== "input" || !block.block_id) continue;
    const value = values[block.block_id];
    state[block.block_id] = {
      value:
        block.element?.type === "static_select"
          ? {
              type: "static_select",
              selected_option: value ? { value, text: { type: "plain_text", text: value } } : null,
            }
          : { type: "plain_text_input", value: value ?? null },
    };
  }
  return {
    type: "view_submission",
    user: { id: who.user, team_id: who.teamId ?? "T0TEAM" },
    team: { id: who.teamId ?? "T0TEAM" },
    api_app_id: "A0APP",
    trigger_id: `trg.${randomBytes(6).toString("hex")}`,
    view: {
      id: ids.viewId ?? `V${randomBytes(4).toString("hex").toUpperCase()}`,
      hash: ids.hash ?? `h.${randomBytes(3).toString("hex")}`,
      type: "modal",
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values: state },
    },
  };
}

/** The newest bot message in a channel that has buttons. */
export function latestPrompt(fake: FakeSlack, channel: string): StoredMessage | undefined {
  const list = fake.history(channel);
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    if (m && (m.blocks as ButtonBlock[] | undefined)?.some((b) => b.type === "actions")) return m;
  }
  return undefined;
}

export const messageText = (m: { blocks?: unknown[] } | undefined): string =>
  ((m?.blocks ?? []) as { type: string; text?: { text?: string } }[])
    .filter((b) => b.type === "section")
    .map((b) => b.text?.text ?? "")
    .join("\n");
