import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import {
  answeredBlocks,
  decodeMetadata,
  decodeToken,
  encodeMetadata,
  encodeToken,
  fallbackText,
  newToken,
  splitText,
  submittedValues,
} from "../../../adapters/slack/blocks.ts";
import { classify } from "../../../adapters/slack/bolt-logger.ts";
import { withRetryAfter } from "../../../adapters/slack/rate-limit.ts";
import { readSlackSecrets, slackConfigured } from "../../../adapters/slack/secrets.ts";

describe("prompt tokens and metadata", () => {
  it("round-trips and rejects anything else", () => {
    const token = newToken("en", "review", true);
    expect(decodeToken(encodeToken(token))).toEqual(token);
    expect(decodeToken(`vt:${encodeToken(token)}`)).toEqual(token);
    for (const bad of [
      undefined,
      "",
      "1.de.review.s.ab",
      "2.nl.review.s.ab",
      "1.nl..s.ab",
      "1.nl.review.x.ab",
    ]) {
      expect(decodeToken(bad)).toBeUndefined();
    }
    const meta = { form: "contact" as const, locale: "nl" as const, channel: "D1", ts: "1.2" };
    expect(decodeMetadata(encodeMetadata(meta))).toEqual(meta);
    expect(decodeMetadata("{not json")).toBeUndefined();
    expect(decodeMetadata(JSON.stringify({ f: "other", l: "nl", c: "D", t: "1" }))).toBeUndefined();
  });
});

describe("text and blocks", () => {
  it("splits long text into section-sized chunks without losing characters", () => {
    const text = Array.from({ length: 400 }, (_, i) => `regel ${i} ${"x".repeat(20)}`).join("\n");
    const chunks = splitText(text);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.length <= 2900)).toBe(true);
    expect(chunks.join("\n")).toBe(text);
    const noBreaks = "y".repeat(7000);
    expect(splitText(noBreaks).join("")).toBe(noBreaks);
  });

  it("uses only the heading of a sensitive prompt as notification text", () => {
    const prompt = { text: "*Kop*\n• geheim verhaal", choices: [], sensitive: true };
    expect(fallbackText(prompt)).toBe("*Kop*");
    expect(fallbackText({ ...prompt, sensitive: false })).toContain("geheim");
  });

  it("keeps nothing of a sensitive message once answered", () => {
    const original = [
      { type: "section", text: { type: "mrkdwn", text: "geheim" } },
      { type: "actions", elements: [] },
    ];
    expect(JSON.stringify(answeredBlocks(original, "Versturen", true))).not.toContain("geheim");
    const kept = answeredBlocks(original, "Verder", false);
    expect(kept.map((b) => b.type)).toEqual(["section", "context"]);
  });

  it("reads text inputs and selects from a view state", () => {
    const values = submittedValues({
      values: {
        what: { value: { type: "plain_text_input", value: "iets" } },
        when: { value: { type: "plain_text_input", value: null } },
        wishes: { value: { type: "static_select", selected_option: { value: "heard" } } },
        other: { unrelated: { value: "x" } },
      },
    });
    expect(values).toEqual({ what: "iets", wishes: "heard" });
  });
});

describe("Bolt log lines", () => {
  it("become fixed event names; their text is never kept", () => {
    expect(
      classify([
        "Failed to parse and verify the request data: Failed to verify authenticity: signature mismatch",
      ]),
    ).toEqual({
      event: "slack.request.unverified",
      reason: "bad_signature",
    });
    expect(
      classify(["Malformed request body: Unexpected token 'g', \"geheim verhaal\" is not valid JSON"]),
    ).toEqual({
      event: "slack.request.malformed",
    });
    expect(classify([new TypeError("geheim")])).toEqual({ event: "slack.bolt.error", reason: "TypeError" });
    expect(JSON.stringify(classify(["something with geheim"]))).not.toContain("geheim");
  });
});

describe("Retry-After", () => {
  const limited = (seconds: number) =>
    Object.assign(new Error("rate limited"), {
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: seconds,
    });

  it("waits as told, a bounded number of times", async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetryAfter(
      async () => {
        calls++;
        if (calls < 3) throw limited(2);
        return "ok";
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe("ok");
    expect(waits).toEqual([2000, 2000]);
    await expect(
      withRetryAfter(async () => Promise.reject(limited(1)), { attempts: 2, sleep: async () => {} }),
    ).rejects.toThrow();
  });

  it("does not wait for a Retry-After beyond the bound, nor retry other errors", async () => {
    let calls = 0;
    await expect(
      withRetryAfter(
        async () => {
          calls++;
          throw limited(120);
        },
        { sleep: async () => {} },
      ),
    ).rejects.toThrow();
    expect(calls).toBe(1);
    await expect(withRetryAfter(async () => Promise.reject(new Error("channel_not_found")))).rejects.toThrow(
      "channel_not_found",
    );
  });
});

describe("Slack secrets", () => {
  it("chooses Socket Mode when an app token is set", () => {
    expect(readSlackSecrets({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" })).toMatchObject({
      socketMode: true,
      appToken: "xapp-1",
    });
    expect(readSlackSecrets({ SLACK_BOT_TOKEN: "xoxe.xoxb-1", SLACK_SIGNING_SECRET: "s" })).toMatchObject({
      socketMode: false,
    });
    expect(slackConfigured({})).toBe(false);
    expect(slackConfigured({ SLACK_APP_TOKEN: "xapp-1" })).toBe(true);
  });
});
