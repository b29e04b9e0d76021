/**
 * Promise: the demo counsellors, whose private keys lie unprotected on the disk, never serve real
 * reports (issue 11 item 1). `serve` refuses to start without a real configuration whenever a
 * platform is configured or NODE_ENV=production, and `--demo` never goes with a platform's secrets.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startServe } from "../support/spawn.ts";

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), "vt-nodemo-"));
});
afterAll(async () => rm(cwd, { recursive: true, force: true }));

const exists = async (p: string) => (await readdir(cwd)).includes(p);

describe("serve without a configuration", () => {
  it.each([
    ["Slack credentials", { SLACK_BOT_TOKEN: "xoxb-x", SLACK_SIGNING_SECRET: "s" }, []],
    [
      "Teams credentials",
      {
        MicrosoftAppId: "00000000-0000-0000-0000-000000000000",
        MicrosoftAppPassword: "p",
        MicrosoftAppTenantId: "00000000-0000-0000-0000-000000000001",
      },
      [],
    ],
    ["NODE_ENV=production", { NODE_ENV: "production" }, []],
    [
      "--demo next to Slack credentials",
      { SLACK_BOT_TOKEN: "xoxb-x", SLACK_SIGNING_SECRET: "s" },
      ["--demo"],
    ],
    ["--demo in production", { NODE_ENV: "production" }, ["--demo"]],
    ["no --demo", {}, []],
  ])("refuses with %s, says what to do, and writes no keys", async (_, env, args) => {
    const r = await runCli(["serve", "--port", "0", ...args], { cwd, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/vertrouwd: .*(configuration|--demo)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await exists(".vertrouwd")).toBe(false);
  });

  it("runs the demo counsellors only when asked, with no platform", async () => {
    const serve = await startServe({ cwd, args: ["--demo"] });
    expect(serve.logs.join("")).toContain("config.demo_defaults");
    serve.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
  });
});
