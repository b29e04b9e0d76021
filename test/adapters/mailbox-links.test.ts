/**
 * The anonymous mailbox's links in Slack and Teams (issue 17):
 *
 * - the receipt view (Teams dialog here, over real HTTP; the Slack modal in
 *   test/e2e/follow-up-counsellor.test.ts) has a neutral link button to
 *   `<page>#mailbox/open?t=<token>`: a fresh single-use token each time the receipt is shown,
 *   naming the case and never the user; the chat beside it never carries it;
 * - Slack's App Home and the chat's welcome (Teams has no App Home) link to `<page>#mailbox`: the
 *   same static address for everyone;
 * - none of it when the web page is off, or the follow-up is switched off.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homeView } from "../../adapters/slack/blocks.ts";
import { chatCard } from "../../adapters/teams/cards.ts";
import { chatView, startChat } from "../../flows/chat/api.ts";
import type { Config } from "../../src/config/schema.ts";
import { directoryFrom } from "../../src/conversation/directory.ts";
import { takeLinkToken } from "../../src/followup/link-token.ts";
import { sharedDemo } from "../support/app.ts";
import { type Bench, type Dialog, Melder, findIn, toReportFields } from "./teams/harness.ts";

const PAGE = "https://meld.example.nl/web/";
const withWeb = (c: Config): Config => ({ ...c, web: { ...c.web, enabled: true, publicUrl: PAGE } });
const followUpOff = (c: Config): Config => ({ ...withWeb(c), followUp: { ...c.followUp, enabled: false } });

let bench: Bench;
beforeAll(async () => {
  const { startBench } = await import("./teams/harness.ts");
  bench = await startBench({ config: withWeb });
});
afterAll(async () => bench?.close());

const openUrls = (node: unknown) =>
  findIn(node, (o) => o.type === "Action.OpenUrl").map((a) => ({ title: a.title, url: a.url }));

describe("the receipt's link to open an anonymous mailbox (Teams dialog)", () => {
  it("opens the page with a fresh single-use token for this case, in the dialog only", async () => {
    const m = new Melder(bench, "en-US");
    await toReportFields(m);
    await m.fill({ what: "MAILBOX-LINK-KANARIE", wishes: "advice" });
    const sent = await m.submit();
    const receipt = sent.dialog as Dialog;
    const caseCode = /VT-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(receipt.text())?.[0];
    expect(receipt.text()).toContain("Get an answer anonymously?");
    expect(receipt.text()).toContain("The button works once, for the next 15 minutes.");
    expect(receipt.buttons()).toEqual(["refresh", "danger", "stop"]);
    const [link, ...more] = openUrls(receipt.card);
    expect(more).toEqual([]);
    expect(link?.title).toBe("Open an anonymous mailbox");
    expect(link?.url).toMatch(/^https:\/\/meld\.example\.nl\/web\/#mailbox\/open\?t=[A-Za-z0-9_-]{22}$/);
    // Nothing of it in the chat: the neutral "sent" card has no link and no code.
    for (const c of sent.calls) {
      expect(c.raw).not.toContain("mailbox/open");
      if (caseCode) expect(c.raw).not.toContain(caseCode);
    }

    // Showing the receipt again (status refresh) makes a new token; each opens once.
    const refreshed = await m.press("refresh");
    const [again] = openUrls(refreshed.dialog?.card);
    expect(again?.url).not.toBe(link?.url);
    const store = bench.t.app.vault.store;
    const first = String(link?.url).split("t=")[1] as string;
    const target = await takeLinkToken(store, first);
    expect(target).toMatchObject({ caseCode, counsellorId: "demo-extern", locale: "en" });
    expect(Object.keys(target ?? {}).sort()).toEqual(["caseCode", "caseId", "counsellorId", "locale"]);
    expect(await takeLinkToken(store, first)).toBeNull();
    expect(await takeLinkToken(store, String(again?.url).split("t=")[1] as string)).toMatchObject({
      caseCode,
    });
    expect(bench.logs.join("\n")).not.toContain(first);
  });
});

describe("'My mailbox': one static link for everyone", () => {
  it("is in Slack's App Home when the page runs, and not when it does not", async () => {
    const base = (await sharedDemo()).config;
    const home = JSON.stringify(homeView(withWeb(base), "nl"));
    expect(home).toContain(`"url":"${PAGE}#mailbox"`);
    expect(home).toContain('"action_id":"vt_link:mailbox"');
    expect(home).toContain("Mijn brievenbus");
    expect(JSON.stringify(homeView(base, "nl"))).not.toContain("#mailbox");
    expect(JSON.stringify(homeView(followUpOff(base), "nl"))).not.toContain("#mailbox");
  });

  it("is in the chat's welcome (Teams has no App Home) as a link that tells the bot nothing", async () => {
    const base = (await sharedDemo()).config;
    const welcome = (c: Config) =>
      chatCard("en", chatView(startChat({ locale: "en" }).snapshot, directoryFrom(c)), 1);
    expect(openUrls(welcome(withWeb(base)))).toEqual([{ title: "My mailbox", url: `${PAGE}#mailbox` }]);
    expect(openUrls(welcome(base))).toEqual([]);
    expect(openUrls(welcome(followUpOff(base)))).toEqual([]);
    // Not on the web page itself: it has its own.
    const web = chatView(startChat({ locale: "nl", surface: "web" }).snapshot, directoryFrom(withWeb(base)));
    expect(JSON.stringify(web)).not.toContain("#mailbox");
  });
});
