/** Bot Framework JWT authentication and request validation on POST /api/messages. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TeamsConfigError, readTeamsSettings } from "../../../adapters/teams/settings.ts";
import { type Bench, SERVICE_URL, TeamsUser, newSigningKey, startBench } from "./harness.ts";

let bench: Bench;
beforeAll(async () => {
  bench = await startBench();
});
afterAll(async () => bench?.close());

describe("POST /api/messages authentication", () => {
  it("accepts a valid Bot Framework token and answers the install with a card", async () => {
    const user = new TeamsUser(bench);
    const before = bench.calls.length;
    const res = await bench.post(user.install());
    expect(res.status).toBe(200);
    expect(bench.calls.slice(before).some((c) => c.method === "POST")).toBe(true);
    expect(bench.tokenRequests).toBeGreaterThan(0);
  });

  const rejected: [string, (b: Bench) => Promise<string | null>][] = [
    ["a missing token", async () => null],
    [
      "a token signed by another key",
      async (b) => b.token({ key: { ...(await newSigningKey()), kid: b.key.kid } }),
    ],
    ["a token with an unknown key id", async (b) => b.token({ key: await newSigningKey() })],
    ["an expired token", async (b) => b.token({ expiresIn: -3600 })],
    ["a token for another bot", async (b) => b.token({ audience: "00000000-0000-0000-0000-000000000000" })],
    ["a token from another issuer", async (b) => b.token({ issuer: "https://sts.windows.net/evil/" })],
    ["a token for another serviceUrl", async (b) => b.token({ serviceUrl: "https://evil.example/emea/" })],
  ];
  it.each(rejected)("refuses %s with 401 and touches nothing", async (_name, make) => {
    const user = new TeamsUser(bench);
    const before = bench.calls.length;
    const token = await make(bench);
    const res = await bench.post(user.install(), { token: token ?? "" });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "unauthorized" });
    expect(bench.calls.length).toBe(before);
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

describe("request validation", () => {
  const post = (body: string, contentType = "application/json") =>
    fetch(`${bench.url}/api/messages`, { method: "POST", headers: { "content-type": contentType }, body });

  it("answers 400 with the offending paths for a body that is not an activity", async () => {
    const res = await post(JSON.stringify({ type: "message", text: "CANARY-shape" }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: string[] };
    expect(body.error).toBe("not a Bot Framework activity");
    expect(body.issues.join(" ")).toContain("serviceUrl");
    expect(JSON.stringify(body)).not.toContain("CANARY");
  });

  it("answers 400 for invalid JSON, 415 for another content type, 413 for a huge body", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post("{}", "text/plain")).status).toBe(415);
    const huge = JSON.stringify({ ...new TeamsUser(bench).text("x"), filler: "y".repeat(300_000) });
    expect((await post(huge)).status).toBe(413);
  });

  it("ignores group chats and channels (personal scope only)", async () => {
    const user = new TeamsUser(bench);
    const activity = user.install();
    activity.conversation = {
      id: "19:channel@thread.tacv2",
      conversationType: "channel",
      tenantId: bench.tenantId,
    };
    const before = bench.calls.length;
    expect((await bench.post(activity)).status).toBe(200);
    expect(bench.calls.length).toBe(before);
  });

  it("never logs request content", () => {
    expect(bench.logs.join("")).not.toContain("CANARY");
    expect(bench.logs.join("")).not.toContain(SERVICE_URL.replace("https://", "")); // no URLs with conversation ids either
  });
});

describe("settings", () => {
  const guid = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
  it("refuses to start without an app id unless local development is asked for", () => {
    expect(() => readTeamsSettings({})).toThrow(TeamsConfigError);
    expect(readTeamsSettings({ VERTROUWD_TEAMS_DEV_NO_AUTH: "1" }).devNoAuth).toBe(true);
    expect(() => readTeamsSettings({ VERTROUWD_TEAMS_DEV_NO_AUTH: "1", NODE_ENV: "production" })).toThrow(
      /production/,
    );
  });

  it("validates app id, password, type and tenant", () => {
    expect(() => readTeamsSettings({ MicrosoftAppId: "bot", MicrosoftAppPassword: "x" })).toThrow(/GUID/);
    expect(() => readTeamsSettings({ MicrosoftAppId: guid })).toThrow(/MicrosoftAppPassword/);
    expect(() =>
      readTeamsSettings({ MicrosoftAppId: guid, MicrosoftAppPassword: "x", MicrosoftAppType: "Other" }),
    ).toThrow(/MicrosoftAppType/);
    expect(() =>
      readTeamsSettings({
        MicrosoftAppId: guid,
        MicrosoftAppPassword: "x",
        MicrosoftAppType: "SingleTenant",
      }),
    ).toThrow(/MicrosoftAppTenantId/);
    expect(
      readTeamsSettings({
        MicrosoftAppId: guid,
        MicrosoftAppPassword: "x",
        MicrosoftAppType: "SingleTenant",
        MicrosoftAppTenantId: guid,
      }),
    ).toMatchObject({ appType: "SingleTenant", appTenantId: guid });
  });
});
