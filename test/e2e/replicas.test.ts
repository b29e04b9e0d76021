/**
 * Two real `vertrouwd serve` processes sharing one Redis serve alternate requests of one Slack
 * conversation — chat and form alike; the handoff at the end opens with GnuPG.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateStateKey } from "../../src/store/index.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";
import { REDIS_URL, deletePrefix, uniquePrefix } from "../store/helpers.ts";
import { sharedDemo } from "../support/app.ts";
import { writeTestConfig } from "../support/config-file.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { alternating, httpTransport, slackMelder } from "../support/slack-melder.ts";
import { type ServeProcess, startServe } from "../support/spawn.ts";

const SECRET = `replicas-${randomBytes(8).toString("hex")}`;
const CANARY = `CANARY-replicas-${randomBytes(4).toString("hex")}`;
const prefix = uniquePrefix("replicas");

let fake: FakeSlack;
let cwd: string;
let gnupg: GnupgHome;
const servers: ServeProcess[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
  cwd = await mkdtemp(path.join(tmpdir(), "vt-replicas-"));
  await writeTestConfig(cwd);
  gnupg = await createGnupgHome();
  const env = {
    SLACK_BOT_TOKEN: "xoxb-replicas",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    REDIS_URL,
    VERTROUWD_STATE_KEY: generateStateKey(),
    VERTROUWD_SERVER_SECRET: generateStateKey(),
    VERTROUWD_REDIS_PREFIX: prefix,
  };
  servers.push(await startServe({ cwd, env }), await startServe({ cwd, env }));
}, 60_000);

afterAll(async () => {
  for (const s of servers) s.kill("SIGTERM");
  await Promise.all(servers.map((s) => s.exited));
  await fake?.close();
  await gnupg?.cleanup();
  await deletePrefix(prefix);
  await rm(cwd, { recursive: true, force: true });
});

describe("two serve processes on one Redis", () => {
  it("serve alternate requests of the same conversation and hand off once", async () => {
    const m = slackMelder(
      fake,
      alternating(...servers.map((s) => httpTransport(`${s.url}/slack/events`, SECRET))),
      {
        user: `U${randomBytes(5).toString("hex").toUpperCase()}`,
      },
    );
    await m.openDm();
    await m.settle();
    for (const c of ["continue", "ack", "form"]) {
      await m.click(c);
      await m.settle();
    }
    for (const o of ["report", "bullying", "counsellor:demo-intern", "anonymous"]) await m.choose(o);
    await m.fill({ what: CANARY });
    await m.submit();
    await m.settle();
    expect(JSON.stringify(m.modal()?.view)).toMatch(/VT-[0-9A-Z]{4}-[0-9A-Z]{4}/);

    const outbox = path.join(cwd, "outbox");
    const files = await waitForFiles(outbox);
    expect(files).toHaveLength(1);
    const demo = await sharedDemo();
    const key = demo.keys.counsellors.find((k) => k.id === "demo-intern");
    await importSecret(gnupg, await readFile(key!.privateKeyPath, "utf8"));
    const opened = await gnupg.gpg(["--decrypt", path.join(outbox, files[0]!)]);
    expect(opened.stdout).toContain(CANARY);
    for (const s of servers) {
      const logs = s.logs.join("");
      expect(logs).toContain("turn.ok");
      expect(logs).toContain("form.step");
      expect(logs).not.toContain(CANARY);
      expect(logs).not.toContain(m.user);
    }
  }, 60_000);
});

async function waitForFiles(dir: string): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".asc"));
    if (files.length > 0) return files;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}
