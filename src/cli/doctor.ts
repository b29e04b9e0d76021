/**
 * `vertrouwd doctor`: validates config, counsellor keys, transports and the state store, and
 * prints every problem at once. Exit 1 when anything must be fixed; warnings alone exit 0.
 */
import { checkSlackScopes } from "../../adapters/slack/scopes.ts";
import { readTeamsSettings } from "../../adapters/teams/settings.ts";
import { describeNearLimit, nearLimits } from "../config/limits.ts";
import { ConfigError } from "../config/load.ts";
import type { Config } from "../config/schema.ts";
import { checkTransports } from "../delivery/index.ts";
import { createDeliveryQueue } from "../delivery/queue.ts";
import { createLogger, silentLogger } from "../log/logger.ts";
import { checkStore, createStateStore, stateStoreEnv } from "../store/index.ts";
import { environmentProblems, namedByConfig, unknownVariables } from "./environment.ts";
import { findConfig } from "./setup.ts";
import { validateKeys } from "./wiring.ts";

/** Beyond the configured delivery delay, longer than a delivery with its retries normally takes. */
const STALE_QUEUE_SECONDS = 15 * 60;

export async function runDoctor(options: {
  env: NodeJS.ProcessEnv;
  configFile?: string;
  network: boolean;
  out?: NodeJS.WritableStream;
}): Promise<number> {
  const out = options.out ?? process.stdout;
  const say = (line: string) => out.write(`${line}\n`);
  const problems: string[] = [];
  const warnings: string[] = [];
  // Collect warnings through a logger so key expiry notices land in the report too.
  const logger = createLogger({
    level: "warn",
    destination: {
      write(line: string) {
        const entry = JSON.parse(line) as { event?: string; warning?: string; counsellor?: string };
        if (entry.event === "key.warning" && entry.warning) warnings.push(entry.warning);
      },
    },
  });

  let loaded: Awaited<ReturnType<typeof findConfig>>;
  try {
    loaded = await findConfig(options.env, options.configFile);
  } catch (err) {
    if (err instanceof ConfigError) {
      say(`✗ ${err.message}`);
      return 1;
    }
    throw err;
  }
  if (!loaded) {
    // The demo counsellors are never a setup to check: their private keys sit on the disk.
    say(
      "✗ no configuration file found (set VERTROUWD_CONFIG or create ./vertrouwd.config.yaml; see README.md)",
    );
    return 1;
  }
  const { config, baseDir } = loaded;
  say(`✓ config ${loaded.file}: ${config.counsellors.length} counsellor(s)`);
  const environment = environmentProblems(options.env);
  if (environment.length === 0) say("✓ environment");
  problems.push(...environment);
  warnings.push(...unknownVariables(options.env, namedByConfig(config)));
  warnings.push(...nearLimits(config).map(describeNearLimit));
  checkTeams(options.env, say, warnings);
  if (
    options.network &&
    options.env.SLACK_BOT_TOKEN?.trim() &&
    !environment.some((p) => p.startsWith("SLACK_"))
  ) {
    const slack = await checkSlackScopes({
      botToken: options.env.SLACK_BOT_TOKEN.trim(),
      ...(options.env.SLACK_API_URL ? { apiUrl: options.env.SLACK_API_URL } : {}),
      fileDelivery: config.counsellors.some((c) => c.delivery?.type === "slack"),
    });
    if (slack.problems.length === 0)
      say(`✓ slack: bot token and scopes${slack.team ? ` (${slack.team})` : ""}`);
    problems.push(...slack.problems);
    warnings.push(...slack.warnings);
  }

  problems.push(...(await validateKeys(config, baseDir, logger)));
  if (problems.length === 0) say(`✓ keys: ${config.counsellors.length} counsellor key(s) valid`);

  const transports = await checkTransports(
    config.counsellors,
    { env: options.env, logger: silentLogger(), baseDir },
    { network: options.network },
  );
  for (const t of transports) {
    if (t.problems.length === 0)
      say(`✓ delivery for "${t.counsellorId}": ${t.transport}${options.network ? " (reachable)" : ""}`);
    for (const p of t.problems) problems.push(`delivery for "${t.counsellorId}" (${t.transport}): ${p}`);
  }

  // A store whose variables are wrong was reported above, naming them; trying it adds nothing.
  if (environment.some((p) => /REDIS_|VERTROUWD_(STATE_KEY|SERVER_SECRET|REDIS_PREFIX)/.test(p))) {
    say("- state store: not checked until its variables are fixed");
  } else {
    await checkStateStore(options.env, config, say, problems, warnings);
  }

  // The secure web page: the bundle's hashes, for an auditor to compare with a rebuild (docs/web.md).
  const { bundleInfo } = await import("../../adapters/web/server/bundle.ts");
  const bundle = await bundleInfo();
  if (config.web.enabled) {
    if (bundle)
      say(`✓ web page: ${config.web.publicUrl} (public entry ${config.web.publicEntry ? "on" : "off"})`);
    else problems.push('web page: web.enabled is true but its bundle is missing; run "npm run build:web"');
  }
  for (const f of bundle?.files ?? []) {
    say(`${config.web.enabled ? "✓" : "-"} web bundle ${f.name}: ${f.bytes} bytes, sha256 ${f.sha256}`);
  }

  for (const w of warnings) say(`! ${w}`);
  for (const p of problems) say(`✗ ${p}`);
  say(problems.length === 0 ? "doctor: all checks passed" : `doctor: ${problems.length} problem(s) to fix`);
  return problems.length === 0 ? 0 : 1;
}

/**
 * The Teams settings, when any is set: the same validation `serve` runs (adapters/teams/settings.ts),
 * so doctor, docs/teams.md and .env.example agree on SingleTenant (the default), MultiTenant and
 * UserAssignedMSI.
 */
function checkTeams(env: NodeJS.ProcessEnv, say: (line: string) => void, warnings: string[]): void {
  const names = [
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppTenantId",
    "MicrosoftAppType",
    "VERTROUWD_TEAMS_DEV_NO_AUTH",
  ];
  if (!names.some((n) => env[n]?.trim())) return;
  try {
    const s = readTeamsSettings(env);
    if (s.devNoAuth) {
      warnings.push(
        "teams: VERTROUWD_TEAMS_DEV_NO_AUTH=1 — the Teams endpoint accepts unauthenticated requests (local development only)",
      );
      return;
    }
    say(`✓ teams: ${s.appType}${s.appTenantId ? ` in tenant ${s.appTenantId}` : ""}`);
    if (s.appType === "MultiTenant") {
      warnings.push(
        "teams: MicrosoftAppType=MultiTenant — Azure no longer creates multi-tenant bots (since 31 July 2025); existing registrations keep working, new ones are SingleTenant or UserAssignedMSI",
      );
    }
  } catch {
    // Reported with every other variable by the environment check above.
  }
}

/** The state store answers, and no handoff in its delivery queue has failed or waits too long. */
async function checkStateStore(
  env: NodeJS.ProcessEnv,
  config: Config,
  say: (line: string) => void,
  problems: string[],
  warnings: string[],
): Promise<void> {
  try {
    const vault = await createStateStore(stateStoreEnv(env), {
      idleTtlMs: config.idleTimeoutMinutes * 60_000,
      logger: silentLogger(),
      connectWaitMs: 1500,
    });
    const store = await checkStore(vault);
    // "redis sentinel", "redis cluster", "redis single", "memory"
    const what = [store.kind, store.topology].filter(Boolean).join(" ");
    if (store.ok) say(`✓ state store: ${what} (${store.latencyMs} ms)`);
    else problems.push(`state store (${what}): ${store.error ?? "not reachable"}`);
    if (store.ok && vault.kind === "redis") {
      // A handoff nobody could deliver is a report that did not reach its counsellor: a problem.
      const stats = await createDeliveryQueue({ store: vault.store }).stats();
      if (stats.failed > 0) {
        problems.push(
          `delivery queue: ${stats.failed} handoff(s) failed — see why with \`vertrouwd queue list\`, fix the transport, then \`vertrouwd queue retry --all\``,
        );
      } else if (
        stats.queued > 0 &&
        stats.oldestSeconds > config.handoff.deliveryDelayMinutes * 60 + STALE_QUEUE_SECONDS
      ) {
        warnings.push(
          `delivery queue: ${stats.queued} handoff(s) waiting, the oldest for ${Math.round(stats.oldestSeconds / 60)} min — is a server running? (\`vertrouwd queue list\`)`,
        );
      } else {
        say(`✓ delivery queue: ${stats.queued} waiting, none failed`);
      }
    }
    await vault.close();
  } catch (err) {
    problems.push(`state store: ${err instanceof Error ? err.message : "cannot be created"}`);
  }
}
