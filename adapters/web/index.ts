/**
 * The secure web page's server side (docs/web.md): the page and its assets, the counsellors'
 * keys, and the endpoints that take a report sealed in the browser into the delivery queue.
 *
 *   GET  /web/            the page (HTML shell, strict CSP)     GET /web/app.js, app.css, icon.svg
 *   GET  /web/config      display data for the flows            GET /web/keys  pinned public keys
 *   POST /web/handoffs    { counsellorId, caseId, armored }     POST /web/status  { caseId }
 *
 * The server never sees the report: it checks the OpenPGP message's shape, size bucket and
 * recipients (server/ciphertext.ts), queues it like every other handoff (same retries, statuses,
 * day-granular timestamps, optional delivery delay) and answers with the delivery status. It logs
 * event names and outcomes only; a client's address is used only as a keyed hash for the rate
 * limits, which live in the state store so every replica counts together.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../../src/config/schema.ts";
import { followUpEnabled } from "../../src/config/schema.ts";
import { directoryFrom } from "../../src/conversation/directory.ts";
import { sha256Hex } from "../../src/crypto/seal.ts";
import type { DeliveryQueue } from "../../src/delivery/queue.ts";
import type { Logger } from "../../src/log/logger.ts";
import type { Metrics } from "../../src/metrics/metrics.ts";
import { clientAddress, clientNetwork } from "../../src/server/client.ts";
import type { Route } from "../../src/server/http.ts";
import { type RateLimit, createRateLimiter } from "../../src/server/rate-limit.ts";
import { type KeyValueStore, StoreUnavailableError } from "../../src/store/types.ts";
import { dayOf } from "../../src/time/day.ts";
import {
  API,
  HandoffRequest,
  MAX_HANDOFF_BODY_BYTES,
  MAX_MAILBOX_BODY_BYTES,
  MAX_REPLY_BODY_BYTES,
  StatusRequest,
  type WebConfig,
} from "./protocol.ts";
import type { WebBundle } from "./server/bundle.ts";
import { inspectCiphertext } from "./server/ciphertext.ts";
import { securityHeaders, sendJson } from "./server/headers.ts";
import { createKeyCache } from "./server/keys.ts";
import { createMailboxEndpoints } from "./server/mailbox.ts";
import { ICON_SVG, renderPage } from "./server/page.ts";
import { Refusal } from "./server/refusal.ts";

export const WEB_PREFIX = "/web/";

export interface WebAdapterDeps {
  config: Config;
  /** The config's directory: relative key paths resolve against it. */
  configDir: string;
  queue: DeliveryQueue;
  /** The shared state store (rate limits). */
  store: KeyValueStore;
  /** Keyed hash with the server secret (the vault's keyFor): a client's address is only ever kept as this. */
  hash(scope: string, window: string, value: string): string;
  /** A handoff was queued: deliver it now rather than at the worker's next poll. */
  deliverSoon(): void;
  /** Counts queued handoffs with the chat's (metrics without data). */
  metrics?: Pick<Metrics, "handoffQueued">;
  bundle: WebBundle;
  logger: Logger;
  now?: () => number;
  random?: () => number;
  /**
   * Test hook: every request body the API received, raw and as parsed, so a test can show that
   * the server never had anything readable. Never set in production.
   */
  onBody?: (route: string, raw: Buffer, parsed: unknown) => void;
}

export interface WebAdapter {
  routes: Route[];
}

export function createWebAdapter(deps: WebAdapterDeps): WebAdapter {
  const { config, queue, logger, bundle } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const publicUrl = config.web.publicUrl ?? WEB_PREFIX;
  const headers = securityHeaders({ https: publicUrl.startsWith("https:") });
  const keys = createKeyCache({ config, baseDir: deps.configDir, logger, now });
  const limiter = createRateLimiter({ store: deps.store, now });
  const windowMs = config.web.rateLimit.windowMinutes * 60_000;
  const LIMITS = {
    handoff: { name: "web-handoff", limit: config.web.rateLimit.handoffsPerClient, windowMs },
    handoffAll: { name: "web-handoff-all", limit: config.web.rateLimit.handoffsOverall, windowMs },
    lookup: { name: "web-lookup", limit: config.web.rateLimit.lookupsPerClient, windowMs },
  } satisfies Record<string, RateLimit>;

  const { defaultLocale } = config;
  const directory = directoryFrom(config);
  const { webFormUrl: _self, ...pageDirectory } = directory;
  const webConfig: WebConfig = {
    v: 1,
    defaultLocale,
    directory: pageDirectory,
    hideRecipients: config.handoff.hideRecipients,
    ...(followUpEnabled(config)
      ? { followUp: { url: publicUrl, retentionDays: config.followUp.retentionDays } }
      : {}),
  };
  const html = Buffer.from(
    renderPage({
      locale: defaultLocale,
      organisation: config.organisation.name,
      integrity: { js: bundle.files["app.js"].integrity, css: bundle.files["app.css"].integrity },
    }),
  );

  // ── Answers ───────────────────────────────────────────────────────────────────────────
  function sendBody(req: IncomingMessage, res: ServerResponse, type: string, body: Buffer, gzip?: Buffer) {
    const accepts = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const payload = gzip && accepts ? gzip : body;
    res.writeHead(200, {
      ...headers,
      "content-type": type,
      "content-length": String(payload.length),
      ...(gzip ? { vary: "Accept-Encoding" } : {}),
      ...(gzip && accepts ? { "content-encoding": "gzip" } : {}),
    });
    res.end(payload);
  }

  function refuse(res: ServerResponse, refusal: Refusal, route: string) {
    logger.info({ event: `web.${route}`, outcome: "refused", reason: refusal.code });
    sendJson(
      res,
      headers,
      refusal.status,
      {
        error: refusal.code,
        message: refusal.message,
        ...(refusal.retryAfterSeconds ? { retryAfterSeconds: refusal.retryAfterSeconds } : {}),
      },
      refusal.retryAfterSeconds ? { "retry-after": String(refusal.retryAfterSeconds) } : {},
    );
  }

  /** The client as the rate limits see it: a keyed hash of its network that changes every window. */
  function client(req: IncomingMessage, limit: RateLimit): string {
    const network = clientNetwork(clientAddress(req, config.web.trustedProxies));
    return deps.hash("web-client", `${limit.name}:${limiter.window(limit)}`, network).slice(0, 40);
  }

  async function take(limit: RateLimit, who: string) {
    const decision = await limiter.take(limit, who);
    if (!decision.allowed) {
      throw new Refusal(
        429,
        "rate_limited",
        "too many requests from this client; try again after the time in retryAfterSeconds",
        decision.retryAfterSeconds,
      );
    }
  }

  // ── The API's POST endpoints ───────────────────────────────────────────────────────────
  function post(
    path: string,
    route: string,
    handle: (body: unknown, req: IncomingMessage) => Promise<unknown>,
    options: { limit?: number; status?: number; raw?: string } = {},
  ) {
    return {
      method: "POST" as const,
      path,
      async handle(req: IncomingMessage, res: ServerResponse) {
        try {
          const site = req.headers["sec-fetch-site"];
          if (site !== undefined && site !== "same-origin") {
            throw new Refusal(403, "forbidden", "requests from other sites are not accepted");
          }
          const limit = options.limit ?? MAX_HANDOFF_BODY_BYTES;
          const body = options.raw
            ? await readRaw(req, route, options.raw, limit)
            : await readJson(req, route, limit);
          const answer = await handle(body, req);
          sendJson(res, headers, options.status ?? (route === "handoff" ? 202 : 200), answer);
        } catch (err) {
          if (err instanceof Refusal) return refuse(res, err, route);
          if (err instanceof StoreUnavailableError) {
            return refuse(
              res,
              new Refusal(503, "unavailable", "the state store is unavailable; try again shortly"),
              route,
            );
          }
          throw err;
        }
      },
    };
  }

  /** Reads a JSON body of at most `limit` bytes; more is read and thrown away, then refused. */
  async function readJson(req: IncomingMessage, route: string, limit: number): Promise<unknown> {
    const type = String(req.headers["content-type"] ?? "");
    const raw = await readCapped(req, limit);
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new Refusal(415, "unsupported_media_type", "send the body as application/json");
    }
    if (raw === undefined) {
      throw new Refusal(413, "too_large", `the body is larger than ${limit} bytes`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new Refusal(400, "bad_request", "the body is not valid JSON");
    } finally {
      deps.onBody?.(route, raw, parsed);
    }
    return parsed;
  }

  /** A body of another type (the counsellor's reply: application/pgp-message), as bytes. */
  async function readRaw(req: IncomingMessage, route: string, type: string, limit: number): Promise<Buffer> {
    const given = String(req.headers["content-type"] ?? "");
    const raw = await readCapped(req, limit);
    if (!new RegExp(`^${type.replace(/[/.+]/g, "\\$&")}\\s*(;|$)`, "i").test(given)) {
      throw new Refusal(415, "unsupported_media_type", `send the body as ${type}`);
    }
    if (raw === undefined) throw new Refusal(413, "too_large", `the body is larger than ${limit} bytes`);
    deps.onBody?.(route, raw, undefined);
    return raw;
  }

  const badShape = (issues: { path: (string | number)[] }[]) =>
    new Refusal(
      400,
      "bad_request",
      `the body does not have the expected shape (at ${[...new Set(issues.map((i) => i.path.join(".") || "(root)"))].slice(0, 5).join(", ")})`,
    );

  async function acceptHandoff(body: unknown, req: IncomingMessage) {
    await take(LIMITS.handoff, client(req, LIMITS.handoff));
    const parsed = HandoffRequest.safeParse(body);
    if (!parsed.success) throw badShape(parsed.error.issues);
    const { counsellorId, caseId, armored } = parsed.data;
    const counsellor = config.counsellors.find((c) => c.id === counsellorId);
    if (!counsellor) throw new Refusal(422, "unknown_counsellor", "no counsellor with this id is configured");
    const pinned = await keys.get(counsellor.id);
    if (!pinned?.ok) {
      throw new Refusal(
        503,
        "key_problem",
        "this counsellor's key is refused at the moment; the admin has been told",
      );
    }
    const inspection = await inspectCiphertext(armored, {
      recipients: pinned.keys.map((k) => k.key),
      hideRecipients: config.handoff.hideRecipients,
      now: new Date(now()),
    });
    if (!inspection.ok) throw new Refusal(422, inspection.problem, inspection.detail);
    // Counted only once a message passed every check: junk cannot use up everyone's allowance.
    await take(LIMITS.handoffAll, "all");
    const sha256 = await sha256Hex(inspection.armored);
    const delayMs = Math.floor(random() * config.handoff.deliveryDelayMinutes * 60_000);
    await queue.enqueue(
      {
        caseId,
        counsellorId: counsellor.id,
        armored: inspection.armored,
        sha256,
        day: dayOf(new Date(now())),
      },
      delayMs,
    );
    deps.deliverSoon();
    deps.metrics?.handoffQueued();
    const status = await queue.status(caseId);
    logger.info({ event: "web.handoff", outcome: "queued" });
    return { caseId, status: status === "unknown" ? "queued" : status };
  }

  async function lookupStatus(body: unknown, req: IncomingMessage) {
    await take(LIMITS.lookup, client(req, LIMITS.lookup));
    const parsed = StatusRequest.safeParse(body);
    if (!parsed.success) throw badShape(parsed.error.issues);
    return { status: await queue.status(parsed.data.caseId) };
  }

  // ── The follow-up mailbox (server/mailbox.ts) ──────────────────────────────────────────
  const mailbox = followUpEnabled(config)
    ? createMailboxEndpoints({
        config,
        store: deps.store,
        queue,
        keys,
        limiter,
        logger,
        publicUrl,
        now,
        random,
        deliverSoon: deps.deliverSoon,
        take: (limit, req) => take(limit, req === "all" ? "all" : client(req, limit)),
        badShape,
      })
    : undefined;

  // ── Routes ────────────────────────────────────────────────────────────────────────────
  const get = (path: string, handle: Route["handle"]): Route => ({ method: "GET", path, handle });
  const asset = (name: "app.js" | "app.css") =>
    get(`${WEB_PREFIX}${name}`, (req, res) => {
      const file = bundle.files[name];
      sendBody(req, res, file.contentType, file.body, file.gzip);
    });
  const notFound: Route["handle"] = (_req, res) =>
    sendJson(res, headers, 404, { error: "not_found", message: "no such page or endpoint" });
  const toPage: Route["handle"] = (_req, res) => {
    res.writeHead(308, { ...headers, location: publicUrl, "content-length": "0" });
    res.end();
  };

  const routes: Route[] = [
    get("/web", toPage),
    get(WEB_PREFIX, (req, res) => sendBody(req, res, "text/html; charset=utf-8", html)),
    asset("app.js"),
    asset("app.css"),
    get(`${WEB_PREFIX}icon.svg`, (req, res) => sendBody(req, res, "image/svg+xml", Buffer.from(ICON_SVG))),
    get(`${WEB_PREFIX}${API.config}`, (_req, res) => sendJson(res, headers, 200, webConfig)),
    get(`${WEB_PREFIX}${API.keys}`, async (_req, res) => sendJson(res, headers, 200, await keys.answer())),
    post(`${WEB_PREFIX}${API.handoffs}`, "handoff", acceptHandoff),
    post(`${WEB_PREFIX}${API.status}`, "status", lookupStatus),
    ...(mailbox
      ? [
          post(`${WEB_PREFIX}${API.mailboxOpen}`, "mailbox_open", mailbox.open, {
            limit: MAX_MAILBOX_BODY_BYTES,
          }),
          post(`${WEB_PREFIX}${API.mailboxRead}`, "mailbox_read", mailbox.read, { limit: 2_000 }),
          post(`${WEB_PREFIX}${API.mailboxAnswer}`, "mailbox_answer", mailbox.answer, {
            limit: MAX_MAILBOX_BODY_BYTES,
          }),
          post(
            `${WEB_PREFIX}${API.mailboxReplies}`,
            "mailbox_reply",
            (body, req) => mailbox.reply(req, body as Buffer),
            { limit: MAX_REPLY_BODY_BYTES, status: 201, raw: "application/pgp-message" },
          ),
        ]
      : []),
    { method: "GET", path: WEB_PREFIX, prefix: true, handle: notFound },
    { method: "POST", path: WEB_PREFIX, prefix: true, handle: notFound },
  ];
  // The public entry: the bare address leads to the page.
  if (config.web.publicEntry) routes.push(get("/", toPage));
  return { routes };
}

/**
 * The body, or undefined when it is larger than `limit`. A larger body is still read (and thrown
 * away, up to four times the limit) so the client receives the refusal instead of a broken
 * connection; beyond that the connection is cut.
 */
async function readCapped(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit * 4) {
      req.destroy();
      return undefined;
    }
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}
