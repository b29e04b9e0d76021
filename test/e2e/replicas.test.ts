/**
 * Two real `vertrouwd serve` processes sharing one Redis serve alternate turns of one Slack
 * conversation; the handoff at the end opens with GnuPG.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateStateKey } from "../../src/store/index.ts";
import {
  type FakeSlack,
  type SlackClientSim,
  buttonClick,
  homeOpened,
  latestPrompt,
  slackClient,
  startFakeSlack,
  viewSubmission,
} from "../adapters/slack/fake-slack.ts";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";
import { REDIS_URL, deletePrefix, freePort, uniquePrefix } from "../store/helpers.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SECRET = `replicas-${randomBytes(8).toString("hex")}`;
const CANARY = `CANARY-replicas-${randomBytes(4).toString("hex")}`;
const prefix = uniquePrefix("replicas");

let fake: FakeSlack;
let cwd: string;
let gnupg: GnupgHome;
const servers: { child: ChildProcess; url: string; client: SlackClientSim; logs: string[] }[] = [];

async function startServe(env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const logs: string[] = [];
  const child = spawn(
    path.join(ROOT, "node_modules/.bin/tsx"),
    [path.join(ROOT, "src/cli/entry.ts"), "serve", "--port", String(port)],
    {
      cwd,
      env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (c: Buffer) => logs.push(c.toString()));
  child.stderr?.on("data", (c: Buffer) => logs.push(c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    const ready = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return { child, url, client: slackClient(`${url}/slack/events`, SECRET), logs };
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error(`serve did not become ready: ${logs.join("").slice(-500)}`);
}

beforeAll(async () => {
  fake = await startFakeSlack();
  cwd = await mkdtemp(path.join(tmpdir(), "vt-replicas-"));
  gnupg = await createGnupgHome();
  const env = {
    SLACK_BOT_TOKEN: "xoxb-replicas",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    REDIS_URL,
    VERTROUWD_STATE_KEY: generateStateKey(),
    VERTROUWD_SERVER_SECRET: generateStateKey(),
    VERTROUWD_REDIS_PREFIX: prefix,
    VERTROUWD_CONFIG: "",
  };
  // The first start generates the demo keys; the second reuses them.
  servers.push(await startServe(env));
  servers.push(await startServe(env));
}, 60_000);

afterAll(async () => {
  for (const s of servers) {
    s.child.kill("SIGTERM");
  }
  await fake?.close();
  await gnupg?.cleanup();
  await deletePrefix(prefix);
  await rm(cwd, { recursive: true, force: true });
});

describe("two serve processes on one Redis", () => {
  it("serve alternate turns of the same conversation and hand off once", async () => {
    const user = `U${randomBytes(5).toString("hex").toUpperCase()}`;
    const channel = `D${randomBytes(5).toString("hex").toUpperCase()}`;
    let turn = 0;
    const next = () => servers[turn++ % 2]!.client;
    const prompt = () => {
      const p = latestPrompt(fake, channel);
      if (!p) throw new Error("no prompt");
      return structuredClone(p);
    };
    const waitNewer = (ts?: string) =>
      fake.waitFor(() => {
        const p = latestPrompt(fake, channel);
        return p && (ts === undefined || Number(p.ts) > Number(ts)) ? structuredClone(p) : undefined;
      });
    const click = async (choice: string) => {
      const current = prompt();
      expect(
        (await next().interaction(buttonClick(current, `vt_choice:${choice}`, { user, channel }))).status,
      ).toBe(200);
      return waitNewer(current.ts);
    };

    expect((await next().event(homeOpened(user, channel, "messages"))).status).toBe(200);
    await waitNewer();
    for (const c of ["continue", "ack", "report", "bullying", "counsellor:demo-intern", "anonymous"])
      await click(c);

    const opened = fake.callsOf("views.open").length;
    expect(
      (await next().interaction(buttonClick(prompt(), "vt_open:report", { user, channel }))).status,
    ).toBe(200);
    const view = (await fake.waitFor(() => fake.callsOf("views.open")[opened])).params.view as Parameters<
      typeof viewSubmission
    >[0];
    const before = prompt().ts;
    expect((await next().interaction(viewSubmission(view, { what: CANARY }, { user }))).status).toBe(200);
    await waitNewer(before);
    await click("send");

    const outbox = path.join(cwd, ".vertrouwd/outbox");
    const files = (await readdir(outbox)).filter((f) => f.endsWith(".asc"));
    expect(files).toHaveLength(1);
    await importSecret(
      gnupg,
      await readFile(path.join(cwd, ".vertrouwd/demo-keys/demo-intern.private.asc"), "utf8"),
    );
    const opened2 = await gnupg.gpg(["--decrypt", path.join(outbox, files[0]!)]);
    expect(opened2.stdout).toContain(CANARY);
    // Both processes served turns, and neither logged the report or the user id.
    for (const s of servers) {
      const logs = s.logs.join("");
      expect(logs).toContain("turn.ok");
      expect(logs).not.toContain(CANARY);
      expect(logs).not.toContain(user);
    }
  }, 60_000);
});
