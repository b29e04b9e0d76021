/**
 * A loopback fake of Slack's Web API for the benchmark: answers what the bot (or the floor app)
 * calls with ok:true, keeps a per-channel history so conversations.history answers like Slack,
 * and reports every call with its arrival time so a simulated melder can time its full turn.
 */
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

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
}

export interface FakeSlackApi {
  /** Base URL ending in "/", for SLACK_API_URL. */
  url: string;
  /** Calls per method since the last reset. */
  counts: Map<string, number>;
  /** Subscribe to every call (one listener per consumer; returns the unsubscribe function). */
  onCall(listener: (call: WebApiCall, message?: StoredMessage) => void): () => void;
  /** Forget all channels and counts (between runs). */
  reset(): void;
  close(): Promise<void>;
}

const BOT_ID = "BBENCHBOT";
const BOT_USER_ID = "UBENCHBOT";

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  let channels = new Map<string, StoredMessage[]>();
  const counts = new Map<string, number>();
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

  const server: Server = createServer(async (req, res) => {
    const raw = await readAll(req);
    const at = performance.now();
    const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
    const params = parseParams(raw, String(req.headers["content-type"] ?? ""));
    counts.set(method, (counts.get(method) ?? 0) + 1);
    const send = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const channel = String(params.channel ?? "");
    let stored: StoredMessage | undefined;
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
      case "chat.update": {
        const message = historyOf(channel).find((m) => m.ts === params.ts);
        if (message) {
          message.text = params.text as string;
          message.blocks = params.blocks as unknown[];
        }
        send(message ? { ok: true, channel, ts: params.ts } : { ok: false, error: "message_not_found" });
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
        send({ ok: true, channel: { id: `D${String(params.users ?? "").slice(1)}` } });
        break;
      case "views.open":
      case "views.publish":
        send({ ok: true, view: { id: `V${(++seq).toString(36).toUpperCase()}`, hash: `h${seq}` } });
        break;
      default:
        send({ ok: true });
    }
    const call: WebApiCall = { method, params, at };
    for (const listener of listeners) listener(call, stored);
  });
  // Slack keeps connections alive; so does the bot's WebClient.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    counts,
    onCall(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset() {
      channels = new Map();
      counts.clear();
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

/** The WebClient sends form-encoded bodies with nested values (blocks, view) as JSON strings. */
function parseParams(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes("application/json"))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (/^[[{]/.test(value)) {
      try {
        params[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    params[key] = value;
  }
  return params;
}
