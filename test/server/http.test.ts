/**
 * The router's own answers: HEAD takes the GET route's headers (the web page's security headers
 * included), a known path with the wrong method says which methods it has.
 */
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.ts";
import { type HttpServer, createHttpServer } from "../../src/server/http.ts";

let server: HttpServer;
let port: number;

beforeAll(async () => {
  server = createHttpServer(
    [
      {
        method: "GET",
        path: "/page",
        handle: (_req, res) => {
          res.writeHead(200, {
            "content-type": "text/plain",
            "x-frame-options": "DENY",
            "content-length": "5",
          });
          res.end("hello");
        },
      },
      { method: "POST", path: "/api", handle: (_req, res) => void res.end() },
    ],
    silentLogger(),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await server.shutdown(100);
});

function call(
  method: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the HTTP router", () => {
  it("answers HEAD with the GET route's headers and no body", async () => {
    const head = await call("HEAD", "/page");
    expect(head.status).toBe(200);
    expect(head.headers["x-frame-options"]).toBe("DENY");
    expect(head.body).toBe("");
  });

  it("names the allowed methods on a known path asked with another", async () => {
    const wrong = await call("DELETE", "/page");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe("GET, HEAD");
    expect((await call("GET", "/api")).headers.allow).toBe("POST");
    const unknown = await call("GET", "/nowhere");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
  });
});
