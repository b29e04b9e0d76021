/**
 * Wiring: config + environment → state store, handoff service, conversation runtime.
 * Adapters and commands get an App and never build these pieces themselves.
 */
import path from "node:path";
import type * as openpgp from "openpgp";
import type { Config } from "../config/schema.ts";
import { createRuntime } from "../conversation/runtime.ts";
import type { ConversationRuntime } from "../conversation/types.ts";
import { KeyProblemError, loadCounsellorKey, loadSigningKey } from "../crypto/keys.ts";
import { type HandoffDeps, createHandoffService } from "../handoff/service.ts";
import type { Logger } from "../log/logger.ts";
import { type StateStore, createStateStore, stateStoreEnv } from "../store/index.ts";

export interface AppOptions {
  config: Config;
  /** Relative paths in the config resolve against this directory. */
  configDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Test hooks: replace transports, sleeping between retries, the clock. */
  handoff?: Pick<HandoffDeps, "transportFor" | "sleep" | "now">;
  keyPrefix?: string;
  /** Test hook: an idle TTL shorter than the config's whole minutes. */
  idleTtlMs?: number;
}

export interface App {
  runtime: ConversationRuntime;
  vault: StateStore;
  config: Config;
  logger: Logger;
  /** Admin-facing key problems found at start (the affected counsellors fail closed per handoff). */
  keyProblems: string[];
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, configDir, env, logger } = options;
  const vault = await createStateStore(stateStoreEnv(env), {
    idleTtlMs: options.idleTtlMs ?? config.idleTimeoutMinutes * 60_000,
    logger,
    keyPrefix: options.keyPrefix,
  });
  const keyProblems = await validateKeys(config, configDir, logger);
  let signingKey: openpgp.PrivateKey | undefined;
  if (config.handoff.signingKeyPath) {
    const passphraseEnv = config.handoff.signingPassphraseEnv;
    signingKey = await loadSigningKey(
      path.resolve(configDir, config.handoff.signingKeyPath),
      passphraseEnv ? env[passphraseEnv] : undefined,
    );
  }
  const handoff = createHandoffService({
    config,
    baseDir: configDir,
    env,
    logger,
    signingKey,
    ...options.handoff,
  });
  const runtime = createRuntime({ vault, config, logger, handoff });
  return { runtime, vault, config, logger, keyProblems, close: () => vault.close() };
}

/** Validates every counsellor (and deputy) key; logs and returns problems and warnings. */
export async function validateKeys(config: Config, baseDir: string, logger: Logger): Promise<string[]> {
  const problems: string[] = [];
  for (const c of config.counsellors) {
    for (const [ref, role] of [
      [c.key, "counsellor"],
      [c.deputy, "deputy"],
    ] as const) {
      if (!ref) continue;
      try {
        const k = await loadCounsellorKey(ref, c.id, { baseDir, role });
        for (const w of k.warnings) logger.warn({ event: "key.warning", counsellor: c.id, warning: w });
      } catch (err) {
        if (!(err instanceof KeyProblemError)) throw err;
        logger.error({ event: "key.refused", counsellor: c.id, reason: err.reason, err });
        problems.push(err.message);
      }
    }
  }
  return problems;
}
