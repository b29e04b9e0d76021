import { ConfigError } from "../config/load.ts";
import { checkTransports } from "../delivery/index.ts";
import { createLogger, silentLogger } from "../log/logger.ts";
import { checkStore, createStateStore, stateStoreEnv } from "../store/index.ts";
import { findConfig } from "./setup.ts";
/**
 * `vertrouwd doctor`: validates config, counsellor keys, transports and the state store, and
 * prints every problem at once. Exit 1 when anything must be fixed; warnings alone exit 0.
 */
import { validateKeys } from "./wiring.ts";

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

  try {
    const vault = await createStateStore(stateStoreEnv(options.env), {
      idleTtlMs: config.idleTimeoutMinutes * 60_000,
      logger: silentLogger(),
      connectWaitMs: 1500,
    });
    const store = await checkStore(vault);
    await vault.close();
    // "redis sentinel", "redis cluster", "redis single", "memory"
    const what = [store.kind, store.topology].filter(Boolean).join(" ");
    if (store.ok) say(`✓ state store: ${what} (${store.latencyMs} ms)`);
    else problems.push(`state store (${what}): ${store.error ?? "not reachable"}`);
  } catch (err) {
    problems.push(`state store: ${err instanceof Error ? err.message : "cannot be created"}`);
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
