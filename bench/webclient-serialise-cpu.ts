/**
 * What @slack/web-api 8.2's debug serialisation costs per call, and what passing Block Kit as a
 * JSON string saves (adapters/slack/web-client.ts). The WebClient builds its debug lines —
 * `JSON.stringify(redact(body))` of every request and response — before the logger's level is
 * looked at, so no log level turns them off. A string value is copied, an array of blocks is
 * walked (by `redact`, then by `JSON.stringify` twice: for the debug line and for the body).
 *
 *   npx tsx bench/webclient-serialise-cpu.ts
 *
 * 5,000 chat.postMessage calls with 12 section blocks each through a WebClient whose `fetch`
 * answers at once (echoing the blocks in `message`, as Slack does); CPU per call, two rounds.
 */
import { WebClient } from "@slack/web-api";

const blocks = Array.from({ length: 12 }, (_, i) => ({
  type: "section",
  text: {
    type: "mrkdwn",
    text: `Een tekst van een prompt die best wat woorden heeft, regel ${i} `.repeat(4),
  },
}));
const echo = async (_url: string, init: { body: string }) => {
  const sent = new URLSearchParams(init.body).get("blocks");
  const message = { text: "x", blocks: sent ? JSON.parse(sent) : [] };
  return new Response(JSON.stringify({ ok: true, channel: "D1", ts: "1.000001", message }), {
    headers: { "content-type": "application/json" },
  });
};
const client = new WebClient("xoxb-bench", { fetch: echo as never, retryConfig: { retries: 0 } });
const CALLS = 5_000;
for (const mode of ["array", "JSON string", "array", "JSON string"]) {
  const cpu = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) {
    const value = mode === "array" ? blocks : (JSON.stringify(blocks) as unknown as typeof blocks);
    await client.chat.postMessage({ channel: "D1", text: "x", blocks: value });
  }
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `blocks as ${mode}: ${((used.user + used.system) / 1000 / CALLS).toFixed(4)} ms CPU per call\n`,
  );
}
