import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NOTICE_TEXT } from "../../src/content/delivery-notice.ts";
import { deliverWithRetry } from "../../src/delivery/retry.ts";
import { SlackFileTransport, createSlackDeliveryClient } from "../../src/delivery/slack-file.ts";
import { DeliveryError } from "../../src/delivery/transport.ts";
import { CANARY, fakeSealed, recordingSleep } from "./fixtures.ts";

const USER = "U0COUNSEL1";
const UPLOAD_HOST = "https://files.slack.com";
const UPLOAD_PATH = "/upload/v1/ABC123";

function transport(locale: "nl" | "en" = "nl") {
  return new SlackFileTransport({
    client: createSlackDeliveryClient("xoxb-test-token"),
    userId: USER,
    locale,
  });
}

describe("slack file transport", () => {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
  });

  it("opens the DM, uploads exactly the armored bytes and posts a generic notice", async () => {
    const handoff = fakeSealed();
    const calls: Record<string, URLSearchParams> = {};
    let uploaded: Buffer | undefined;
    let uploadType: string | undefined;
    const api = nock("https://slack.com", { reqheaders: { authorization: "Bearer xoxb-test-token" } })
      .post("/api/conversations.open", (body) => {
        calls.open = new URLSearchParams(body);
        return true;
      })
      .reply(200, { ok: true, channel: { id: "D0DM12345" } })
      .post("/api/files.getUploadURLExternal", (body) => {
        calls.getUrl = new URLSearchParams(body);
        return true;
      })
      .reply(200, { ok: true, upload_url: `${UPLOAD_HOST}${UPLOAD_PATH}`, file_id: "F0FILE123" })
      .post("/api/files.completeUploadExternal", (body) => {
        calls.complete = new URLSearchParams(body);
        return true;
      })
      .reply(200, { ok: true, files: [{ id: "F0FILE123" }] });
    const upload = nock(UPLOAD_HOST)
      .post(UPLOAD_PATH)
      .reply(function (_uri, body) {
        uploadType = String(this.req.headers["content-type"]);
        uploaded = Buffer.from(body as string, "utf8");
        return [200, "OK - 123"];
      });

    const confirmation = await transport("nl").deliver(handoff);

    expect(confirmation).toEqual({ transport: "slack", reference: "F0FILE123" });
    expect(api.isDone()).toBe(true);
    expect(upload.isDone()).toBe(true);
    expect(calls.open?.get("users")).toBe(USER);
    expect(calls.getUrl?.get("filename")).toBe(`vertrouwd-${handoff.caseId}.asc`);
    expect(calls.getUrl?.get("length")).toBe(String(Buffer.byteLength(handoff.armored)));
    expect(uploadType).toBe("application/octet-stream");
    expect(uploaded?.toString("utf8")).toBe(handoff.armored);
    expect(calls.complete?.get("channel_id")).toBe("D0DM12345");
    expect(JSON.parse(calls.complete?.get("files") ?? "[]")).toEqual([
      { id: "F0FILE123", title: `vertrouwd-${handoff.caseId}.asc` },
    ]);
    const notice = calls.complete?.get("initial_comment") ?? "";
    expect(notice).toBe(NOTICE_TEXT.nl.slackFileNotice);
    expect(notice).not.toContain(CANARY);
    expect(notice).not.toContain(handoff.sha256);
    expect(notice).not.toContain(handoff.caseId);
  });

  it("returns a Slack rate limit as retryable with the Retry-After delay, without retrying itself", async () => {
    const scope = nock("https://slack.com")
      .post("/api/conversations.open")
      .once()
      .reply(429, { ok: false, error: "ratelimited" }, { "retry-after": "7" });
    const error = (await transport()
      .deliver(fakeSealed())
      .catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.message).toBe("slack conversations.open was rate limited");
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
    expect(scope.isDone()).toBe(true);
  });

  it("with deliverWithRetry, a rate-limited call waits Retry-After and the retry delivers", async () => {
    nock("https://slack.com")
      .post("/api/conversations.open")
      .reply(429, { ok: false, error: "ratelimited" }, { "retry-after": "2" })
      .post("/api/conversations.open")
      .reply(200, { ok: true, channel: { id: "D0DM12345" } })
      .post("/api/files.getUploadURLExternal")
      .reply(200, { ok: true, upload_url: `${UPLOAD_HOST}${UPLOAD_PATH}`, file_id: "F0FILE999" })
      .post("/api/files.completeUploadExternal")
      .reply(200, { ok: true, files: [{ id: "F0FILE999" }] });
    nock(UPLOAD_HOST).post(UPLOAD_PATH).reply(200, "OK");
    const { delays, sleep } = recordingSleep();
    const confirmation = await deliverWithRetry(
      transport(),
      fakeSealed(),
      { attempts: 3, baseDelayMs: 100, maxDelayMs: 5000 },
      { sleep, random: () => 0 },
    );
    expect(confirmation.reference).toBe("F0FILE999");
    expect(delays).toEqual([2000]);
    expect(nock.isDone()).toBe(true);
  });

  it("treats configuration errors from Slack as permanent and names only Slack's error code", async () => {
    nock("https://slack.com")
      .post("/api/conversations.open")
      .reply(200, { ok: false, error: "missing_scope" });
    const error = (await transport()
      .deliver(fakeSealed())
      .catch((e: unknown) => e)) as DeliveryError;
    expect(error.message).toBe("slack conversations.open failed: missing_scope");
    expect(error.retryable).toBe(false);
  });

  it("treats a failing upload URL (503 with Retry-After) as retryable", async () => {
    nock("https://slack.com")
      .post("/api/conversations.open")
      .reply(200, { ok: true, channel: { id: "D0DM12345" } })
      .post("/api/files.getUploadURLExternal")
      .reply(200, { ok: true, upload_url: `${UPLOAD_HOST}${UPLOAD_PATH}`, file_id: "F0FILE123" });
    nock(UPLOAD_HOST).post(UPLOAD_PATH).reply(503, "busy", { "retry-after": "3" });
    const error = (await transport()
      .deliver(fakeSealed())
      .catch((e: unknown) => e)) as DeliveryError;
    expect(error.message).toBe("slack file upload answered HTTP 503");
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(3000);
  });

  it("has notices in Dutch and English that carry no report data", () => {
    expect(Object.keys(NOTICE_TEXT).sort()).toEqual(["en", "nl"]);
    for (const text of Object.values(NOTICE_TEXT)) expect(text.slackFileNotice).toMatch(/\.asc/);
  });
});
