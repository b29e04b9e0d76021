/**
 * POST /api/messages: Bot Framework JWT authentication first, then validation, over real HTTP
 * with Microsoft faked by nock; and the Teams settings read from the environment.
 */
// botframework-connector keeps Microsoft's keys in a static cache of this class (not exported).
import { JwtTokenExtractor } from "botframework-connector/lib/auth/jwtTokenExtractor.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { TeamsConfigError, readTeamsSettings } from "../../../adapters/teams/settings.ts";
import {
  type Bench,
  Melder,
  SILENT_MS,
  TeamsUser,
  microsoft,
  newSigningKey,
  sentCards,
  signingKey,
  startBench,
} from "./harness.ts";

/**
 * console.error as the SDK finds it (spied before the adapter wraps it): what reaches it would
 * reach stderr outside a test. Silent, so the report stays readable.
 */
const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);

let bench: Bench;
beforeAll(async () => {
  bench = await startBench();
});
afterAll(async () => bench?.close());

const lines = (b: Bench, from = 0) => b.logs.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>);
const errorLines = (b: Bench, from = 0) => lines(b, from).filter((l) => Number(l.level) >= 50);

describe("when Microsoft's signing keys cannot be fetched", () => {
  beforeEach(() => {
    // botframework-connector keeps Microsoft's keys per process for 24 hours: start empty, so the
    // next request has to fetch them.
    (
      JwtTokenExtractor as unknown as { openIdMetadataCache: Map<string, unknown> }
    ).openIdMetadataCache.clear();
  });
  afterAll(() => {
    microsoft.keys = "ok";
  });

  it.each([
    ["the OpenID configuration answers 500", "config-500"],
    ["the key set answers 500", "keys-500"],
    ["the connection is refused", "refused"],
  ] as const)("answers 503 with Retry-After when %s, and logs no error per request", async (_name, mode) => {
    microsoft.keys = mode;
    const logsFrom = bench.logs.length;
    const callsFrom = bench.calls.length;
    const metadataFrom = microsoft.metadataRequests;
    const forged = await bench.token({ key: await newSigningKey() });
    for (let i = 0; i < 5; i++) {
      const user = new TeamsUser(bench);
      const res = await bench.post(user.text("hallo"), { token: i % 2 === 0 ? forged : undefined });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("10");
      expect(await res.json()).toEqual({ error: "authentication temporarily unavailable" });
    }
    expect(microsoft.metadataRequests).toBeGreaterThan(metadataFrom);
    expect(bench.calls.length).toBe(callsFrom);
    expect(errorLines(bench, logsFrom)).toEqual([]);
  });

  it("answers 503 when the key endpoint accepts the connection but does not answer in time", async () => {
    const slow = await startBench({ adapter: { authTimeoutMs: 300 } });
    try {
      microsoft.keys = "silent";
      const started = Date.now();
      const res = await slow.post(new TeamsUser(slow).install());
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(SILENT_MS);
      expect(slow.calls).toEqual([]);
    } finally {
      microsoft.keys = "ok";
      await slow.close();
    }
  });

  it("warns at most once a minute, however many requests fail", () => {
    const warnings = lines(bench).filter((l) => l.event === "teams.auth.metadata_unavailable");
    // Three outages of five requests each, all within a minute: one warning.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe(40);
  });

  it("still refuses a request without a token with 401 (nothing to fetch for it)", async () => {
    microsoft.keys = "refused";
    const res = await bench.post(new TeamsUser(bench).text("hallo"), { token: null });
    expect(res.status).toBe(401);
  });

  it("recovers as soon as the keys can be fetched again", async () => {
    microsoft.keys = "refused";
    const m = new Melder(bench);
    expect((await m.install()).status).toBe(503);
    microsoft.keys = "ok";
    const again = await m.install();
    expect(again.status).toBe(200);
    expect(again.cards).toHaveLength(1);
  });
});

describe("POST /api/messages authentication", () => {
  it("accepts a valid Bot Framework token and calls the connector with a token of the bot's own tenant", async () => {
    const m = new Melder(bench);
    const tokensFrom = microsoft.tokenRequests.length;
    const res = await m.install();
    expect(res.status).toBe(200);
    expect(res.cards).toHaveLength(1);
    // SingleTenant: the bot's token comes from its own tenant, not from botframework.com.
    const asked = microsoft.tokenRequests.slice(tokensFrom);
    if (asked.length > 0) expect(asked.every((p) => p.startsWith(`/${bench.tenantId}/`))).toBe(true);
    expect(microsoft.tokenRequests.some((p) => p.startsWith(`/${bench.tenantId}/`))).toBe(true);
  });

  const rejected: [string, (b: Bench) => Promise<string | null>][] = [
    ["a missing token", async () => null],
    [
      "a token signed by another key",
      async (b) => b.token({ key: { ...(await newSigningKey()), kid: (await signingKey()).kid } }),
    ],
    ["a token with an unknown key id", async (b) => b.token({ key: await newSigningKey() })],
    ["an expired token", async (b) => b.token({ expiresIn: -3600 })],
    ["a token for another bot", async (b) => b.token({ audience: "00000000-0000-0000-0000-000000000000" })],
    ["a token from another issuer", async (b) => b.token({ issuer: "https://sts.windows.net/evil/" })],
    ["a token for another serviceUrl", async (b) => b.token({ serviceUrl: "https://evil.example/emea/" })],
    ["a garbled token", async () => "not.a.jwt"],
  ];
  it.each(rejected)("refuses %s with 401 and touches nothing", async (_name, make) => {
    const user = new TeamsUser(bench);
    const before = bench.calls.length;
    const logsFrom = bench.logs.length;
    // The SDK itself prints expired and unverifiable tokens to stderr: that must not get out.
    const printedBefore = consoleError.mock.calls.length;
    const res = await bench.post(user.install(), { token: (await make(bench)) ?? "" });
    expect(consoleError.mock.calls.slice(printedBefore)).toEqual([]);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "unauthorized" });
    expect(bench.calls.length).toBe(before);
    expect(lines(bench, logsFrom).map((l) => l.event)).toEqual(["teams.auth.rejected", "http.request"]);
    // Nothing was stored for this user either: a valid install later is a first contact.
    const later = await bench.post(user.install());
    expect(later.status).toBe(200);
    expect(sentCards(bench.calls.slice(before))[0]?.text()).not.toContain("verder waar je was");
  });

  it("refuses a scheme other than Bearer", async () => {
    const user = new TeamsUser(bench);
    const res = await bench.post(user.install(), {
      token: null,
      headers: { authorization: `Basic ${await bench.token()}` },
    });
    expect(res.status).toBe(401);
  });
});

describe("request validation (after authentication)", () => {
  const raw = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${bench.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  const notAnActivity = { type: "message", text: "CANARY-shape", channelId: "msteams" };

  it("authenticates first: an unauthenticated body that is not an activity gets 401, not 400", async () => {
    const logsFrom = bench.logs.length;
    expect((await raw(JSON.stringify(notAnActivity))).status).toBe(401);
    const forged = await bench.token({ key: await newSigningKey() });
    expect((await raw(JSON.stringify(notAnActivity), { authorization: `Bearer ${forged}` })).status).toBe(
      401,
    );
    expect(lines(bench, logsFrom).some((l) => l.event === "teams.request.rejected")).toBe(false);
  });

  it("answers 400 with the offending paths, never the values, once authenticated", async () => {
    const logsFrom = bench.logs.length;
    const res = await raw(JSON.stringify(notAnActivity), { authorization: `Bearer ${await bench.token()}` });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: string[] };
    expect(body.error).toBe("not a Bot Framework activity");
    expect(body.issues.join(" ")).toContain("serviceUrl");
    expect(body.issues.join(" ")).toContain("from");
    expect(JSON.stringify(body)).not.toContain("CANARY");
    expect(lines(bench, logsFrom).find((l) => l.event === "teams.request.rejected")).toMatchObject({
      status: 400,
    });
  });

  it("answers 400 for invalid JSON, 415 for another content type, 413 for a huge body", async () => {
    expect((await raw("{not json")).status).toBe(400);
    expect((await raw("null")).status).toBe(400);
    // JSON, but not an object: authenticated first like any other body. Even a valid token does
    // not authenticate it: without a channel id the key's endorsement cannot be checked.
    expect((await raw("[1,2]")).status).toBe(401);
    expect((await raw("[1,2]", { authorization: `Bearer ${await bench.token()}` })).status).toBe(401);
    expect((await raw("{}", { "content-type": "text/plain" })).status).toBe(415);
    const huge = JSON.stringify({ ...new TeamsUser(bench).text("x"), filler: "y".repeat(300_000) });
    expect((await raw(huge)).status).toBe(413);
    expect((await fetch(`${bench.url}/api/messages`)).status).toBe(405);
  });

  it("ignores group chats, channels, other channels and other tenants", async () => {
    const variants: [string, (a: Record<string, unknown>) => void][] = [
      ["groupChat", (a) => void ((a.conversation as Record<string, unknown>).conversationType = "groupChat")],
      ["channel", (a) => void ((a.conversation as Record<string, unknown>).conversationType = "channel")],
      [
        "another tenant",
        (a) => {
          (a.conversation as Record<string, unknown>).tenantId = "11111111-2222-3333-4444-555555555555";
          a.channelData = { tenant: { id: "11111111-2222-3333-4444-555555555555" } };
        },
      ],
    ];
    for (const [name, change] of variants) {
      const user = new TeamsUser(bench);
      const activity = user.install();
      change(activity);
      const before = bench.calls.length;
      const logsFrom = bench.logs.length;
      expect((await bench.post(activity)).status, name).toBe(200);
      expect(bench.calls.length, name).toBe(before);
      expect(
        lines(bench, logsFrom).some((l) => l.event === "teams.ignored"),
        name,
      ).toBe(true);
    }
  });

  it("refuses an activity from a channel Microsoft's key is not endorsed for (401)", async () => {
    const activity = new TeamsUser(bench).install();
    activity.channelId = "webchat";
    const before = bench.calls.length;
    expect((await bench.post(activity)).status).toBe(401);
    expect(bench.calls.length).toBe(before);
  });

  it("ignores a message whose value is not card data, and answers 501 to an invoke it does not handle", async () => {
    const m = new Melder(bench);
    await m.install();
    const logsFrom = bench.logs.length;
    for (const value of ["text", 42, { foreign: true }, { verb: "someone_else" }]) {
      const res = await m.post({ ...m.user.base("message"), value });
      expect(res.status).toBe(200);
      expect(res.calls).toEqual([]);
    }
    // No text and a null value (e.g. only a picture): like any typed message, a neutral pointer to
    // the form — not a crash in teams-ai's card routing.
    const nothing = await m.post({ ...m.user.base("message"), value: null });
    expect(nothing.cards.map((c) => c.text()).join()).toContain("Gebruik dan het formulier");
    expect(
      (await bench.post(m.user.invoke("adaptiveCard/action", { action: { type: "Action.Execute" } }))).status,
    ).toBe(501);
    expect(errorLines(bench, logsFrom)).toEqual([]);
  });

  it("never logs request content, user or conversation ids", async () => {
    const m = new Melder(bench);
    await m.install();
    await m.type("CANARY-typed in de chat");
    await m.click("continue");
    const logs = bench.logs.join("");
    expect(logs).not.toContain("CANARY");
    expect(logs).not.toContain(m.user.aadObjectId);
    expect(logs).not.toContain(m.user.userId);
    expect(logs).not.toContain(m.user.conversationId);
    expect(logs).not.toContain(bench.serviceUrl);
    expect(logs).not.toContain(bench.tenantId);
  });
});

describe("other ways to register the bot", () => {
  it("still serves a MultiTenant registration, with the bot's token from botframework.com", async () => {
    const multi = await startBench({
      env: { MicrosoftAppType: "MultiTenant", MicrosoftAppTenantId: undefined },
    });
    try {
      const tokensFrom = microsoft.tokenRequests.length;
      const m = new Melder(multi);
      const res = await m.install();
      expect(res.status).toBe(200);
      expect(res.cards).toHaveLength(1);
      expect(microsoft.tokenRequests.slice(tokensFrom).every((p) => p.startsWith("/botframework.com/"))).toBe(
        true,
      );
      // A MultiTenant bot serves every tenant.
      const other = new TeamsUser(multi);
      const activity = other.install();
      (activity.conversation as Record<string, unknown>).tenantId = "11111111-2222-3333-4444-555555555555";
      expect((await multi.post(activity)).status).toBe(200);
      expect(sentCards(multi.calls).length).toBe(2);
    } finally {
      await multi.close();
    }
  });

  it("runs as a user-assigned managed identity: no password, the bot's token from the identity endpoint", async () => {
    const msi = await startBench({
      env: { MicrosoftAppType: "UserAssignedMSI", MicrosoftAppPassword: undefined },
    });
    try {
      const imdsFrom = microsoft.imdsRequests.length;
      const m = new Melder(msi);
      const res = await m.install();
      expect(res.status).toBe(200);
      expect(res.cards).toHaveLength(1);
      expect(microsoft.imdsRequests.slice(imdsFrom)).toContain(msi.appId);
      // A forged token is refused the same way.
      expect(
        (await msi.post(m.user.text("hoi"), { token: await msi.token({ key: await newSigningKey() }) }))
          .status,
      ).toBe(401);
    } finally {
      await msi.close();
    }
  });
});

describe("local development without authentication", () => {
  it("accepts the Bot Framework Emulator without a token, and says so at start", async () => {
    const dev = await startBench({
      env: {
        MicrosoftAppId: undefined,
        MicrosoftAppPassword: undefined,
        MicrosoftAppTenantId: undefined,
        VERTROUWD_TEAMS_DEV_NO_AUTH: "1",
      },
    });
    try {
      expect(lines(dev).find((l) => l.event === "teams.auth.disabled")).toMatchObject({ level: 40 });
      const user = new TeamsUser(dev);
      const activity = { ...user.install(), channelId: "emulator" };
      const res = await dev.post(activity, { token: null });
      expect(res.status).toBe(200);
      expect(sentCards(dev.calls)).toHaveLength(1);
    } finally {
      await dev.close();
    }
  });
});

describe("settings", () => {
  const guid = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
  const tenant = "9b1c2d3e-4f50-4a6b-8c7d-8e9f00112233";

  it("defaults to SingleTenant and then requires the tenant id", () => {
    expect(() => readTeamsSettings({ MicrosoftAppId: guid, MicrosoftAppPassword: "x" })).toThrow(
      /MicrosoftAppTenantId is required when MicrosoftAppType=SingleTenant/,
    );
    expect(
      readTeamsSettings({ MicrosoftAppId: guid, MicrosoftAppPassword: "x", MicrosoftAppTenantId: tenant }),
    ).toEqual({
      appId: guid,
      appPassword: "x",
      appTenantId: tenant,
      appType: "SingleTenant",
      devNoAuth: false,
    });
    expect(() =>
      readTeamsSettings({ MicrosoftAppId: guid, MicrosoftAppPassword: "x", MicrosoftAppTenantId: "contoso" }),
    ).toThrow(/MicrosoftAppTenantId must be a GUID/);
  });

  it("accepts UserAssignedMSI without a password and refuses it with one", () => {
    expect(
      readTeamsSettings({
        MicrosoftAppId: guid,
        MicrosoftAppType: "UserAssignedMSI",
        MicrosoftAppTenantId: tenant,
      }),
    ).toMatchObject({ appType: "UserAssignedMSI", appPassword: undefined });
    // The type is matched case-insensitively (botbuilder spells it "UserAssignedMsi").
    expect(
      readTeamsSettings({
        MicrosoftAppId: guid,
        MicrosoftAppType: "userassignedmsi",
        MicrosoftAppTenantId: tenant,
      }).appType,
    ).toBe("UserAssignedMSI");
    expect(() =>
      readTeamsSettings({
        MicrosoftAppId: guid,
        MicrosoftAppPassword: "x",
        MicrosoftAppType: "UserAssignedMSI",
        MicrosoftAppTenantId: tenant,
      }),
    ).toThrow(/MicrosoftAppPassword must be empty/);
    expect(() => readTeamsSettings({ MicrosoftAppId: guid, MicrosoftAppType: "UserAssignedMSI" })).toThrow(
      /MicrosoftAppTenantId/,
    );
  });

  it("still allows MultiTenant, without a tenant id", () => {
    expect(
      readTeamsSettings({ MicrosoftAppId: guid, MicrosoftAppPassword: "x", MicrosoftAppType: "MultiTenant" }),
    ).toMatchObject({
      appType: "MultiTenant",
      appTenantId: undefined,
    });
  });

  it("refuses to start without an app id unless local development is asked for", () => {
    expect(() => readTeamsSettings({})).toThrow(TeamsConfigError);
    expect(readTeamsSettings({ VERTROUWD_TEAMS_DEV_NO_AUTH: "1" }).devNoAuth).toBe(true);
    expect(() => readTeamsSettings({ VERTROUWD_TEAMS_DEV_NO_AUTH: "1", NODE_ENV: "production" })).toThrow(
      /production/,
    );
    expect(() => readTeamsSettings({ VERTROUWD_TEAMS_DEV_NO_AUTH: "1", MicrosoftAppId: guid })).toThrow(
      /cannot be combined/,
    );
  });

  it("validates the app id, password and type, naming the variable", () => {
    expect(() => readTeamsSettings({ MicrosoftAppId: "bot", MicrosoftAppPassword: "x" })).toThrow(
      /MicrosoftAppId must be a GUID/,
    );
    expect(() => readTeamsSettings({ MicrosoftAppId: guid, MicrosoftAppTenantId: tenant })).toThrow(
      /MicrosoftAppPassword/,
    );
    expect(() =>
      readTeamsSettings({ MicrosoftAppId: guid, MicrosoftAppPassword: "x", MicrosoftAppType: "Other" }),
    ).toThrow(/MicrosoftAppType must be/);
  });
});
