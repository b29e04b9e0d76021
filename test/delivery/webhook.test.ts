import { createHmac, timingSafeEqual } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/delivery/net.ts";
import { DeliveryError } from "../../src/delivery/transport.ts";
import { WebhookTransport, signWebhookBody, webhookUrlProblems } from "../../src/delivery/webhook.ts";
import { dayOf, dayStart } from "../../src/time/day.ts";
import { closedPort, fakeSealed } from "./fixtures.ts";

const SECRET = "test-secret-0123456789abcdef0123456789abcdef";

interface Seen {
  method: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  verified: boolean;
}

/**
 * A receiver like the one docs/delivery.md describes: constant-time HMAC check; the signed
 * timestamp is the start of the day of the attempt, so it accepts one up to 26 hours old (replays
 * are recognised by the Idempotency-Key).
 */
async function startReceiver() {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const timestamp = String(req.headers["x-vertrouwd-timestamp"] ?? "");
      const signature = String(req.headers["x-vertrouwd-signature"] ?? "");
      const expected = `v1=${createHmac("sha256", SECRET).update(`${timestamp}.`).update(body).digest("hex")}`;
      const age = Date.now() / 1000 - Number(timestamp);
      const fresh = age >= -3600 && age <= 26 * 3600;
      const verified =
        fresh &&
        signature.length === expected.length &&
        timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      seen.push({ method: req.method ?? "", headers: req.headers, body, verified });
      res.statusCode = req.method === "HEAD" ? 405 : verified ? 202 : 401;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    seen,
    url: `http://127.0.0.1:${port}/hooks/vertrouwd`,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe("webhook transport", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it("POSTs the armored ciphertext, signed, with the case id as Idempotency-Key", async () => {
    const transport = new WebhookTransport({ url: receiver.url, secret: SECRET, timeoutMs: 5000 });
    const handoff = fakeSealed();
    const confirmation = await transport.deliver(handoff);
    expect(confirmation).toEqual({ transport: "webhook", reference: "HTTP 202" });
    const request = receiver.seen.at(-1);
    expect(request?.method).toBe("POST");
    expect(request?.verified).toBe(true);
    expect(request?.headers["content-type"]).toBe("application/pgp-encrypted");
    expect(request?.headers["idempotency-key"]).toBe(handoff.caseId);
    expect(request?.body.toString("utf8")).toBe(handoff.armored);
  });

  it("signs a handoff retried days after it was sent with the day of the attempt, so it is fresh", async () => {
    const transport = new WebhookTransport({ url: receiver.url, secret: SECRET, timeoutMs: 5000 });
    const handoff = { ...fakeSealed(), day: dayOf(new Date(Date.now() - 5 * 86_400_000)) };
    await transport.deliver(handoff);
    const request = receiver.seen.at(-1);
    expect(request?.verified).toBe(true);
    expect(Number(request?.headers["x-vertrouwd-timestamp"]) * 1000).toBe(
      dayStart(dayOf(new Date())).getTime(),
    );
  });

  it("is rejected by the receiver when signed with another secret, and that is not retried", async () => {
    const transport = new WebhookTransport({ url: receiver.url, secret: `${SECRET}-other`, timeoutMs: 5000 });
    const error = (await transport.deliver(fakeSealed()).catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.message).toBe("webhook receiver answered HTTP 401");
    expect(error.retryable).toBe(false);
  });

  it("signs a fixed vector the way the docs say", () => {
    const expected = createHmac("sha256", "k").update("1700000000.body").digest("hex");
    expect(signWebhookBody("k", 1700000000, "body")).toBe(`v1=${expected}`);
  });

  it("checks reachability with an unsigned HEAD request", async () => {
    const transport = new WebhookTransport({ url: receiver.url, secret: SECRET, timeoutMs: 5000 });
    expect(await transport.check({ network: true })).toEqual([]);
    expect(receiver.seen.at(-1)?.method).toBe("HEAD");
    const gone = new WebhookTransport({
      url: `http://127.0.0.1:${await closedPort()}/x`,
      secret: SECRET,
      timeoutMs: 2000,
    });
    expect(await gone.check({ network: true })).toEqual([
      expect.stringMatching(/not reachable: webhook connection failed \(ECONNREFUSED\)/),
    ]);
  });

  it("allows plain http only for loopback and refuses short secrets", () => {
    expect(webhookUrlProblems("https://hooks.example.org/v")).toEqual([]);
    expect(webhookUrlProblems("http://localhost:8080/v")).toEqual([]);
    expect(webhookUrlProblems("http://[::1]:8080/v")).toEqual([]);
    expect(webhookUrlProblems("http://hooks.example.org/v")).toEqual([
      "webhook url must use https:// (plain http is allowed for loopback hosts only)",
    ]);
    expect(webhookUrlProblems("ftp://hooks.example.org/v")).toHaveLength(1);
    expect(
      () => new WebhookTransport({ url: "https://h.example.org", secret: "short", timeoutMs: 1000 }),
    ).toThrow(/shorter than 32/);
  });
});

describe("Retry-After parsing", () => {
  it("reads delay-seconds and HTTP-dates", () => {
    const now = Date.parse("2025-04-01T12:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Tue, 01 Apr 2025 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 01 Apr 2025 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
