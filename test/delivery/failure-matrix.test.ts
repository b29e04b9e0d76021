import { type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryFailedError, deliverWithRetry } from "../../src/delivery/retry.ts";
import { SmtpTransport } from "../../src/delivery/smtp.ts";
import { WebhookTransport } from "../../src/delivery/webhook.ts";
import { CANARY, closedPort, fakeSealed, memoryLogger, recordingSleep } from "./fixtures.ts";
import { type SmtpHarness, parseMime, startSmtpServer } from "./smtp-server-harness.ts";

const SECRET = "matrix-secret-0123456789abcdef0123456789";
const policy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5000 };
/** random() = 0.5 makes full jitter predictable: half of min(max, base·2^(n-1)). */
const half = () => 0.5;

type Responder = (res: ServerResponse, attempt: number) => void;

async function startWebhook() {
  const keys: string[] = [];
  let responder: Responder = (res) => res.end();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      keys.push(String(req.headers["idempotency-key"]));
      responder(res, keys.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    keys,
    url: `http://127.0.0.1:${port}/in`,
    respond(next: Responder) {
      keys.length = 0;
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function expectFailure(promise: Promise<unknown>): Promise<DeliveryFailedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryFailedError);
  const failed = error as DeliveryFailedError;
  expect(failed.message).not.toContain(CANARY);
  expect(failed.message).not.toContain("BEGIN PGP");
  return failed;
}

describe("failure matrix: webhook", () => {
  let hook: Awaited<ReturnType<typeof startWebhook>>;
  beforeAll(async () => {
    hook = await startWebhook();
  });
  afterAll(async () => {
    await hook.close();
  });
  const webhook = (timeoutMs = 5000) => new WebhookTransport({ url: hook.url, secret: SECRET, timeoutMs });

  it("HTTP 500 on every attempt: retries with backoff, same Idempotency-Key, then fails", async () => {
    hook.respond((res) => {
      res.statusCode = 500;
      res.end(`internal ${CANARY}`);
    });
    const handoff = fakeSealed();
    const { delays, sleep } = recordingSleep();
    const failed = await expectFailure(deliverWithRetry(webhook(), handoff, policy, { sleep, random: half }));
    expect(failed.attempts).toBe(3);
    expect(failed.message).toBe(
      "delivery via webhook failed after 3 attempts: webhook receiver answered HTTP 500",
    );
    expect(delays).toEqual([100, 200]);
    expect(hook.keys).toEqual([handoff.caseId, handoff.caseId, handoff.caseId]);
  });

  it("timeouts are retried and reported as timeouts", async () => {
    hook.respond(() => undefined); // never answers
    const handoff = fakeSealed();
    const { delays, sleep } = recordingSleep();
    const failed = await expectFailure(
      deliverWithRetry(webhook(150), handoff, policy, { sleep, random: half }),
    );
    expect(failed.attempts).toBe(3);
    expect(failed.reason).toBe("webhook request timed out");
    expect(delays).toEqual([100, 200]);
    expect(hook.keys).toEqual([handoff.caseId, handoff.caseId, handoff.caseId]);
  });

  it("429 with Retry-After seconds: waits as told, then succeeds", async () => {
    hook.respond((res, attempt) => {
      res.statusCode = attempt === 1 ? 429 : 204;
      if (attempt === 1) res.setHeader("retry-after", "3");
      res.end();
    });
    const handoff = fakeSealed();
    const { delays, sleep } = recordingSleep();
    const confirmation = await deliverWithRetry(webhook(), handoff, policy, { sleep, random: half });
    expect(confirmation).toEqual({ transport: "webhook", reference: "HTTP 204" });
    expect(delays).toEqual([3000]);
    expect(hook.keys).toEqual([handoff.caseId, handoff.caseId]);
  });

  it("503 with an HTTP-date Retry-After is honoured", async () => {
    hook.respond((res, attempt) => {
      res.statusCode = attempt === 1 ? 503 : 200;
      if (attempt === 1) res.setHeader("retry-after", new Date(Date.now() + 4000).toUTCString());
      res.end();
    });
    const { delays, sleep } = recordingSleep();
    await deliverWithRetry(webhook(), fakeSealed(), policy, { sleep, random: half });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
    expect(delays[0]).toBeLessThanOrEqual(4000);
  });

  it("429 asking for longer than maxDelayMs stops instead of retrying early", async () => {
    hook.respond((res) => {
      res.statusCode = 429;
      res.setHeader("retry-after", "60");
      res.end();
    });
    const { delays, sleep } = recordingSleep();
    const failed = await expectFailure(
      deliverWithRetry(webhook(), fakeSealed(), policy, { sleep, random: half }),
    );
    expect(failed.attempts).toBe(1);
    expect(failed.reason).toBe(
      "webhook receiver answered HTTP 429; server asked to wait 60s, beyond the retry budget",
    );
    expect(delays).toEqual([]);
  });

  it("4xx other than 429 is not retried", async () => {
    hook.respond((res) => {
      res.statusCode = 422;
      res.end();
    });
    const failed = await expectFailure(
      deliverWithRetry(webhook(), fakeSealed(), policy, { sleep: recordingSleep().sleep, random: half }),
    );
    expect(failed.attempts).toBe(1);
    expect(failed.retryable).toBe(false);
    expect(hook.keys).toHaveLength(1);
  });

  it("connection refused is retried, then fails with the error code only", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/in`;
    const transport = new WebhookTransport({ url, secret: SECRET, timeoutMs: 2000 });
    const { delays, sleep } = recordingSleep();
    const { logger, lines } = memoryLogger();
    const failed = await expectFailure(
      deliverWithRetry(transport, fakeSealed(), policy, { sleep, random: half, logger }),
    );
    expect(failed.attempts).toBe(3);
    expect(failed.message).toBe(
      "delivery via webhook failed after 3 attempts: webhook connection failed (ECONNREFUSED)",
    );
    expect(delays).toEqual([100, 200]);
    expect(lines().join("\n")).not.toContain("BEGIN PGP");
  });
});

describe("failure matrix: SMTP", () => {
  let smtp: SmtpHarness;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });
  const transport = () =>
    new SmtpTransport({
      to: "counsellor@example.org",
      from: "vertrouwd@example.org",
      subject: "Vertrouwd: nieuw versleuteld bericht",
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
    });

  it("4xx is temporary: retried with the same Message-ID until accepted", async () => {
    smtp.received.length = 0;
    smtp.failDataWith = 451;
    const handoff = fakeSealed();
    const { delays, sleep } = recordingSleep();
    const confirmation = await deliverWithRetry(transport(), handoff, policy, {
      sleep,
      random: half,
      onAttempt: (n) => {
        if (n === 3) smtp.failDataWith = undefined;
      },
    });
    expect(confirmation.reference).toBe(`<vertrouwd.${handoff.caseId}@example.org>`);
    expect(delays).toEqual([100, 200]);
    expect(smtp.received).toHaveLength(1);
    expect(parseMime(smtp.received[0]?.raw ?? "").headers.get("message-id")).toBe(confirmation.reference);
  });

  it("4xx on every attempt fails after the configured attempts", async () => {
    smtp.failRcptWith = 452;
    smtp.rcptAttempts = 0;
    try {
      const failed = await expectFailure(
        deliverWithRetry(transport(), fakeSealed(), policy, { sleep: recordingSleep().sleep, random: half }),
      );
      expect(failed.attempts).toBe(3);
      expect(failed.retryable).toBe(true);
      expect(failed.reason).toMatch(/^SMTP server answered 452 to RCPT \(temporary failure\)$/);
      expect(smtp.rcptAttempts).toBe(3);
    } finally {
      smtp.failRcptWith = undefined;
    }
  });

  it("5xx is permanent: one attempt, no retry", async () => {
    smtp.failRcptWith = 550;
    smtp.rcptAttempts = 0;
    try {
      const { delays, sleep } = recordingSleep();
      const failed = await expectFailure(
        deliverWithRetry(transport(), fakeSealed(), policy, { sleep, random: half }),
      );
      expect(failed.attempts).toBe(1);
      expect(failed.retryable).toBe(false);
      expect(failed.message).toBe(
        "delivery via smtp failed after 1 attempt: SMTP server answered 550 to RCPT (permanent failure)",
      );
      expect(delays).toEqual([]);
      expect(smtp.rcptAttempts).toBe(1);
    } finally {
      smtp.failRcptWith = undefined;
    }
  });

  it("a refused SMTP connection is retried", async () => {
    const down = new SmtpTransport({
      to: "c@example.org",
      from: "v@example.org",
      subject: "x",
      smtpUrl: `smtp://127.0.0.1:${await closedPort()}`,
    });
    const { delays, sleep } = recordingSleep();
    const failed = await expectFailure(deliverWithRetry(down, fakeSealed(), policy, { sleep, random: half }));
    expect(failed.attempts).toBe(3);
    expect(failed.reason).toMatch(/^SMTP connection failed \(E[A-Z]+\)$/);
    expect(delays).toEqual([100, 200]);
  });
});
