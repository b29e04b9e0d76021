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

/**
 * A deliberately small router: adapters own their endpoints, the server owns nothing but
 * dispatch, limits and a crash guard that never echoes request content.
 */
export function createHttpServer(routes: Route[], log: Logger): Server {
  return createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const matches = (r: Route) => r.path === path || (r.prefix === true && path.startsWith(r.path));
    const route =
      routes.find((r) => r.path === path && r.method === req.method) ??
      routes.find((r) => r.prefix === true && path.startsWith(r.path) && r.method === req.method);
    if (!route) {
      const known = routes.some(matches);
      res.writeHead(known ? 405 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: known ? "method not allowed" : "not found" }));
      return;
    }
    const started = performance.now();
    Promise.resolve()
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
        log.debug({ event: "http.request", route: route.path, ms: Math.round(performance.now() - started) });
      });
  });
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
