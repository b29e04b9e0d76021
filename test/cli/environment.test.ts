/** The one schema of every environment variable (src/cli/environment.ts). */
import { describe, expect, it } from "vitest";
import {
  EnvironmentError,
  environmentProblems,
  environmentValue,
  readEnvironment,
  unknownVariables,
} from "../../src/cli/environment.ts";
import { generateStateKey } from "../../src/store/index.ts";

describe("the environment schema", () => {
  it("reads every variable it knows, typed; an empty one is an unset one", () => {
    const env = readEnvironment({
      PORT: "8080",
      LOG_LEVEL: "warn",
      VERTROUWD_SHUTDOWN_GRACE_SECONDS: "20",
      VERTROUWD_DELIVERY_LEASE_SECONDS: "",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      REDIS_URL: "redis://127.0.0.1:6379",
      VERTROUWD_STATE_KEY: generateStateKey(),
      VERTROUWD_SERVER_SECRET: generateStateKey(),
      HOME: "/home/x",
    });
    expect(env.PORT).toBe(8080);
    expect(env.VERTROUWD_SHUTDOWN_GRACE_SECONDS).toBe(20);
    expect(env.VERTROUWD_DELIVERY_LEASE_SECONDS).toBeUndefined();
    expect(environmentValue({ PORT: " 3978 " }, "PORT")).toBe(3978);
  });

  it("reports every problem at once, each naming its variable, never a secret's value", () => {
    const problems = environmentProblems({
      PORT: "70000",
      MicrosoftAppId: "not-a-guid",
      MicrosoftAppPassword: "pw-canary",
      MicrosoftAppTenantId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
      SLACK_APP_TOKEN: "xoxb-canary",
      SLACK_BOT_TOKEN: "xoxb-1",
      REDIS_URL: "redis://127.0.0.1:6379",
      SMTP_URL: "mail.example.org",
      VERTROUWD_FAULT_POINT: "somewhere",
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        "PORT: must be at most 65535",
        "MicrosoftAppId must be a GUID (the bot's Microsoft App ID)",
        expect.stringContaining("SLACK_APP_TOKEN must be an app-level token"),
        expect.stringContaining("VERTROUWD_STATE_KEY is required with Redis"),
        "SMTP_URL: must be an smtp:// or smtps:// URL",
        expect.stringMatching(/^VERTROUWD_FAULT_POINT: /),
      ]),
    );
    expect(problems.join("\n")).not.toContain("canary");
    expect(() => readEnvironment({ PORT: "x" })).toThrow(EnvironmentError);
  });

  it("warns about an unknown variable of ours, unless the config names it", () => {
    const env = {
      VERTROUWD_STAT_KEY: "x",
      VERTROUWD_HOOK_SECRET: "y",
      SLACK_SIGNING_SECRT: "z",
      PATH: "/bin",
    };
    expect(unknownVariables(env, ["VERTROUWD_HOOK_SECRET"])).toEqual([
      "VERTROUWD_STAT_KEY is not a variable Vertrouwd reads (a typo?); see .env.example",
      "SLACK_SIGNING_SECRT is not a variable Vertrouwd reads (a typo?); see .env.example",
    ]);
  });
});
