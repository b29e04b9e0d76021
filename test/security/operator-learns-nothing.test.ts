/**
 * Promise: the bot's operator — with a full Redis dump (every key, value and TTL), the complete
 * environment of every replica, and every log line at the most verbose level — cannot read a
 * draft or tie one to a person (invariant 3). Taken while forms are open and after they were sent.
 * The operator tries what it can: the state keys on every value, and the HMAC of every member of
 * the workspace against every key and value.
 */
import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateStateKey } from "../../src/store/index.ts";
import { openState } from "../../src/store/state-key.ts";
import { REDIS_URL, deletePrefix, keysWithPrefix, rawClient, uniquePrefix } from "../store/helpers.ts";
import type { SlackMelder } from "../support/slack-melder.ts";
import { CANARY, type SlackRig, playForm, slackRig, toForm } from "./helpers.ts";

const prefix = uniquePrefix("operator");
const env = {
  REDIS_URL,
  VERTROUWD_STATE_KEY: generateStateKey(),
  VERTROUWD_SERVER_SECRET: generateStateKey(),
  VERTROUWD_REDIS_PREFIX: prefix,
};
let rig: SlackRig;

beforeAll(async () => {
  rig = await slackRig({ env, keyPrefix: prefix });
});
afterAll(async () => {
  await rig?.close();
  await deletePrefix(prefix);
});

interface Dumped {
  key: string;
  ttl: number;
  value: string;
}

async function dump(): Promise<Dumped[]> {
  const client = await rawClient();
  const out: Dumped[] = [];
  for (const key of await keysWithPrefix(client, prefix)) {
    const type = await client.type(key);
    const value =
      type === "set"
        ? (await client.sMembers(key)).join(",")
        : type === "zset"
          ? (await client.zRange(key, 0, -1)).join(",")
          : ((await client.get(key)) ?? "");
    out.push({ key: key.slice(prefix.length), ttl: await client.pTTL(key), value });
  }
  client.destroy();
  return out;
}

const report = (topic: string, what: string) => [
  { type: "CHOOSE" as const, choice: "report" },
  { type: "CHOOSE" as const, choice: topic },
  { type: "CHOOSE" as const, choice: "counsellor:demo-intern" },
  { type: "CHOOSE" as const, choice: "anonymous" },
  { type: "SUBMIT" as const, form: "report" as const, values: { what, impact: what, wishes: "complaint" } },
];

describe("the operator, with everything at rest", () => {
  it("can neither read a draft nor tie one, or a queued handoff, to a person", async () => {
    const melders: SlackMelder[] = [];
    // Forms open mid-way, at the review, and sent.
    for (const [i, stop] of [2, 5, 6, 6].entries()) {
      const m = rig.melder();
      melders.push(m);
      await toForm(m);
      const events = [
        ...report(i % 2 ? "sexual_harassment" : "integrity", `${CANARY}-${i}`),
        { type: "CHOOSE" as const, choice: "send" },
      ];
      await playForm(m, events.slice(0, stop));
      await m.settle();
    }
    await rig.t.app.worker.runOnce();

    // The workspace's member list, the melders among many others.
    const members = [
      ...melders.map((m) => m.user),
      ...Array.from({ length: 200 }, () => `U${randomBytes(5).toString("hex").toUpperCase()}`),
    ];
    const secret = Buffer.from(env.VERTROUWD_SERVER_SECRET, "base64");
    const stateKeys = env.VERTROUWD_STATE_KEY.split(",").map((k) => Buffer.from(k.trim(), "base64"));
    const hmacs = new Map(
      members.map((u) => [createHmac("sha256", secret).update(`slack:T0TEAM:${u}`).digest("hex"), u]),
    );
    const records = await dump();
    const logs = rig.t.logs.join("\n");
    const everything = JSON.stringify(records) + logs + JSON.stringify(env);

    // 1. Nothing readable: no canary, topic, counsellor, user id or DM channel anywhere at rest.
    for (const m of melders) {
      expect(everything).not.toContain(m.user);
      expect(everything).not.toContain(m.channel);
    }
    expect(everything).not.toContain(CANARY);

    // 2. The state keys open the chat records only — and those hold navigation only.
    const drafts = records.filter((r) => r.key.startsWith("form:{"));
    expect(drafts.length).toBeGreaterThanOrEqual(3);
    for (const r of records) {
      expect(r.ttl, r.key).toBeGreaterThan(0);
      const hmac = /\{([0-9a-f]{64})\}/.exec(r.key)?.[1];
      const opened = hmac
        ? openState(stateKeys, r.value, `vertrouwd:draft:v1:${hmac}`)
        : { ok: false as const };
      if (r.key.startsWith("form:{")) {
        // Sealed with the form's own key: the state keys do not open it, whatever the AAD.
        for (const aad of ["", `vertrouwd:form:v1:${r.key.slice(6, -1)}`])
          expect(openState(stateKeys, r.value, aad).ok).toBe(false);
      }
      if (opened.ok) {
        expect(r.key.startsWith("draft:{"), r.key).toBe(true);
        const chat = JSON.parse(opened.plaintext) as {
          flow: { state: string; context: Record<string, unknown> };
        };
        expect(Object.keys(chat.flow.context).sort()).toEqual(["locale"]);
        for (const word of [
          "integrity",
          "sexual_harassment",
          "demo-intern",
          "anonymous",
          "complaint",
          CANARY,
        ]) {
          expect(opened.plaintext).not.toContain(word);
        }
      }
    }

    // 3. The HMAC of a member finds their chat record, and nothing else: no draft, no queued
    //    handoff, no status and no log line carries it (and no record carries a form's MAC).
    for (const r of records) {
      const named = [...hmacs.keys()].filter((h) => r.key.includes(h) || r.value.includes(h));
      if (named.length > 0) expect(r.key, r.key).toMatch(/^(draft|active|lock|dedup):\{[0-9a-f]{64}\}$/);
    }
    for (const h of hmacs.keys()) expect(logs).not.toContain(h);
    for (const r of records.filter((x) => x.key.startsWith("form:") || x.key.startsWith("dq:"))) {
      for (const h of hmacs.keys()) expect(r.value).not.toContain(h);
    }

    // 4. The logs correlate a form by its own random id, which no chat record holds.
    const formIds = [...logs.matchAll(/"event":"form\.[a-z]+","conv":"([0-9a-f]{12})"/g)].map(
      (x) => x[1] as string,
    );
    expect(formIds.length).toBeGreaterThan(0);
    for (const r of records) {
      const hmac = /\{([0-9a-f]{64})\}/.exec(r.key)?.[1];
      const opened = hmac ? openState(stateKeys, r.value, `vertrouwd:draft:v1:${hmac}`) : undefined;
      if (opened?.ok) for (const id of formIds) expect(opened.plaintext).not.toContain(id);
    }
  }, 60_000);
});
