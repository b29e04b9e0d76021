/**
 * Every environment variable Vertrouwd reads, in one zod schema (issue 14 item 4). `serve` and
 * `doctor` parse the environment with it once at start, so every problem is reported
 * at once, each naming its variable, before anything listens or connects.
 *
 * The rules of a group of variables that only make sense together (Slack's tokens, the Teams
 * registration, the Redis topology, the sealing keys) are written once, in the module that uses
 * them; this schema runs them and reports their errors under the variable they name. Secrets are
 * read like everything else but never appear in an error.
 *
 * Variables that a config file names (a webhook's `secretEnv`) are checked by `doctor` with the
 * config's transports (src/delivery).
 */
import { z } from "zod";
import { readSlackSecrets, slackConfigured } from "../../adapters/slack/secrets.ts";
import { readTeamsSettings } from "../../adapters/teams/settings.ts";
import type { Config } from "../config/schema.ts";
import { parseRedisTopology } from "../store/redis-config.ts";
import { parseServerSecret, parseStateKeys } from "../store/state-key.ts";

/** An empty variable is an unset one (`FOO=` in an env file). */
const unset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(unset, schema.optional());
const text = (max = 4096) => optional(z.string().trim().max(max, `is longer than ${max} characters`));
const wholeNumber = (min: number, max: number, what: string) =>
  optional(
    z
      .string()
      .trim()
      .regex(/^\d+$/, `must be a whole number of ${what}`)
      .transform(Number)
      .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)),
  );
const httpsUrl = optional(
  z.string().trim().url("must be a URL").startsWith("https://", "must start with https://"),
);

const SHAPE = {
  // ── the process ──
  NODE_ENV: text(40),
  LOG_LEVEL: optional(z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"])),
  PORT: wholeNumber(0, 65535, "a TCP port (0 to 65535)"),
  VERTROUWD_CONFIG: text(),
  VERTROUWD_SHUTDOWN_GRACE_SECONDS: wholeNumber(1, 300, "seconds"),
  VERTROUWD_DELIVERY_LEASE_SECONDS: wholeNumber(1, 3600, "seconds"),
  VERTROUWD_FAULT_POINT: optional(
    z.enum(["before-seal", "after-queue", "after-transport", "before-receipt"]),
  ),
  // ── Slack (adapters/slack/secrets.ts has the rules) ──
  SLACK_BOT_TOKEN: text(),
  SLACK_SIGNING_SECRET: text(),
  SLACK_APP_TOKEN: text(),
  SLACK_API_URL: optional(z.string().trim().url("must be a URL")),
  // ── Teams (adapters/teams/settings.ts) and its app package (manifest/teams/package.ts) ──
  MicrosoftAppId: text(100),
  MicrosoftAppPassword: text(),
  MicrosoftAppTenantId: text(100),
  MicrosoftAppType: text(40),
  VERTROUWD_TEAMS_DEV_NO_AUTH: optional(z.enum(["1", "0"], { message: 'must be "1" or left unset' })),
  VERTROUWD_PUBLIC_HOST: optional(
    z
      .string()
      .trim()
      .regex(/^[a-z0-9.-]+(:\d+)?$/i, "must be a host name (and port), without https://"),
  ),
  VERTROUWD_WEBSITE_URL: httpsUrl,
  VERTROUWD_PRIVACY_URL: httpsUrl,
  VERTROUWD_TERMS_URL: httpsUrl,
  // ── the state store (src/store/redis-config.ts, src/store/state-key.ts) ──
  REDIS_URL: text(),
  REDIS_SENTINELS: text(),
  REDIS_SENTINEL_NAME: text(200),
  REDIS_SENTINEL_USERNAME: text(200),
  REDIS_SENTINEL_PASSWORD: text(),
  REDIS_SENTINEL_TLS: text(10),
  REDIS_CLUSTER_NODES: text(),
  REDIS_USERNAME: text(200),
  REDIS_PASSWORD: text(),
  VERTROUWD_STATE_KEY: text(),
  VERTROUWD_SERVER_SECRET: text(),
  VERTROUWD_REDIS_PREFIX: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9:._-]{1,64}$/, "may hold letters, digits and : . _ - only (at most 64)"),
  ),
  // ── delivery and the counsellor's side ──
  SMTP_URL: optional(
    z
      .string()
      .trim()
      .regex(/^smtps?:\/\/\S+$/, "must be an smtp:// or smtps:// URL"),
  ),
  VERTROUWD_KEY_PASSPHRASE: text(),
};

/** Prefixes of our own variables: an unknown one is most likely a typo of a known one. */
const OURS = /^(VERTROUWD_|SLACK_|REDIS_|Microsoft)/;

/**
 * The rules of each group, run on the raw variables before the fields are parsed, so that they
 * run even when a single variable is already wrong (every problem at once).
 */
function checkGroups(raw: Record<string, string | undefined>, ctx: z.RefinementCtx): void {
  const report = (path: string, run: () => unknown) => {
    try {
      run();
    } catch (err) {
      // Our modules' errors already name their variable and never quote a secret's value.
      const message = err instanceof Error ? err.message : `${path} is invalid`;
      ctx.addIssue({ code: "custom", path: [path], message, params: { named: true } });
    }
  };
  if (slackConfigured(raw)) report("SLACK_BOT_TOKEN", () => readSlackSecrets(raw));
  if (
    raw.MicrosoftAppId ||
    raw.MicrosoftAppPassword ||
    raw.MicrosoftAppTenantId ||
    raw.VERTROUWD_TEAMS_DEV_NO_AUTH
  )
    report("MicrosoftAppId", () => readTeamsSettings(raw));
  let redis = false;
  report("REDIS_URL", () => {
    redis = parseRedisTopology(raw) !== undefined;
  });
  report("VERTROUWD_STATE_KEY", () => parseStateKeys(raw.VERTROUWD_STATE_KEY, { required: redis }));
  report("VERTROUWD_SERVER_SECRET", () =>
    parseServerSecret(raw.VERTROUWD_SERVER_SECRET, { required: redis }),
  );
}

export const Environment = z.preprocess((raw, ctx) => {
  checkGroups(raw as Record<string, string | undefined>, ctx);
  return raw;
}, z.object(SHAPE));
export type Environment = z.infer<typeof Environment>;

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`the environment has ${problems.length} problem(s): ${problems.join("; ")}`);
    this.name = "EnvironmentError";
  }
}

/**
 * Parses the process environment. Throws EnvironmentError listing every problem, each naming its
 * variable.
 */
export function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const problems = environmentProblems(env);
  if (problems.length > 0) throw new EnvironmentError(problems);
  return Environment.parse(env);
}

/** Every problem of the environment, one line each, naming the variable; empty when fine. */
export function environmentProblems(env: NodeJS.ProcessEnv): string[] {
  const parsed = Environment.safeParse(env);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) =>
    issue.code === "custom" && (issue.params as { named?: boolean } | undefined)?.named
      ? issue.message
      : `${issue.path.join(".") || "environment"}: ${issue.message}`,
  );
}

/**
 * A VERTROUWD_, SLACK_, REDIS_ or Microsoft variable the schema does not know is most likely a
 * typo of one it does (and would be silently ignored): a warning, since a config file may name
 * its own (`secretEnv`, `signingPassphraseEnv`), given as `named`.
 */
export function unknownVariables(env: NodeJS.ProcessEnv, named: string[] = []): string[] {
  return Object.keys(env)
    .filter((name) => OURS.test(name) && !(name in SHAPE) && !named.includes(name) && env[name]?.trim())
    .map((name) => `${name} is not a variable Vertrouwd reads (a typo?); see .env.example`);
}

/** The variables a config file names for its secrets (webhook secrets, the signing passphrase). */
export function namedByConfig(config: Config): string[] {
  const names = config.counsellors.flatMap((c) =>
    c.delivery.type === "webhook" ? [c.delivery.secretEnv] : [],
  );
  if (config.handoff.signingPassphraseEnv) names.push(config.handoff.signingPassphraseEnv);
  return names;
}

/** One variable, parsed by its rule in the schema (for code that needs only that one). */
export function environmentValue<K extends keyof typeof SHAPE>(
  env: NodeJS.ProcessEnv,
  name: K,
): z.infer<(typeof SHAPE)[K]> {
  const parsed = SHAPE[name].safeParse(env[name]);
  if (!parsed.success) {
    throw new EnvironmentError([`${name}: ${parsed.error.issues[0]?.message ?? "is invalid"}`]);
  }
  return parsed.data as z.infer<(typeof SHAPE)[K]>;
}
