/**
 * A loopback fake of Slack's Web API, for the tests and the benchmark alike. It records every
 * call, keeps each DM's history (so conversations.history answers like Slack), keeps each user's
 * modal stack (views.open / push / update, and the acks the bot answers submissions with), hands
 * out trigger ids that expire after 3 seconds like Slack's, and can answer with latency and
 * Slack's per-method rate limits.
 */
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** The raw request body as the bot sent it (for "never contains" checks). */
  raw: string;
  /** The bearer token the call carried (the bot token, or the app token for apps.connections.open). */
  token?: string;
  /** performance.now() when the request had arrived. */
  at: number;
}

export interface StoredMessage {
  ts: string;
  text?: string;
  blocks?: unknown[];
  bot_id?: string;
}

export interface ModalView {
  id: string;
  hash: string;
  /** The view as the bot sent it (type, callback_id, blocks, private_metadata, …). */
  view: Record<string, unknown>;
}

type Failure = { status: 429; retryAfter: number } | { error: string };

export interface FakeSlackOptions {
  teamId?: string;
  /** Socket Mode: the WebSocket URL `apps.connections.open` hands out (asked per call). */
  socketModeUrl?: () => string | undefined;
  /** Answer each call after this long (ms); a function for jitter. Default 0. */
  latencyMs?: number | (() => number);
  /** Calls allowed per method per minute before answering 429 (Slack's tiers); default none. */
  rateLimits?: Record<string, number>;
}

export interface FakeSlack {
  url: string;
  /** A response_url for a click on message `ts` in `channel`, as Slack puts in block_actions. */
  responseUrl(channel: string, ts: string): string;
  calls: ApiCall[];
  callsOf(method: string): ApiCall[];
  history(channel: string): StoredMessage[];
  /** The user's modal stack, root first (empty when closed). */
  modals(user: string): ModalView[];
  /** Applies the bot's answer to a view submission (response_action) to the user's stack. */
  applyAck(user: string, viewId: string, ack: unknown): { errors?: Record<string, string> };
  /** Pops the user's top modal (the × button); returns it. */
  closeModal(user: string): ModalView | undefined;
  /** A trigger id for a click the user just made (valid 3 s, like Slack's). */
  trigger(user: string): string;
  /** ms from each trigger to the views.open / views.push that used it. */
  triggerLatencies: number[];
  /** The DM channel id the fake gives a user (what conversations.open answers). */
  dmOf(user: string): string;
  /** The calls that concern one user: their DM, their id, their triggers and their modals. */
  callsFor(user: string): ApiCall[];
  failNext(method: string, failure: Failure): void;
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Forget history, modals and calls (between benchmark runs). */
  reset(): void;
  close(): Promise<void>;
}

export const BOT_USER_ID = "UBOTVERTROUWD";
export const BOT_ID = "BBOTVERTROUWD";
const TRIGGER_TTL_MS = 3000;

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  let calls: ApiCall[] = [];
  let channels = new Map<string, StoredMessage[]>();
  let stacks = new Map<string, ModalView[]>();
  const triggers = new Map<string, { user: string; at: number }>();
  /** Every trigger and view id ever handed to a user, to attribute calls to them. */
  const owned = new Map<string, Set<string>>();
  const own = (user: string, id: string) => {
    let set = owned.get(user);
    if (!set) owned.set(user, (set = new Set()));
    set.add(id);
  };
  const failures = new Map<string, Failure[]>();
  const window = new Map<string, number[]>();
  const triggerLatencies: number[] = [];
  let seq = 0;
  const nextTs = () => {
    seq++;
    return `${1_700_000_000 + Math.floor(seq / 1_000_000)}.${String(seq % 1_000_000).padStart(6, "0")}`;
  };
  const messagesOf = (channel: string) => {
    let list = channels.get(channel);
    if (!list) channels.set(channel, (list = []));
    return list;
  };
  const stackOf = (user: string) => {
    let stack = stacks.get(user);
    if (!stack) stacks.set(user, (stack = []));
    return stack;
  };
  const newView = (view: Record<string, unknown>): ModalView => ({
    id: `V${randomBytes(5).toString("hex").toUpperCase()}`,
    hash: `h.${randomBytes(4).toString("hex")}`,
    view,
  });
  const findView = (viewId: string) => {
    for (const [user, stack] of stacks) {
      const i = stack.findIndex((v) => v.id === viewId);
      if (i >= 0) return { user, stack, i };
    }
    return undefined;
  };
  const latency = () =>
    typeof options.latencyMs === "function" ? options.latencyMs() : (options.latencyMs ?? 0);
  const limited = (method: string, now: number): boolean => {
    const perMinute = options.rateLimits?.[method];
    if (!perMinute) return false;
    const recent = (window.get(method) ?? []).filter((t) => now - t < 60_000);
    recent.push(now);
    window.set(method, recent);
    return recent.length > perMinute;
  };

  const server: Server = createServer(async (req, res) => {
    const raw = await readAll(req);
    const at = performance.now();
    const path = (req.url ?? "").split("?")[0] ?? "";
    // A click's response_url (responseUrl()): not a Web API method, recorded as "response_url".
    const hook = /^\/response\/([^/]+)\/([^/]+)$/.exec(path);
    const method = hook ? "response_url" : path.replace(/^\/api\//, "");
    const params = hook
      ? { ...parseParams(raw, "application/json"), channel: hook[1], ts: hook[2] }
      : parseParams(raw, req.headers["content-type"] ?? "");
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    calls.push({ method, params, raw, ...(bearer ? { token: bearer } : {}), at });
    const wait = latency();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const failure = failures.get(method)?.shift();
    if (failure && hook)
      return send(404, { ok: false, error: "error" in failure ? failure.error : "expired_url" });
    if (failure) {
      if ("status" in failure)
        return send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfter) });
      return send(200, { ok: false, error: failure.error });
    }
    if (limited(method, Date.now()))
      return send(429, { ok: false, error: "ratelimited" }, { "retry-after": "1" });
    const channel = String(params.channel ?? "");
    const useTrigger = (): { user: string } | string => {
      const trigger = triggers.get(String(params.trigger_id ?? ""));
      if (!trigger) return "invalid_trigger_id";
      const age = Date.now() - trigger.at;
      triggerLatencies.push(age);
      triggers.delete(String(params.trigger_id));
      return age > TRIGGER_TTL_MS ? "expired_trigger_id" : trigger;
    };
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
      case "response_url": {
        const message = messagesOf(channel).find((m) => m.ts === params.ts);
        if (!message || params.replace_original !== true) return send(404, { ok: false, error: "not_found" });
        message.text = params.text as string;
        message.blocks = params.blocks as unknown[];
        return send(200, { ok: true });
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
        const limit = Number(params.limit ?? 100);
        return send(200, {
          ok: true,
          messages: [...messagesOf(channel)].reverse().slice(0, limit),
          has_more: false,
        });
      }
      case "conversations.open":
        return send(200, { ok: true, channel: { id: dmOf(String(params.users ?? "")) } });
      case "views.open": {
        const trigger = useTrigger();
        if (typeof trigger === "string") return send(200, { ok: false, error: trigger });
        const view = newView(params.view as Record<string, unknown>);
        stacks.set(trigger.user, [view]);
        own(trigger.user, view.id);
        return send(200, { ok: true, view: { id: view.id, hash: view.hash } });
      }
      case "views.push": {
        const trigger = useTrigger();
        if (typeof trigger === "string") return send(200, { ok: false, error: trigger });
        const view = newView(params.view as Record<string, unknown>);
        stackOf(trigger.user).push(view);
        own(trigger.user, view.id);
        return send(200, { ok: true, view: { id: view.id, hash: view.hash } });
      }
      case "views.update": {
        const found = findView(String(params.view_id ?? ""));
        if (!found) return send(200, { ok: false, error: "not_found" });
        const current = found.stack[found.i] as ModalView;
        if (params.hash && params.hash !== current.hash)
          return send(200, { ok: false, error: "hash_conflict" });
        found.stack[found.i] = {
          id: current.id,
          hash: `h.${randomBytes(4).toString("hex")}`,
          view: params.view as Record<string, unknown>,
        };
        return send(200, { ok: true, view: { id: current.id, hash: found.stack[found.i]?.hash } });
      }
      case "views.publish":
        return send(200, {
          ok: true,
          view: { id: `V${randomBytes(4).toString("hex").toUpperCase()}`, hash: "h1" },
        });
      case "apps.connections.open": {
        const url = options.socketModeUrl?.();
        if (!url) return send(200, { ok: false, error: "unknown_method" });
        if (!bearer?.startsWith("xapp-")) return send(200, { ok: false, error: "not_allowed_token_type" });
        return send(200, { ok: true, url });
      }
      default:
        return send(200, { ok: false, error: "unknown_method" });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;

  function dmOf(user: string): string {
    return `D${user.replace(/^U/, "")}`.slice(0, 20);
  }

  return {
    url: `http://127.0.0.1:${port}/api/`,
    responseUrl: (channel, ts) => `http://127.0.0.1:${port}/response/${channel}/${ts}`,
    get calls() {
      return calls;
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    history: (channel) => messagesOf(channel),
    modals: (user) => stackOf(user),
    applyAck(user, viewId, ack) {
      const stack = stackOf(user);
      const i = stack.findIndex((v) => v.id === viewId);
      const a = (ack ?? {}) as {
        response_action?: string;
        view?: Record<string, unknown>;
        errors?: Record<string, string>;
      };
      if (a.response_action === "errors") return { errors: a.errors ?? {} };
      if (a.response_action === "update" && a.view && i >= 0) {
        stack[i] = { id: viewId, hash: `h.${randomBytes(4).toString("hex")}`, view: a.view };
      } else if (a.response_action === "push" && a.view) {
        stack.push(newView(a.view));
      } else if (a.response_action === "clear") {
        stack.length = 0;
      } else if (i >= 0) {
        stack.splice(i); // a plain ack closes the view
      }
      return {};
    },
    closeModal: (user) => stackOf(user).pop(),
    trigger(user) {
      const id = `trg.${randomBytes(6).toString("hex")}`;
      triggers.set(id, { user, at: Date.now() });
      own(user, id);
      return id;
    },
    callsFor(user) {
      const dm = dmOf(user);
      const ids = owned.get(user) ?? new Set<string>();
      return calls.filter(
        (c) =>
          c.params.channel === dm ||
          c.params.users === user ||
          c.params.user_id === user ||
          ids.has(String(c.params.trigger_id ?? "")) ||
          ids.has(String(c.params.view_id ?? "")),
      );
    },
    triggerLatencies,
    dmOf,
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
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
    reset() {
      calls = [];
      channels = new Map();
      stacks = new Map();
      triggers.clear();
      triggerLatencies.length = 0;
      window.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The WebClient sends form-encoded bodies with nested values (blocks, view) as JSON strings. */
export function parseParams(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes("application/json"))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw))
    params[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  return params;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
