/**
 * Promise: nothing the melder typed is lost when the state store is down (invariant 5, issue 11
 * item 2). A report typed into the Slack modal while Redis is frozen (SIGSTOP) keeps the modal
 * open with everything in it and an honest message (`response_action: errors`); in Teams the
 * dialog comes back (`continue`) with every value and the same message; the chat is not told
 * anything untrue; once Redis is back, the same submission goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateStateKey } from "../../src/store/index.ts";
import { type Bench, Melder, startBench, toReportFields } from "../adapters/teams/harness.ts";
import { freePort, startRedisServer, stopRedisServer } from "../store/helpers.ts";
import { CANARY, type SlackRig, playForm, slackRig, toForm } from "./helpers.ts";

let rig: SlackRig;
let teams: Bench;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
beforeAll(async () => {
  const port = await freePort();
  redis = await startRedisServer(port);
  const env = {
    REDIS_URL: `redis://127.0.0.1:${port}`,
    VERTROUWD_STATE_KEY: generateStateKey(),
    VERTROUWD_SERVER_SECRET: generateStateKey(),
  };
  rig = await slackRig({ env });
  teams = await startBench({ env });
});
afterAll(async () => {
  redis?.kill("SIGCONT");
  await rig?.close();
  await teams?.close();
  await stopRedisServer(redis);
});

describe("Redis frozen during a form submit", () => {
  it("keeps the modal open with what was typed, says so honestly, and sends once Redis is back", async () => {
    const m = rig.melder();
    await toForm(m);
    await playForm(m, [
      { type: "CHOOSE", choice: "report" },
      { type: "CHOOSE", choice: "bullying" },
      { type: "CHOOSE", choice: "counsellor:demo-extern" },
      { type: "CHOOSE", choice: "anonymous" },
    ]);
    const reportView = structuredClone(m.modal());
    const posts = rig.fake.callsOf("chat.postMessage").length;

    redis.kill("SIGSTOP");
    const started = Date.now();
    const frozen = await m.fill({ what: CANARY, when: "gisteren" });
    expect(Date.now() - started).toBeLessThan(3000);
    const ack = JSON.parse(frozen.body) as { response_action: string; errors: Record<string, string> };
    // Errors keep Slack's modal open with every value in place; only the message is added.
    expect(ack.response_action).toBe("errors");
    expect(Object.values(ack.errors).join(" ")).toContain("Alles wat je typte, staat nog in dit formulier");
    expect(m.modal()?.view).toEqual(reportView?.view);
    await m.settle({ quiet: true });
    expect(rig.fake.callsOf("chat.postMessage").length).toBe(posts);

    redis.kill("SIGCONT");
    let review = false;
    for (let i = 0; i < 30 && !review; i++) {
      const again = await m.fill({ what: CANARY, when: "gisteren" });
      review =
        JSON.parse(again.body).response_action === "update" &&
        JSON.stringify(m.modal()?.view).includes("Dit verstuur je");
      if (!review) await new Promise((r) => setTimeout(r, 200));
    }
    expect(review).toBe(true);
    expect(JSON.stringify(m.modal()?.view)).toContain(CANARY);
  }, 30_000);
});

describe("Redis frozen during a Teams dialog submit", () => {
  it("answers with the same dialog, every value in it, says so honestly, and sends once Redis is back", async () => {
    const m = new Melder(teams);
    await toReportFields(m);
    const typed = { what: CANARY, when: "gisteren", where: "kantoor" };

    redis.kill("SIGSTOP");
    let frozen: Awaited<ReturnType<Melder["fill"]>>;
    try {
      const started = Date.now();
      frozen = await m.fill(typed);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      redis.kill("SIGCONT");
    }
    expect(frozen.status).toBe(200);
    // Still the dialog (not a message box that drops the values), nothing posted to the chat.
    expect(frozen.answer.body?.task?.type).toBe("continue");
    expect(frozen.dialog?.values()).toMatchObject(typed);
    expect(frozen.dialog?.text()).toContain("Alles wat je typte, staat nog in dit formulier");
    expect(frozen.calls.filter((c) => c.method === "POST")).toEqual([]);

    let review = false;
    for (let i = 0; i < 30 && !review; i++) {
      const again = await m.fill({});
      review = again.dialog?.text().includes("Dit verstuur je") === true;
      if (!review) await new Promise((r) => setTimeout(r, 200));
    }
    expect(review).toBe(true);
    expect(m.dialog?.text()).toContain(CANARY);
  }, 30_000);
});
