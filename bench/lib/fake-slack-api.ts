/**
 * A loopback fake of Slack's Web API for the benchmark: answers what the bot (or the floor app)
 * calls, keeps a per-channel history so conversations.history answers like Slack, and reports
 * every call with its arrival time so a simulated melder can time its full turn.
 *
 * Like Slack, and configurable:
 * - **latency**: every answer is sent `meanMs ± jitterMs` (uniform) after the request arrived
 *   (default 150 ± 50 ms, what a bot in Europe sees from Slack's API);
 * - **rate limits**: Slack's per-method tiers for one workspace (at most the tier's calls in any
 *   60 s) and `chat.postMessage`'s one message a second per channel (a token bucket, bursts of 3). Over the limit, `enforce` answers HTTP 429 with `Retry-After` as Slack does;
 *   `count` only counts the calls Slack would have refused; `off` does neither;
 * - **trigger ids** expire 3 s after the click (`expired_trigger_id`), like Slack's;
 * - **response_url**: the URL in a block_actions payload, answered like Slack's
 *   (`replace_original` updates the message the click came from; at most 5 uses per URL). It is
 *   not a Web API method and has no tier.
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { parseParams, readAll } from "../../test/support/fake-slack.ts";

export interface StoredMessage {
  ts: string;
  text?: string;
  blocks?: unknown[];
  bot_id: string;
}

export interface WebApiCall {
  method: string;
  params: Record<string, unknown>;
  /** performance.now() when the request body had arrived. */
  at: number;
  /** performance.now() when the answer was sent (the message exists in Slack). */
  doneAt: number;
  /** Slack's error code when the call was refused (429: "ratelimited"). */
  refused?: string;
}

/** One call as the fake answered it: when it arrived and when its answer was sent. */
export interface LoggedCall {
  method: string;
  /** The melder it concerns: their DM channel (or, for views.*, the channel that issued the trigger). */
  channel: string;
  at: number;
  doneAt: number;
  /** HTTP status sent (429 when rate-limited). */
  status: number;
  error?: string;
}

export type RateLimitMode = "enforce" | "count" | "off";

export interface FakeSlackApiOptions {
  latencyMs?: number;
  jitterMs?: number;
  rateLimits?: RateLimitMode;
}

export interface FakeSlackApi {
  /** Base URL ending in "/", for SLACK_API_URL. */
  url: string;
  /** The response_url for a click on the message `ts` in `channel`. */
  responseUrl(channel: string, ts: string): string;
  /** A trigger id for a click the melder makes now in `channel` (expires in 3 s). */
  trigger(channel: string): string;
  /** Calls per method since the last reset. */
  counts: Map<string, number>;
  /** Calls Slack would have refused with 429, per method, since the last reset. */
  rateLimited: Map<string, number>;
  /** Every call since the last reset, with its arrival and answer times. */
  log: LoggedCall[];
  settings: { latencyMs: number; jitterMs: number; rateLimits: RateLimitMode };
  /** Subscribe to every call (one listener per consumer; returns the unsubscribe function). */
  onCall(listener: (call: WebApiCall, message?: StoredMessage) => void): () => void;
  /** Forget all channels, counts and limits (between runs). */
  reset(): void;
  close(): Promise<void>;
}

const BOT_ID = "BBENCHBOT";
const BOT_USER_ID = "UBENCHBOT";
const TRIGGER_TTL_MS = 3_000;
const RESPONSE_URL_USES = 5;

/** Slack's documented per-workspace limits, calls per minute (Tier 2: 20, Tier 3: 50, Tier 4: 100). */
export const SLACK_TIERS: Record<string, { tier: string; perMinute: number }> = {
  "chat.update": { tier: "Tier 3", perMinute: 50 },
  "chat.delete": { tier: "Tier 3", perMinute: 50 },
  "conversations.history": { tier: "Tier 3", perMinute: 50 },
  "conversations.open": { tier: "Tier 3", perMinute: 50 },
  "views.open": { tier: "Tier 4", perMinute: 100 },
  "views.update": { tier: "Tier 4", perMinute: 100 },
  "views.push": { tier: "Tier 4", perMinute: 100 },
  "views.publish": { tier: "Tier 4", perMinute: 100 },
};
/** chat.postMessage: about one message a second per channel, short bursts allowed. */
export const POST_PER_CHANNEL = { perSecond: 1, burst: 3 };

interface Limit {
  /** Takes a call; if it is over the limit, the seconds until it would not be (Retry-After). */
  take(): number | undefined;
}

/** At most `perMinute` calls in any 60 s (Slack's tiers are stated per minute). */
class SlidingMinute implements Limit {
  readonly #times: number[] = [];
  constructor(readonly perMinute: number) {}
  take(): number | undefined {
    const now = performance.now();
    while (this.#times.length > 0 && now - (this.#times[0] as number) >= 60_000) this.#times.shift();
    if (this.#times.length < this.perMinute) {
      this.#times.push(now);
      return undefined;
    }
    return Math.max(1, Math.ceil((60_000 - (now - (this.#times[0] as number))) / 1000));
  }
}

class Bucket implements Limit {
  #tokens: number;
  #last = performance.now();
  constructor(
    readonly capacity: number,
    readonly perMs: number,
  ) {
    this.#tokens = capacity;
  }
  /** Takes a token; if none is left, the seconds until one is (Slack's Retry-After). */
  take(): number | undefined {
    const now = performance.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#last) * this.perMs);
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.perMs / 1000));
  }
}

export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const settings = {
    latencyMs: options.latencyMs ?? 150,
    jitterMs: options.jitterMs ?? 50,
    rateLimits: options.rateLimits ?? "count",
  };
  let channels = new Map<string, StoredMessage[]>();
  const counts = new Map<string, number>();
  const rateLimited = new Map<string, number>();
  let log: LoggedCall[] = [];
  let buckets = new Map<string, Limit>();
  let triggers = new Map<string, { channel: string; at: number }>();
  let responseUses = new Map<string, number>();
  const listeners = new Set<(call: WebApiCall, message?: StoredMessage) => void>();
  let seq = 0;
  // Strictly increasing, numerically comparable message timestamps, like Slack's.
  const nextTs = () => {
    seq++;
    return `${1_700_000_000 + Math.floor(seq / 1_000_000)}.${String(seq % 1_000_000).padStart(6, "0")}`;
  };
  const historyOf = (channel: string) => {
    let list = channels.get(channel);
    if (!list) {
      list = [];
      channels.set(channel, list);
    }
    return list;
  };
  const delay = () => Math.max(0, settings.latencyMs + (Math.random() * 2 - 1) * settings.jitterMs);

  /** Retry-After seconds when this call is over Slack's limit, else undefined. */
  function overLimit(method: string, channel: string): number | undefined {
    if (settings.rateLimits === "off") return undefined;
    let key: string;
    let make: () => Limit;
    if (method === "chat.postMessage") {
      key = `post:${channel}`;
      make = () => new Bucket(POST_PER_CHANNEL.burst, POST_PER_CHANNEL.perSecond / 1000);
    } else {
      const tier = SLACK_TIERS[method];
      if (!tier) return undefined;
      key = method;
      make = () => new SlidingMinute(tier.perMinute);
    }
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = make();
      buckets.set(key, bucket);
    }
    const retryAfter = bucket.take();
    if (retryAfter !== undefined) rateLimited.set(method, (rateLimited.get(method) ?? 0) + 1);
    return settings.rateLimits === "enforce" ? retryAfter : undefined;
  }

  const server: Server = createServer(async (req, res) => {
    const raw = await readAll(req);
    const at = performance.now();
    const path = (req.url ?? "").split("?")[0] ?? "";
    const responseMatch = /^\/response\/([^/]+)\/([^/]+)$/.exec(path);
    const method = responseMatch ? "response_url" : path.replace(/^\/api\//, "");
    const params = responseMatch
      ? { ...parseParams(raw, "application/json"), channel: responseMatch[1], ts: responseMatch[2] }
      : parseParams(raw, String(req.headers["content-type"] ?? ""));
    counts.set(method, (counts.get(method) ?? 0) + 1);
    const trigger = triggers.get(String(params.trigger_id ?? ""));
    let channel = String(params.channel ?? trigger?.channel ?? "");
    if (method === "conversations.open") channel = `D${String(params.users ?? "").slice(1)}`;
    const entry: LoggedCall = { method, channel, at, doneAt: at, status: 200 };
    log.push(entry);
    const wait = delay();
    let stored: StoredMessage | undefined;
    const send = (
      body: { ok: boolean; error?: string; [k: string]: unknown },
      status = 200,
      headers: Record<string, string> = {},
    ) => {
      if (!body.ok) entry.error = body.error ?? "error";
      const reply = () => {
        entry.doneAt = performance.now();
        entry.status = status;
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
        // Listeners hear of a call when Slack answered it: a refused (429) call is not a reply.
        if (status === 429) return;
        const call: WebApiCall = {
          method,
          params: { ...params, channel },
          at,
          doneAt: entry.doneAt,
          ...(entry.error ? { refused: entry.error } : {}),
        };
        for (const listener of listeners) listener(call, stored);
      };
      if (wait > 0) setTimeout(reply, wait);
      else reply();
    };
    const retryAfter = overLimit(method, channel);
    if (retryAfter !== undefined) {
      send({ ok: false, error: "ratelimited" }, 429, { "retry-after": String(retryAfter) });
      return;
    }
    switch (method) {
      case "auth.test":
        send({ ok: true, user_id: BOT_USER_ID, bot_id: BOT_ID, team_id: "T0BENCH", user: "bench" });
        break;
      case "chat.postMessage": {
        stored = {
          ts: nextTs(),
          text: params.text as string,
          blocks: params.blocks as unknown[],
          bot_id: BOT_ID,
        };
        historyOf(channel).push(stored);
        send({ ok: true, channel, ts: stored.ts, message: stored });
        break;
      }
      case "response_url":
      case "chat.update": {
        const message = historyOf(channel).find((m) => m.ts === params.ts);
        const uses = (responseUses.get(path) ?? 0) + 1;
        if (method === "response_url") responseUses.set(path, uses);
        if (message && (method === "chat.update" || uses <= RESPONSE_URL_USES)) {
          message.text = params.text as string;
          message.blocks = params.blocks as unknown[];
          send(method === "chat.update" ? { ok: true, channel, ts: params.ts } : { ok: true });
        } else {
          send({ ok: false, error: message ? "used_too_many_times" : "message_not_found" });
        }
        break;
      }
      case "chat.delete": {
        const list = historyOf(channel);
        const index = list.findIndex((m) => m.ts === params.ts);
        if (index >= 0) list.splice(index, 1);
        send(index >= 0 ? { ok: true, channel, ts: params.ts } : { ok: false, error: "message_not_found" });
        break;
      }
      case "conversations.history": {
        const oldest = params.oldest !== undefined ? Number(params.oldest) : Number.NEGATIVE_INFINITY;
        const latest = params.latest !== undefined ? Number(params.latest) : Number.POSITIVE_INFINITY;
        const inclusive = params.inclusive === true || params.inclusive === "true";
        const limit = Number(params.limit ?? 100);
        const messages = historyOf(channel)
          .filter((m) => {
            const ts = Number(m.ts);
            return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
          })
          .reverse()
          .slice(0, limit);
        send({ ok: true, messages, has_more: false });
        break;
      }
      case "conversations.open":
        send({ ok: true, channel: { id: channel } });
        break;
      case "views.open":
      case "views.push": {
        const id = String(params.trigger_id ?? "");
        if (!trigger) {
          send({ ok: false, error: "invalid_trigger_id" });
          break;
        }
        triggers.delete(id);
        if (at - trigger.at > TRIGGER_TTL_MS) {
          send({ ok: false, error: "expired_trigger_id" });
          break;
        }
        send({ ok: true, view: { id: `V${(++seq).toString(36).toUpperCase()}`, hash: `h${seq}` } });
        break;
      }
      case "views.update":
      case "views.publish":
        send({ ok: true, view: { id: `V${(++seq).toString(36).toUpperCase()}`, hash: `h${seq}` } });
        break;
      default:
        send({ ok: true });
    }
  });
  // Slack keeps connections alive; so does the bot's WebClient.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/api/`,
    responseUrl: (channel, ts) => `${origin}/response/${channel}/${ts}`,
    trigger(channel) {
      const id = `${Math.floor(Math.random() * 1e12)}.${(++seq).toString(36)}.bench`;
      triggers.set(id, { channel, at: performance.now() });
      return id;
    },
    counts,
    rateLimited,
    get log() {
      return log;
    },
    settings,
    onCall(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset() {
      channels = new Map();
      counts.clear();
      rateLimited.clear();
      log = [];
      buckets = new Map();
      triggers = new Map();
      responseUses = new Map();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
