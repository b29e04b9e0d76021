import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { Logger } from "../log/logger.ts";

/** One endpoint an adapter mounts on the shared HTTP server. */
export interface Route {
  method: "GET" | "POST";
  path: string;
  /** Also answer every path under `path` (which then ends in "/"); exact routes are tried first. */
  prefix?: boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> | void;
}

/** What a graceful shutdown did: whether every request in flight finished within the grace. */
export interface ShutdownResult {
  finished: boolean;
  /** Requests still running when the grace ran out (their connections were closed). */
  abandoned: number;
}

/** The HTTP server, with a shutdown that lets the turns in flight finish. */
export type HttpServer = Server & {
  /**
   * Stops accepting: the listening socket closes, idle keep-alive connections close, and a new
   * request on a connection that is still open gets 503 with `connection: close` (Slack and
   * Teams retry it, on another replica behind the load balancer). Requests in flight get
   * `graceMs` to finish; then every connection is closed.
   */
  shutdown(graceMs: number): Promise<ShutdownResult>;
  readonly draining: boolean;
};

/**
 * A deliberately small router: adapters own their endpoints, the server owns nothing but
 * dispatch, limits, draining and a crash guard that never echoes request content.
 */
export function createHttpServer(routes: Route[], log: Logger): HttpServer {
  let draining = false;
  const inFlight = new Set<Promise<unknown>>();
  const server = createServer((req, res) => {
    if (draining) {
      res.writeHead(503, { "content-type": "application/json", connection: "close", "retry-after": "1" });
      res.end(JSON.stringify({ error: "shutting down" }));
      return;
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const matches = (r: Route) => r.path === path || (r.prefix === true && path.startsWith(r.path));
    // HEAD is answered by the GET route (Node sends the headers and drops the body), so a HEAD
    // carries the same security headers as the page it asks about.
    const method = req.method === "HEAD" ? "GET" : req.method;
    const route =
      routes.find((r) => r.path === path && r.method === method) ??
      routes.find((r) => r.prefix === true && path.startsWith(r.path) && r.method === method);
    if (!route) {
      const known = routes.some(matches);
      const allow: string[] = [...new Set(routes.filter(matches).map((r) => r.method))];
      if (allow.includes("GET")) allow.push("HEAD");
      res.writeHead(known ? 405 : 404, {
        "content-type": "application/json",
        ...(known ? { allow: allow.join(", ") } : {}),
      });
      res.end(JSON.stringify({ error: known ? "method not allowed" : "not found" }));
      return;
    }
    const started = performance.now();
    const handled = Promise.resolve()
      .then(() => route.handle(req, res))
      .catch((err: unknown) => {
        log.error({ event: "http.unhandled", route: route.path, err }, "request failed");
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: "internal error" }));
        } else {
          res.end();
        }
      })
      .finally(() => {
        inFlight.delete(handled);
        log.debug({ event: "http.request", route: route.path, ms: Math.round(performance.now() - started) });
      });
    inFlight.add(handled);
  });
  return Object.assign(server, {
    get draining() {
      return draining;
    },
    async shutdown(graceMs: number): Promise<ShutdownResult> {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      const finished = await Promise.race([Promise.all([...inFlight]).then(() => true as const), grace]);
      clearTimeout(timer);
      const abandoned = inFlight.size;
      server.closeAllConnections();
      await closed;
      return { finished, abandoned };
    },
  });
}

/** A JSON answer (adapters and health alike); `headers` add to or override the content type. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Reads a request body up to a limit; rejects with a 413-worthy error beyond it. */
export async function readBody(req: IncomingMessage, limitBytes = 1_000_000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export class BodyTooLargeError extends Error {
  constructor() {
    super("request body too large");
    this.name = "BodyTooLargeError";
  }
}
