/**
 * Promise: what the melder types, and the case code they get, stay in the form (invariants 1–4).
 * A canary typed into every field, and the receipt's case code, appear in no chat payload, no
 * log line, no Redis value in readable form and no file but the ciphertext — while the form's
 * own views (the modal) do carry them, as they must.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateStateKey } from "../../src/store/index.ts";
import { REDIS_URL, deletePrefix, keysWithPrefix, rawClient, uniquePrefix } from "../store/helpers.ts";
import { CANARY, type SlackRig, playForm, slackRig, toForm } from "./helpers.ts";

const prefix = uniquePrefix("canary");
let rig: SlackRig;
beforeAll(async () => {
  rig = await slackRig({
    env: {
      REDIS_URL,
      VERTROUWD_STATE_KEY: generateStateKey(),
      VERTROUWD_SERVER_SECRET: generateStateKey(),
      VERTROUWD_REDIS_PREFIX: prefix,
    },
    keyPrefix: prefix,
  });
});
afterAll(async () => {
  await rig?.close();
  await deletePrefix(prefix);
});

const FIELDS = ["what", "when", "where", "who", "witnesses", "impact", "urgent"];

describe("a canary in every field", () => {
  it("reaches the form and the sealed handoff only", async () => {
    const m = rig.melder();
    await toForm(m);
    await playForm(m, [
      { type: "CHOOSE", choice: "report" },
      { type: "CHOOSE", choice: "wrongdoing" },
      { type: "CHOOSE", choice: "counsellor:demo-extern" },
      { type: "CHOOSE", choice: "named" },
      { type: "CHOOSE", choice: "typed" },
      { type: "SUBMIT", form: "contact", values: { name: `${CANARY}-name`, route: `${CANARY}-route` } },
      {
        type: "SUBMIT",
        form: "report",
        values: Object.fromEntries(FIELDS.map((f) => [f, `${CANARY}-${f}`])),
      },
    ]);
    // Edit the report from the review: the form shows the text again — in the modal only.
    await playForm(m, [{ type: "CHOOSE", choice: "edit_report" }]);
    expect(JSON.stringify(m.modal()?.view)).toContain(`${CANARY}-what`);
    await playForm(m, [
      {
        type: "SUBMIT",
        form: "report",
        values: Object.fromEntries(FIELDS.map((f) => [f, `${CANARY}-${f}`])),
      },
    ]);
    await playForm(m, [{ type: "CHOOSE", choice: "send" }]);
    await m.settle();
    await rig.t.drain();
    const caseCode = /VT-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(JSON.stringify(m.modal()?.view))?.[0];
    expect(caseCode).toBeDefined();

    const chat = rig.fake.calls
      .filter((c) => c.method.startsWith("chat."))
      .map((c) => c.raw + JSON.stringify(c.params))
      .join("\n");
    const views = rig.fake.calls
      .filter((c) => c.method.startsWith("views."))
      .map((c) => JSON.stringify(c.params))
      .join("\n");
    const logs = rig.t.logs.join("\n");
    const client = await rawClient();
    const redis: string[] = [];
    for (const key of await keysWithPrefix(client, prefix)) {
      const type = await client.type(key);
      redis.push(
        key,
        type === "string"
          ? ((await client.get(key)) ?? "")
          : type === "set"
            ? (await client.sMembers(key)).join(",")
            : "",
      );
    }
    client.destroy();
    const files = await rig.t.files();
    const handoffs = files.filter((f) => f.file.endsWith(".asc") && f.file.includes("outbox"));
    expect(handoffs).toHaveLength(1);

    for (const needle of [CANARY, caseCode as string]) {
      expect(chat).not.toContain(needle);
      expect(logs).not.toContain(needle);
      expect(redis.join("\n")).not.toContain(needle);
      for (const f of files) expect(f.content, f.file).not.toContain(needle);
    }
    // The form's own views may hold the text (the edit) — they are the melder's window, not the chat.
    expect(views.length).toBeGreaterThan(0);
    // No hash of what was sent is shown anywhere in Slack: the receipt in the modal has the case
    // code and the day, never a SHA-256 that would match the file in the counsellor's mailbox.
    const sent = await readFile(handoffs[0]?.file ?? "");
    const shown = `${chat}\n${views}\n${JSON.stringify(m.modal()?.view)}`;
    for (const digest of [
      createHash("sha256").update(sent).digest("hex"),
      createHash("sha256").update(sent).digest("base64"),
    ])
      expect(shown).not.toContain(digest);
    expect(shown).not.toMatch(/\b[0-9a-f]{64}\b/i);
    // What left is ciphertext: armored, and it opens only with the counsellor's key.
    expect((await readFile(handoffs[0]?.file ?? "", "utf8")).startsWith("-----BEGIN PGP MESSAGE-----")).toBe(
      true,
    );
  }, 60_000);
});
