/**
 * The chat's link to the secure web page on each platform: a Slack button with a url (its click
 * only acknowledged), a Teams Action.OpenUrl (no round trip to the bot), a line in the terminal
 * (not a numbered choice). The same static address for everyone: nothing ties a visit to a user.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runConsole } from "../../adapters/console/index.ts";
import { LINK_ACTION_PREFIX, messageBlocks, newToken } from "../../adapters/slack/blocks.ts";
import { chatCard } from "../../adapters/teams/cards.ts";
import { chatView, startChat, stepChat } from "../../flows/chat/api.ts";
import type { Config } from "../../src/config/schema.ts";
import { renderPrompt } from "../../src/content/index.ts";
import { directoryFrom } from "../../src/conversation/directory.ts";
import { testApp } from "../support/app.ts";

const URL_ = "https://meld.example.nl/web/";
const withWeb = (c: Config): Config => ({ ...c, web: { ...c.web, enabled: true, publicUrl: URL_ } });

async function needPrompts() {
  const { sharedDemo } = await import("../support/app.ts");
  const dir = directoryFrom(withWeb((await sharedDemo()).config));
  let chat = startChat({ locale: "nl" }).snapshot;
  for (const choice of ["continue", "ack"]) chat = stepChat(chat, { type: "CHOOSE", choice }).snapshot;
  return chatView(chat, dir);
}

describe("the link to the secure web page", () => {
  it("is a Slack button with the page's address, whose click is not a choice", async () => {
    const rendered = (await needPrompts()).map((p) => renderPrompt("nl", p));
    const blocks = JSON.stringify(messageBlocks(rendered, newToken("nl", 3)));
    const button = JSON.parse(blocks)
      .flatMap((b: { elements?: unknown[] }) => b.elements ?? [])
      .find((e: { url?: string }) => e.url);
    expect(button).toMatchObject({ type: "button", action_id: `${LINK_ACTION_PREFIX}web`, url: URL_ });
    expect(button.text.text).toBe("Veilig formulier in je browser");
  });

  it("is a Teams Action.OpenUrl, which sends the bot nothing", async () => {
    const card = JSON.stringify(chatCard("nl", await needPrompts(), 3));
    expect(card).toContain(
      `"type":"Action.OpenUrl","title":"Veilig formulier in je browser","url":"${URL_}"`,
    );
  });

  it("is a line in the terminal, not one of the numbered choices", async () => {
    const t = await testApp({ config: withWeb });
    try {
      const input = new PassThrough();
      const output = new PassThrough();
      let text = "";
      output.on("data", (c: Buffer) => (text += c.toString()));
      input.end("1\n1\n");
      await runConsole({ runtime: t.app.runtime, input, output, color: false });
      const need = text.slice(text.indexOf("Waar kan ik je mee helpen?"));
      expect(need).toContain(`Liever in je browser? Open het veilige formulier: ${URL_}`);
      expect(need).toMatch(
        /1\. Iets melden of contact vragen\n\s+2\. Informatie\n\s+3\. Ik heb dringend hulp nodig/,
      );
    } finally {
      await t.cleanup();
    }
  });
});
