import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import {
  ACTIONS_MAX,
  actionBlocks,
  answeredBlocks,
  decodeToken,
  encodeToken,
  escapeMrkdwn,
  fallbackText,
  newToken,
  splitText,
} from "../../../adapters/slack/blocks.ts";
import { classify } from "../../../adapters/slack/bolt-logger.ts";
import { trustedResponseUrl } from "../../../adapters/slack/chat.ts";
import {
  decodeMetadata,
  encodeMetadata,
  submissionEvent,
  submittedValues,
} from "../../../adapters/slack/modal.ts";
import { withRetryAfter } from "../../../adapters/slack/rate-limit.ts";
import { readSlackSecrets, slackConfigured } from "../../../adapters/slack/secrets.ts";
import { timestampProblem } from "../../../adapters/slack/timestamp.ts";

describe("prompt tokens and form metadata", () => {
  it("round-trips and rejects anything else", () => {
    const token = newToken("en", 7);
    expect(decodeToken(encodeToken(token))).toEqual(token);
    expect(decodeToken(`vt:${encodeToken(token)}`)).toEqual(token);
    for (const bad of [undefined, "", "2.en.1.x", "3.de.1.x", "3.en.-1.x", "3.en.1"])
      expect(decodeToken(bad)).toBeUndefined();
    const meta = {
      token: "f1.abc",
      seq: 3,
      locale: "nl" as const,
      submit: { kind: "input" as const, form: "report" as const },
    };
    expect(decodeMetadata(encodeMetadata(meta))).toEqual(meta);
    for (const bad of [
      "",
      "{}",
      '{"t":1,"s":1,"l":"nl"}',
      '{"t":"x","s":1,"l":"fr"}',
      '{"t":"x","s":1,"l":"nl","m":{"kind":"input","form":"x"}}',
    ])
      expect(decodeMetadata(bad)).toBeUndefined();
  });
});

describe("text and blocks", () => {
  it("splits long text into section-sized chunks without losing characters", () => {
    const text = Array.from({ length: 400 }, (_, i) => `regel ${i} ${"x".repeat(20)}`).join("\n");
    const chunks = splitText(text);
    expect(chunks.every((c) => c.length <= 2900)).toBe(true);
    expect(chunks.join("\n")).toBe(text);
  });

  it("uses only the first line as notification text, without markup", () => {
    expect(fallbackText("*Eerst*\nmeer")).toBe("Eerst");
  });

  it("collapses an answered message to the same mark whatever was chosen", () => {
    const original = [
      { type: "section", text: { type: "mrkdwn", text: "Vraag" } },
      { type: "actions", block_id: "vt:x", elements: [] },
    ] as never;
    expect(answeredBlocks(original)).toEqual([
      original[0],
      { type: "context", elements: [{ type: "mrkdwn", text: "✓" }] },
    ]);
  });

  it("never drops a button: more than 25 continue in a next actions block", () => {
    const buttons = Array.from({ length: 60 }, (_, i) => ({ type: "button", action_id: `b${i}` }));
    const blocks = actionBlocks(buttons, (i) => `vt:${i}`) as { elements: unknown[] }[];
    expect(blocks.map((b) => b.elements.length)).toEqual([ACTIONS_MAX, ACTIONS_MAX, 10]);
  });

  it("escapes Slack's control characters in config text", () => {
    expect(escapeMrkdwn("A & <B> <!channel>")).toBe("A &amp; &lt;B&gt; &lt;!channel&gt;");
  });

  it("reads options, inputs and selects from a view state", () => {
    const values = submittedValues({
      what: { value: { value: "iets" } },
      wishes: { value: { selected_option: { value: "heard" } } },
      other: { foreign: { value: "x" } },
    } as never);
    expect(values).toEqual({ what: "iets", wishes: "heard" });
    const state = { values: { choice: { value: { selected_option: { value: "report" } } } } } as never;
    expect(submissionEvent({ token: "t", seq: 1, locale: "nl", submit: { kind: "option" } }, state)).toEqual({
      type: "CHOOSE",
      choice: "report",
    });
    expect(
      submissionEvent(
        { token: "t", seq: 1, locale: "nl", submit: { kind: "choice", id: "send" } },
        { values: {} },
      ),
    ).toEqual({ type: "CHOOSE", choice: "send" });
  });

  it("refuses timestamps more than five minutes in the future", () => {
    const now = 1_800_000_000_000;
    expect(timestampProblem(String(now / 1000 + 301), now)).toBe("future_timestamp");
    expect(timestampProblem(String(now / 1000 + 60), now)).toBeUndefined();
    expect(timestampProblem("abc", now)).toBe("missing_timestamp");
    expect(timestampProblem(undefined, now)).toBeUndefined();
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

describe("trustedResponseUrl", () => {
  it("accepts Slack's hooks, and the fake API's origin only when the API URL points there", () => {
    expect(trustedResponseUrl("https://hooks.slack.com/actions/T0/1/abc")).toBe(
      "https://hooks.slack.com/actions/T0/1/abc",
    );
    expect(trustedResponseUrl("https://hooks.slack-gov.com/actions/T0/1/abc")).toBeDefined();
    for (const bad of [
      "http://hooks.slack.com/actions/x",
      "https://hooks.slack.com.evil.example/x",
      "https://evil.example/hooks.slack.com",
      "https://127.0.0.1:9/response/D1/1.2",
      "not a url",
      42,
      undefined,
    ])
      expect(trustedResponseUrl(bad), String(bad)).toBeUndefined();
    expect(trustedResponseUrl("http://127.0.0.1:9/response/D1/1.2", "http://127.0.0.1:9/api/")).toBeDefined();
    expect(
      trustedResponseUrl("http://127.0.0.1:8/response/D1/1.2", "http://127.0.0.1:9/api/"),
    ).toBeUndefined();
  });
});
