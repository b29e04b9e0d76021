/**
 * The floor: a bare Bolt app on Bolt's own HTTPReceiver that verifies each request, acks it and
 * posts one message per event (a modal submission is answered in its ack). No state, no store, no crypto: what any Slack bot pays at least.
 * Started by bench/run.ts as a child; prints one JSON line with the port it listens on.
 */
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";

const signingSecret = process.env.SLACK_SIGNING_SECRET ?? "";
const slackApiUrl = process.env.SLACK_API_URL ?? "";
if (!signingSecret || !slackApiUrl) {
  process.stderr.write("floor-app: SLACK_SIGNING_SECRET and SLACK_API_URL are required\n");
  process.exit(2);
}

const receiver = new HTTPReceiver({
  signingSecret,
  endpoints: "/slack/events",
  processBeforeResponse: false,
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? "xoxb-floor",
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl },
});

const reply = (channel: string) =>
  app.client.chat.postMessage({
    channel,
    text: "ok",
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: "ok" } },
      {
        type: "actions",
        block_id: "floor",
        elements: [
          { type: "button", action_id: "floor", text: { type: "plain_text", text: "ok" }, value: "x" },
        ],
      },
    ],
  });

app.event("app_home_opened", async ({ event }) => {
  if (event.channel) await reply(event.channel);
});
app.event("message", async ({ event }) => {
  const m = event as { channel?: string; channel_type?: string; bot_id?: string };
  if (m.channel && m.channel_type === "im" && !m.bot_id) await reply(m.channel);
});
app.action(/.*/, async ({ ack, body }) => {
  await ack();
  const channel = (body as { channel?: { id?: string } }).channel?.id;
  if (channel) await reply(channel);
});
// A modal step is answered in the ack, as vertrouwd answers it: the view again (same size).
app.view(/.*/, async ({ ack, view }) => {
  await ack({
    response_action: "update",
    view: {
      type: "modal",
      callback_id: view.callback_id,
      title: view.title,
      ...(view.submit ? { submit: view.submit } : {}),
      ...(view.close ? { close: view.close } : {}),
      private_metadata: view.private_metadata,
      blocks: view.blocks,
    },
  });
});

const server = await receiver.start({ port: 0, host: "127.0.0.1" });
const address = server.address();
const port = typeof address === "object" && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ event: "floor.listening", port })}\n`);
process.once("SIGTERM", () => {
  void receiver.stop().finally(() => process.exit(0));
});
