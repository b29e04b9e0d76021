/**
 * A conversation survives a Redis primary failover. Real Sentinel set on loopback (one primary,
 * one replica, three sentinels); the melder fills in the report, the primary is SIGKILLed before
 * they press "send": they get at most the honest "temporarily unavailable" notice, then the
 * conversation goes on from the promoted replica with everything they typed.
 *
 * Runtime-level on purpose and kept small: the store- and vault-level failover tests
 * (test/store/redis-sentinel.test.ts) carry the weight; this one drives the runtime's form.
 */
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FormOutput, Melder } from "../../src/conversation/types.ts";
import { openHandoff } from "../../src/handoff/open.ts";
import { generateStateKey } from "../../src/store/index.ts";
import { uniquePrefix } from "../store/helpers.ts";
import { type SentinelTopology, command, startSentinelTopology } from "../store/topologies.ts";
import { type TestApp, testApp } from "../support/app.ts";
import { CANARY, choose, report, texts } from "../support/conversation.ts";

let topo: SentinelTopology;
let t: TestApp;

beforeAll(async () => {
  topo = await startSentinelTopology();
  t = await testApp({
    env: {
      ...topo.env,
      VERTROUWD_STATE_KEY: generateStateKey(),
      VERTROUWD_SERVER_SECRET: generateStateKey(),
    },
    keyPrefix: uniquePrefix("failover"),
  });
});
afterAll(async () => {
  await t?.cleanup();
  await topo?.stop();
});

describe("conversation across a Redis failover", () => {
  it("answers 'temporarily unavailable' while the primary is gone, then continues with everything typed", async () => {
    const who: Melder = { platform: "slack", tenant: "T-FAILOVER", user: "U-FAILOVER" };
    const form = await report(t.app.runtime, who);
    expect(form.outs.every((turn) => turn.status === "ok")).toBe(true);
    expect(form.current.state).toBe("review");
    expect(JSON.stringify(form.current.prompts)).toContain(CANARY);

    // Replication is asynchronous: a SIGKILL loses what had not reached the replica yet
    // (docs/redis.md). Here it has, as it has within milliseconds in the normal case.
    expect(await command((await topo.currentPrimaryPort()) as number, ["WAIT", "1", "2000"])).toBe(1);
    const killedAt = performance.now();
    await topo.killPrimary();

    const answers: { status: FormOutput["status"]; ms: number }[] = [];
    let sent: FormOutput | undefined;
    while (!sent) {
      const started = performance.now();
      const turn = await form.step(choose("send"));
      answers.push({ status: turn.status, ms: performance.now() - started });
      if (turn.status === "unavailable") {
        expect(texts(turn)).toEqual(["notice.formUnavailable"]);
        if (performance.now() - killedAt > 20_000)
          throw new Error("still unavailable 20 s after the SIGKILL");
        await sleep(200);
      } else {
        sent = turn;
      }
    }
    const unavailableMs = Math.round(performance.now() - killedAt);
    const refused = answers.slice(0, -1);
    console.info(
      `runtime failover: ${refused.length} "temporarily unavailable" answers over ${unavailableMs} ms ` +
        `(slowest ${Math.round(Math.max(0, ...refused.map((a) => a.ms)))} ms), then the handoff`,
    );
    // Nothing but the honest notice before; every answer well inside Slack's 3 s.
    expect(refused.every((a) => a.status === "unavailable")).toBe(true);
    expect(answers.every((a) => a.ms < 1000)).toBe(true);

    // The promoted replica had the whole draft: the report goes out as typed, once.
    expect(sent.status).toBe("ok");
    expect(sent.state).toBe("done");
    expect(JSON.stringify(sent.prompts)).toMatch(/VT-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    await t.drain();
    const files = await t.outbox();
    expect(files).toHaveLength(1);
    const key = t.demo.keys.counsellors.find((k) => k.id === "demo-extern");
    if (!key || !files[0]) throw new Error("no demo-extern key or handoff");
    const opened = await openHandoff(await readFile(files[0], "utf8"), {
      privateKeyArmored: await readFile(key.privateKeyPath, "utf8"),
    });
    expect(opened.text).toContain(CANARY);
    expect(t.logs.join("")).toContain('"event":"store.redis.primary_changed"');
    expect(t.logs.join("")).not.toContain(CANARY);
  });
});
