/**
 * Socket Mode start-up: apps.connections.open with the app token, then the WebSocket until
 * Slack's hello. @slack/socket-mode retries apps.connections.open without end on answers it deems
 * recoverable (e.g. a token without connections:write), so start would hang silently; a bound
 * makes it an admin error instead.
 */
import type { App } from "@slack/bolt";
import { slackErrorCode } from "./chat.ts";
import { SlackConfigError } from "./secrets.ts";

export async function startSocketMode(app: App, timeoutMs: number): Promise<void> {
  const check =
    "Check the app-level token (xapp-…, scope connections:write), that Socket Mode is enabled for the app, " +
    "and that outbound WebSockets to Slack are allowed.";
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  let outcome: unknown;
  try {
    outcome = await Promise.race([app.start(), timeout]);
  } catch (err) {
    // Stops the client's reconnect attempts; the error names Slack's code, never the token.
    await app.stop().catch(() => undefined);
    const code = slackErrorCode(err);
    throw new SlackConfigError(
      `Slack adapter refused to start: Socket Mode could not connect with SLACK_APP_TOKEN (apps.connections.open failed: ${code}). ${check}`,
    );
  } finally {
    clearTimeout(timer);
  }
  if (outcome === "timeout") {
    await app.stop().catch(() => undefined);
    const seconds = Math.round(timeoutMs / 1000);
    throw new SlackConfigError(
      `Slack adapter refused to start: Socket Mode did not connect within ${seconds} s (the slack.socket.open_failed log lines give Slack's answer). ${check}`,
    );
  }
}
