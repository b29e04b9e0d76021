import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Delivery } from "../../src/config/schema.ts";
import {
  DEFAULT_RETRY_POLICY,
  OutboxTransport,
  TransportConfigError,
  checkTransports,
  createTransport,
  retryPolicyFor,
} from "../../src/delivery/index.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { closedPort } from "./fixtures.ts";
import { type SmtpHarness, startSmtpServer } from "./smtp-server-harness.ts";

const SECRET = "index-secret-0123456789abcdef0123456789";

describe("createTransport", () => {
  const deps = { env: {}, logger: silentLogger() };

  it("builds each kind from a parsed Delivery", () => {
    const outbox = createTransport(Delivery.parse({ type: "outbox" }), {
      ...deps,
      baseDir: "/srv/vertrouwd",
    });
    expect(outbox).toBeInstanceOf(OutboxTransport);
    expect((outbox as OutboxTransport).dir).toBe("/srv/vertrouwd/outbox");
    const smtp = createTransport(
      Delivery.parse({ type: "smtp", to: "c@example.org", from: "v@example.org" }),
      { ...deps, env: { SMTP_URL: "smtps://mail.example.org" } },
    );
    expect(smtp.kind).toBe("smtp");
    const webhook = createTransport(
      Delivery.parse({ type: "webhook", url: "https://hooks.example.org/v", secretEnv: "HOOK_SECRET" }),
      { ...deps, env: { HOOK_SECRET: SECRET } },
    );
    expect(webhook.kind).toBe("webhook");
    const slack = createTransport(Delivery.parse({ type: "slack", userId: "U0ABCDEF" }), {
      ...deps,
      env: { SLACK_BOT_TOKEN: "xoxb-x" },
    });
    expect(slack.kind).toBe("slack");
  });

  it("fails early, naming the missing variable and never a secret", () => {
    expect(() =>
      createTransport(Delivery.parse({ type: "smtp", to: "c@example.org", from: "v@example.org" }), deps),
    ).toThrow(new TransportConfigError("SMTP_URL is not set (needed for smtp delivery)"));
    expect(() =>
      createTransport(
        Delivery.parse({ type: "webhook", url: "http://hooks.example.org/v", secretEnv: "HOOK_SECRET" }),
        {
          ...deps,
          env: { HOOK_SECRET: SECRET },
        },
      ),
    ).toThrow(/webhook delivery: webhook url must use https/);
    expect(() =>
      createTransport(Delivery.parse({ type: "smtp", to: "c@example.org", from: "v@example.org" }), {
        ...deps,
        env: { SMTP_URL: "imap://user:hunter2@mail.example.org" },
      }),
    ).toThrow(/^smtp delivery: SMTP_URL must start with smtp:\/\/ or smtps:\/\/ \(got imap:\/\/\)$/);
  });

  it("uses the configured retry policy or the defaults", () => {
    expect(retryPolicyFor(Delivery.parse({ type: "outbox" }))).toEqual(DEFAULT_RETRY_POLICY);
    expect(
      retryPolicyFor(
        Delivery.parse({ type: "slack", userId: "U0ABCDEF", retry: { attempts: 2, baseDelayMs: 50 } }),
      ),
    ).toEqual({ attempts: 2, baseDelayMs: 50, maxDelayMs: 30_000 });
  });
});

describe("checkTransports (doctor)", () => {
  let smtp: SmtpHarness;
  let base: string;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    base = await mkdtemp(join(tmpdir(), "vertrouwd-doctor-"));
  });
  afterAll(async () => {
    await smtp.close();
    await rm(base, { recursive: true, force: true });
  });

  it("reports missing secrets offline and unreachable servers online", async () => {
    const counsellors = [
      { id: "outbox", delivery: Delivery.parse({ type: "outbox", dir: "box" }) },
      { id: "mail", delivery: Delivery.parse({ type: "smtp", to: "c@example.org", from: "v@example.org" }) },
      {
        id: "hook",
        delivery: Delivery.parse({
          type: "webhook",
          url: `http://127.0.0.1:${await closedPort()}/v`,
          secretEnv: "HOOK",
        }),
      },
      {
        id: "short",
        delivery: Delivery.parse({ type: "webhook", url: "https://h.example.org", secretEnv: "SHORT" }),
      },
      { id: "slack", delivery: Delivery.parse({ type: "slack", userId: "U0ABCDEF" }) },
    ];
    const env = { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, HOOK: SECRET, SHORT: "abc" };
    const offline = await checkTransports(
      counsellors,
      { env, logger: silentLogger(), baseDir: base },
      { network: false },
    );
    expect(offline).toEqual([
      { counsellorId: "outbox", transport: "outbox", problems: [] },
      { counsellorId: "mail", transport: "smtp", problems: [] },
      { counsellorId: "hook", transport: "webhook", problems: [] },
      { counsellorId: "short", transport: "webhook", problems: ["SHORT is shorter than 32 characters"] },
      {
        counsellorId: "slack",
        transport: "slack",
        problems: ["SLACK_BOT_TOKEN is not set (needed for slack delivery)"],
      },
    ]);
    const online = await checkTransports(
      counsellors.slice(0, 3),
      { env, logger: silentLogger(), baseDir: base },
      { network: true },
    );
    expect(online.map((c) => c.problems)).toEqual([
      [],
      [],
      [
        expect.stringMatching(
          /webhook receiver is not reachable: webhook connection failed \(ECONNREFUSED\)/,
        ),
      ],
    ]);
  });
});
