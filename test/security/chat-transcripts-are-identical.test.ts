/**
 * Promise: the chat shows nothing about the matter (invariant 1). Conversations that differ only
 * in the matter — every topic, counsellor, anonymity and contact route, report size and wish,
 * report versus contact request, generated from the flow — are driven over real HTTP into the
 * real server, through to the send. After normalising message timestamps, nonces, the user and
 * the channel, the sequences of every chat payload the bot sent (chat.postMessage, chat.update,
 * chat.delete: text and blocks) are byte-identical.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type SlackRig,
  type Variant,
  chatTranscript,
  formVariants,
  playForm,
  slackRig,
  toForm,
} from "./helpers.ts";

let rig: SlackRig;
let variants: Variant[];
beforeAll(async () => {
  rig = await slackRig();
  variants = formVariants(rig.t.app.config);
});
afterAll(async () => rig?.close());

describe("Slack chat transcripts", () => {
  it("are identical for every variant of the matter, through to the send", async () => {
    expect(variants.length).toBeGreaterThan(25);
    const transcripts: { name: string; lines: string[] }[] = [];
    // A few conversations at once: the server serves many melders in parallel anyway.
    for (let i = 0; i < variants.length; i += 8) {
      const batch = variants.slice(i, i + 8);
      transcripts.push(
        ...(await Promise.all(
          batch.map(async (v) => {
            const m = rig.melder();
            await toForm(m);
            await playForm(m, v.events);
            await m.settle();
            // The receipt is in the modal; the chat got its one neutral line.
            expect(JSON.stringify(m.modal()?.view), v.name).toMatch(/VT-[0-9A-Z]{4}-[0-9A-Z]{4}/);
            return { name: v.name, lines: chatTranscript(rig.fake, m) };
          }),
        )),
      );
    }
    const [reference] = transcripts;
    expect(reference?.lines.length).toBeGreaterThan(5);
    expect(reference?.lines.join("\n")).toContain("Je bericht is verstuurd");
    for (const t of transcripts) expect(t.lines, t.name).toEqual(reference?.lines);
  }, 120_000);
});
