/**
 * `vertrouwd doctor`, in process (what it prints and its exit code), and the CLI's error
 * handling once as a real process, the way an admin runs it.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/cli/doctor.ts";
import { generateStateKey } from "../../src/store/index.ts";
import { freePort } from "../store/helpers.ts";
import { sharedDemo } from "../support/app.ts";
import { runCli } from "../support/spawn.ts";

async function doctor(file: string, env: NodeJS.ProcessEnv = {}) {
  const out = new PassThrough();
  let text = "";
  out.on("data", (c: Buffer) => (text += c.toString()));
  const code = await runDoctor({
    env: { REDIS_URL: "", VERTROUWD_CONFIG: "", ...env },
    configFile: file,
    network: false,
    out,
  });
  return { code, out: text };
}

let dir: string;
let keyPath: string;
let fingerprint: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vt-doctor-"));
  const demo = await sharedDemo();
  const k = demo.keys.counsellors[0]!;
  keyPath = path.join(dir, "anna.asc");
  await writeFile(keyPath, await readFile(k.publicKeyPath, "utf8"));
  fingerprint = k.fingerprint;
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const config = (fpr: string, keyFile = "anna.asc") => `
organisation: { name: Test BV }
counsellors:
  - id: anna
    name: Anna
    kind: internal
    languages: [nl]
    introduction: { nl: Hallo }
    key: { publicKeyPath: ${keyFile}, fingerprint: "${fpr}" }
    delivery: { type: outbox }
  - id: bert
    name: Bert
    kind: external
    languages: [nl]
    introduction: { nl: Hallo }
    key: { publicKeyPath: ${keyFile}, fingerprint: "${fpr}" }
    delivery: { type: webhook, url: "https://example.invalid/hook", secretEnv: BERT_WEBHOOK_SECRET }
`;

describe("vertrouwd doctor", () => {
  it("passes on a good config and exits 0", async () => {
    const file = path.join(dir, "good.yaml");
    await writeFile(file, config(fingerprint));
    const r = await doctor(file, { BERT_WEBHOOK_SECRET: "s".repeat(40) });
    expect(r.out).toContain("doctor: all checks passed");
    expect(r.code).toBe(0);
  });

  it("lists every problem — wrong fingerprint, missing secret — and exits 1", async () => {
    const file = path.join(dir, "bad.yaml");
    await writeFile(file, config("F".repeat(40)));
    const r = await doctor(file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/counsellor "anna".*fingerprint/);
    expect(r.out).toMatch(/counsellor "bert".*fingerprint/);
    expect(r.out).toMatch(/BERT_WEBHOOK_SECRET/);
    expect(r.out).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it("reports a missing key file and an invalid config clearly, without a stack trace", async () => {
    const missing = path.join(dir, "missing.yaml");
    await writeFile(missing, config(fingerprint, "nope.asc"));
    const r1 = await doctor(missing, { BERT_WEBHOOK_SECRET: "s".repeat(40) });
    expect(r1.code).toBe(1);
    expect(r1.out).toMatch(/counsellor "anna": public key file .*nope.asc" does not exist/);

    const invalid = path.join(dir, "invalid.yaml");
    await writeFile(invalid, "organisation: {}\ncounsellors: []\n");
    const r2 = await doctor(invalid);
    expect(r2.code).toBe(1);
    expect(r2.out).toContain("organisation.name");
    expect(r2.out).toContain("counsellors");
    expect(r2.out).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it("warns when the config is near a bound the platforms need, and still passes", async () => {
    const file = path.join(dir, "near.yaml");
    const long = `Werkt al jaren als vertrouwenspersoon. ${"x".repeat(280)}`;
    await writeFile(
      file,
      config(fingerprint).replace("introduction: { nl: Hallo }", `introduction: { nl: "${long}" }`),
    );
    const r = await doctor(file, { BERT_WEBHOOK_SECRET: "s".repeat(40) });
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `! config counsellors.0.introduction.nl: ${long.length} of at most 350 characters`,
    );
    expect(r.out).toContain("doctor: all checks passed");
  });

  it("checks the Teams settings as serve does: SingleTenant by default, needing the tenant", async () => {
    const file = path.join(dir, "teams.yaml");
    await writeFile(file, config(fingerprint));
    const app = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    const base = { BERT_WEBHOOK_SECRET: "s".repeat(40), MicrosoftAppId: app };
    const missing = await doctor(file, { ...base, MicrosoftAppPassword: "pw" });
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("✗ MicrosoftAppTenantId is required when MicrosoftAppType=SingleTenant");

    const ok = await doctor(file, {
      ...base,
      MicrosoftAppPassword: "pw",
      MicrosoftAppTenantId: app,
    });
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`✓ teams: SingleTenant in tenant ${app}`);

    const msi = await doctor(file, {
      ...base,
      MicrosoftAppType: "UserAssignedMSI",
      MicrosoftAppTenantId: app,
    });
    expect(msi.code).toBe(0);
    expect(msi.out).toContain("✓ teams: UserAssignedMSI");

    const multi = await doctor(file, {
      ...base,
      MicrosoftAppType: "MultiTenant",
      MicrosoftAppPassword: "pw",
    });
    expect(multi.code).toBe(0);
    expect(multi.out).toMatch(
      /! teams: MicrosoftAppType=MultiTenant — Azure no longer creates multi-tenant bots/,
    );
  });

  it("reports an unreachable Redis Sentinel set by its topology, and exits 1 without hanging", async () => {
    const file = path.join(dir, "sentinel.yaml");
    await writeFile(file, config(fingerprint));
    const port = await freePort();
    const r = await doctor(file, {
      BERT_WEBHOOK_SECRET: "s".repeat(40),
      REDIS_SENTINELS: `127.0.0.1:${port}`,
      REDIS_SENTINEL_NAME: "vertrouwd",
      REDIS_SENTINEL_PASSWORD: "sentinel-canary-password",
      VERTROUWD_STATE_KEY: generateStateKey(),
      VERTROUWD_SERVER_SECRET: generateStateKey(),
    });
    expect(r.out).toContain("✗ state store (redis sentinel): redis not connected (ping)");
    expect(r.out).not.toContain("sentinel-canary-password");
    expect(r.code).toBe(1);
  });

  it("prints the web page's address and its bundle's SHA-256 when the page is on", async () => {
    const { loadWebBundle } = await import("../../adapters/web/server/bundle.ts");
    const bundle = await loadWebBundle({ env: {} });
    const file = path.join(dir, "web.yaml");
    await writeFile(
      file,
      `${config(fingerprint)}web: { enabled: true, publicUrl: "https://meld.example.nl/web/" }\n`,
    );
    const r = await doctor(file, { BERT_WEBHOOK_SECRET: "s".repeat(40) });
    expect(r.code).toBe(0);
    expect(r.out).toContain("✓ web page: https://meld.example.nl/web/ (public entry off)");
    for (const name of ["app.js", "app.css"] as const) {
      const f = bundle.files[name];
      expect(r.out).toContain(`✓ web bundle ${name}: ${f.body.length} bytes, sha256 ${f.sha256}`);
    }
  });

  it("as a process: one clear line and exit 1 on a bad config, usage and exit 2 on an unknown command", async () => {
    const invalid = path.join(dir, "invalid-cli.yaml");
    await writeFile(invalid, "organisation: {}\ncounsellors: []\n");
    const [bad, unknown, badEnv] = await Promise.all([
      runCli(["doctor", "--config", invalid], { cwd: dir }),
      runCli(["frobnicate"], { cwd: dir }),
      runCli(["serve"], { cwd: dir, env: { PORT: "eighty", VERTROUWD_SHUTDOWN_GRACE_SECONDS: "ten" } }),
    ]);
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr.trim()).toBe(
      "vertrouwd: the environment has 1 problem(s): PORT: must be a whole number of a TCP port (0 to 65535)",
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain("organisation.name");
    expect(bad.stdout + bad.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });
});

describe("the environment", () => {
  it("is checked as one schema: every problem at once, each naming its variable, typos warned", async () => {
    const file = path.join(dir, "env.yaml");
    await writeFile(file, config(fingerprint));
    const r = await doctor(file, {
      BERT_WEBHOOK_SECRET: "s".repeat(40),
      PORT: "eighty",
      LOG_LEVEL: "loud",
      VERTROUWD_SHUTDOWN_GRACE_SECONDS: "0",
      SLACK_BOT_TOKEN: "xoxp-user-token-canary",
      SLACK_SIGNING_SECRET: "secret",
      REDIS_URL: "redis://127.0.0.1:1",
      VERTROUWD_STAT_KEY: "typo",
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain("✗ PORT: must be a whole number of a TCP port (0 to 65535)");
    expect(r.out).toMatch(/✗ LOG_LEVEL: Invalid (enum value|option)/);
    expect(r.out).toContain("✗ VERTROUWD_SHUTDOWN_GRACE_SECONDS: must be at least 1");
    expect(r.out).toContain("SLACK_BOT_TOKEN is not a bot token");
    expect(r.out).toMatch(/✗ .*VERTROUWD_STATE_KEY/);
    expect(r.out).toContain("! VERTROUWD_STAT_KEY is not a variable Vertrouwd reads (a typo?)");
    expect(r.out).not.toContain("canary");
    // The webhook secret the config names is no typo.
    expect(r.out).not.toContain("BERT_WEBHOOK_SECRET is not a variable");
  });
});

describe("vertrouwd doctor --check-network with Slack", () => {
  /** A loopback auth.test that grants `scopes` (Slack sends them in x-oauth-scopes). */
  async function fakeAuthTest(scopes: string, ok = true) {
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      const authorised = req.headers.authorization === "Bearer xoxb-doctor-test";
      res.writeHead(200, { "content-type": "application/json", "x-oauth-scopes": scopes });
      res.end(
        JSON.stringify(
          ok && authorised ? { ok: true, team: "Test BV" } : { ok: false, error: "invalid_auth" },
        ),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as import("node:net").AddressInfo;
    return { url: `http://127.0.0.1:${port}/api/`, close: () => new Promise((r) => server.close(r)) };
  }

  async function networkDoctor(env: NodeJS.ProcessEnv) {
    const file = path.join(dir, "slack.yaml");
    await writeFile(file, config(fingerprint).split("  - id: bert")[0] as string);
    const out = new PassThrough();
    let text = "";
    out.on("data", (c: Buffer) => (text += c.toString()));
    const code = await runDoctor({
      env: {
        REDIS_URL: "",
        VERTROUWD_CONFIG: "",
        SLACK_BOT_TOKEN: "xoxb-doctor-test",
        SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef",
        ...env,
      },
      configFile: file,
      network: true,
      out,
    });
    return { code, out: text };
  }

  it("passes when the token has exactly the manifest's scopes", async () => {
    const slack = await fakeAuthTest("chat:write,im:history,im:write");
    try {
      const r = await networkDoctor({ SLACK_API_URL: slack.url });
      expect(r.out).toContain("✓ slack: bot token and scopes (Test BV)");
      expect(r.code).toBe(0);
    } finally {
      await slack.close();
    }
  });

  it("names a missing scope as a problem and an extra one as a warning", async () => {
    const slack = await fakeAuthTest("chat:write,im:history,channels:read");
    try {
      const r = await networkDoctor({ SLACK_API_URL: slack.url });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/✗ slack: the bot token lacks im:write/);
      expect(r.out).toMatch(/! slack: the bot token has scopes Vertrouwd does not use: channels:read/);
    } finally {
      await slack.close();
    }
  });

  it("says clearly when Slack refuses the token", async () => {
    const slack = await fakeAuthTest("", false);
    try {
      const r = await networkDoctor({ SLACK_API_URL: slack.url });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/✗ slack: auth.test refused the bot token \(invalid_auth\)/);
      expect(r.out).not.toContain("xoxb-doctor-test");
    } finally {
      await slack.close();
    }
  });
});
