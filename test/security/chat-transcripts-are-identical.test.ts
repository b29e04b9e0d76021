/**
 * Promise: the chat shows nothing about the matter (invariant 1). Conversations that differ only
 * in the matter — every topic, counsellor, anonymity and contact route, report size and wish,
 * report versus contact request, generated from the flow — are driven over real HTTP into the
 * real server, through to the send. After normalising message timestamps, nonces, the user and
 * the channel, the sequences of every chat payload the bot sent (chat.postMessage, chat.update,
 * chat.delete, posts to a click's response_url: text and blocks) are byte-identical — with
 * Slack's working response_urls, and without them (chat.update). The same in Teams: every activity the bot
 * sent, updated or deleted in the personal chat (cards included), through the dialog to the send.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntakeEvent } from "../../flows/intake/machine.ts";
import { type Bench, Melder, startBench, toForm as toTeamsForm } from "../adapters/teams/harness.ts";
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
let teams: Bench;
let variants: Variant[];
beforeAll(async () => {
  rig = await slackRig();
  teams = await startBench();
  variants = formVariants(rig.t.app.config);
});
afterAll(async () => {
  await rig?.close();
  await teams?.close();
});

/** Plays form events in the Teams dialog: pick an option, fill fields, press buttons. */
async function playDialog(m: Melder, events: IntakeEvent[]): Promise<void> {
  for (const event of events) {
    const dialog = m.dialog;
    if (!dialog) throw new Error("no dialog is open");
    if (event.type === "SUBMIT") await m.fill(event.values);
    else if (event.type === "CHOOSE" && dialog.options().includes(event.choice)) await m.choose(event.choice);
    else if (event.type === "CHOOSE" && dialog.buttons().includes(event.choice)) await m.press(event.choice);
    else if (event.type === "CHOOSE") await m.submit();
    else throw new Error(`cannot play ${event.type} in a dialog`);
  }
}

/** Every activity the bot sent, updated or deleted in one Teams chat, without ids and nonces. */
function teamsTranscript(m: Melder): string[] {
  const ids = new Map<string, string>();
  const id = (raw: string) => {
    if (!ids.has(raw)) ids.set(raw, `<activity ${ids.size + 1}>`);
    return ids.get(raw) as string;
  };
  return m.calls().map((c) => {
    const body = (c.raw || "")
      .replaceAll(m.user.conversationId, "<conversation>")
      .replaceAll(m.user.userId, "<user>")
      .replaceAll(m.user.aadObjectId, "<aad>")
      .replace(/"n":"[^"]*"/g, '"n":"<nonce>"')
      .replace(
        /"(id|replyToId)":"(1:bot-[^"]+|f:[0-9a-f-]+)"/g,
        (_all, key, value) => `"${key}":"${id(value)}"`,
      );
    return `${c.method} ${c.activityId ? id(c.activityId) : "-"} ${body}`;
  });
}

describe.each([
  ["clicks answered through their response_url (as Slack sends them)", true],
  ["answered messages collapsed with chat.update (no usable response_url)", false],
])("Slack chat transcripts, %s", (_mode, responseUrls) => {
  it("are identical for every variant of the matter, through to the send", async () => {
    expect(variants.length).toBeGreaterThan(25);
    const transcripts: { name: string; lines: string[] }[] = [];
    // A few conversations at once: the server serves many melders in parallel anyway.
    for (let i = 0; i < variants.length; i += 8) {
      const batch = variants.slice(i, i + 8);
      transcripts.push(
        ...(await Promise.all(
          batch.map(async (v) => {
            const m = rig.melder({ responseUrls });
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
    // Answered messages were collapsed the way this mode says, never both ways.
    const marks = reference?.lines.filter((l) => /^(chat\.update|response_url) /.test(l)) ?? [];
    expect(marks.length).toBeGreaterThan(0);
    for (const l of marks) expect(l.startsWith(responseUrls ? "response_url " : "chat.update ")).toBe(true);
    for (const t of transcripts) expect(t.lines, t.name).toEqual(reference?.lines);
  }, 120_000);
});

describe("Teams chat transcripts", () => {
  it("are identical for every variant of the matter, through to the send", async () => {
    const transcripts: { name: string; lines: string[] }[] = [];
    for (let i = 0; i < variants.length; i += 8) {
      const batch = variants.slice(i, i + 8);
      transcripts.push(
        ...(await Promise.all(
          batch.map(async (v) => {
            const m = new Melder(teams);
            await toTeamsForm(m);
            await playDialog(m, v.events);
            // The receipt is in the dialog; the chat got its one neutral line.
            expect(m.dialog?.text(), v.name).toMatch(/VT-[0-9A-Z]{4}-[0-9A-Z]{4}/);
            await teams.t.drain();
            return { name: v.name, lines: teamsTranscript(m) };
          }),
        )),
      );
    }
    console.log(
      `${transcripts.length} Teams variants; the reference chat:\n${transcripts[0]?.lines.map((l) => l.slice(0, 160)).join("\n")}`,
    );
    const [reference] = transcripts;
    expect(reference?.lines.length).toBeGreaterThan(4);
    expect(reference?.lines.join("\n")).toContain("Je bericht is verstuurd");
    for (const t of transcripts) expect(t.lines, t.name).toEqual(reference?.lines);
  }, 120_000);
});
