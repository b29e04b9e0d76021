/**
 * Signed Slack requests as Slack sends them (Events API JSON, interactivity form bodies), over
 * a keep-alive HTTP agent, timed from the first byte written to the end of the response.
 */
import { createHmac, randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

export interface AckResult {
  status: number;
  /** Request start → response fully read, in ms. */
  ms: number;
  /** performance.now() when the request was started. */
  startedAt: number;
  body: string;
}

export const ACK_TIMEOUT_MS = 10_000;

export function signature(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export class SlackSender {
  readonly #url: URL;
  readonly #secret: string;
  // One connection per concurrent melder, as Slack's many senders would use: no client-side queueing.
  readonly #agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

  constructor(eventsUrl: string, secret: string) {
    this.#url = new URL(eventsUrl);
    this.#secret = secret;
  }

  event(teamId: string, event: Record<string, unknown>): Promise<AckResult> {
    const body = JSON.stringify({
      token: "unused",
      team_id: teamId,
      api_app_id: "A0BENCH",
      type: "event_callback",
      event_id: `Ev${randomBytes(6).toString("hex").toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    });
    return this.#post(body, "application/json");
  }

  interaction(payload: Record<string, unknown>): Promise<AckResult> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.#post(body, "application/x-www-form-urlencoded");
  }

  #post(body: string, contentType: string): Promise<AckResult> {
    const timestamp = Math.floor(Date.now() / 1000);
    const startedAt = performance.now();
    return new Promise<AckResult>((resolve) => {
      const req = request(
        this.#url,
        {
          method: "POST",
          agent: this.#agent,
          headers: {
            "content-type": contentType,
            "content-length": Buffer.byteLength(body),
            "x-slack-request-timestamp": String(timestamp),
            "x-slack-signature": signature(this.#secret, body, timestamp),
          },
          timeout: ACK_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              ms: performance.now() - startedAt,
              startedAt,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", () =>
            resolve({ status: 0, ms: performance.now() - startedAt, startedAt, body: "" }),
          );
        },
      );
      req.on("timeout", () => req.destroy(new Error("ack timeout")));
      req.on("error", () => resolve({ status: 0, ms: performance.now() - startedAt, startedAt, body: "" }));
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

export const newId = (prefix: string): string => `${prefix}${randomBytes(5).toString("hex").toUpperCase()}`;
