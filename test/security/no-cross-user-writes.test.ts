/**
 * Promise: one melder can never write into another's form or DM (issue 11 item 5). A form's
 * token is bound to its melder by a MAC, and the bot only ever writes to the clicking user's own
 * DM (conversations.open), never to a channel named in a payload.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackRig, playForm, slackRig, toForm } from "./helpers.ts";

let rig: SlackRig;
beforeAll(async () => {
  rig = await slackRig();
});
afterAll(async () => rig?.close());

describe("cross-user writes", () => {
  it("refuse a submission carrying another melder's form", async () => {
    const owner = rig.melder();
    await toForm(owner);
    await playForm(owner, [{ type: "CHOOSE", choice: "report" }]);
    const before = structuredClone(owner.modal());
    const thief = rig.melder();
    // The thief submits a copy of the owner's view: its private_metadata holds the owner's token.
    rig.fake.modals(thief.user).push(structuredClone(before!));
    await thief.choose("bullying");
    // The thief sees only that this form is not valid (for them).
    expect(JSON.stringify(rig.fake.modals(thief.user).at(-1)?.view)).toContain("niet meer geldig");
    // The owner's form did not move: still at the topic question.
    const view = await rig.t.app.runtime.formView(
      { platform: "slack", tenant: "T0TEAM", user: owner.user },
      JSON.parse(String(before?.view.private_metadata)).t,
    );
    expect(view.state).toBe("topic");
  });

  it("refuse a click whose container names another user's DM", async () => {
    const owner = rig.melder();
    await owner.openDm();
    await owner.settle();
    const thief = rig.melder();
    const ownerMessages = rig.fake.history(owner.channel).length;
    const posts = rig.fake.callsOf("chat.postMessage").length;
    // The real attack: a signed click by the thief on a button in the owner's DM.
    const message = rig.fake.history(owner.channel)[0];
    await thief.settle({ quiet: true });
    const forged = {
      type: "block_actions",
      user: { id: thief.user, username: "t", team_id: "T0TEAM" },
      team: { id: "T0TEAM" },
      api_app_id: "A0APP",
      trigger_id: rig.fake.trigger(thief.user),
      container: { type: "message", message_ts: message?.ts, channel_id: owner.channel },
      channel: { id: owner.channel },
      message: { ts: message?.ts, blocks: message?.blocks },
      actions: [{ type: "button", action_id: "vt_choice:stop", value: "3.nl.1.aaaaaaaa", action_ts: "1" }],
    };
    expect((await rig.post(forged)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.fake.history(owner.channel)).toHaveLength(ownerMessages);
    expect(rig.fake.callsOf("chat.postMessage").length).toBe(posts);
    expect(rig.fake.callsOf("chat.update").filter((c) => c.params.channel === owner.channel)).toHaveLength(0);
    expect(rig.t.logs.join("")).toContain("slack.channel.refused");
  });
});
