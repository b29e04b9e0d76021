/** Builds the state store the environment asks for, and checks it. */
import { performance } from "node:perf_hooks";
import type { Logger } from "../log/logger.ts";
import { MemoryStore } from "./memory.ts";
import { RedisStore } from "./redis.ts";
import { parseServerSecret, parseStateKeys } from "./state-key.ts";
import type { ConversationVault, KeyValueStore } from "./types.ts";
import { createVault } from "./vault.ts";

export type StateStore = ConversationVault & { readonly kind: "memory" | "redis" };

export interface StateStoreEnv {
  REDIS_URL?: string;
  VERTROUWD_STATE_KEY?: string;
  VERTROUWD_SERVER_SECRET?: string;
  /** Redis key prefix (default "vt:"), for two installations sharing one Redis. */
  VERTROUWD_REDIS_PREFIX?: string;
}

export interface StateStoreOptions {
  idleTtlMs: number;
  logger: Logger;
  /** Redis key prefix; overrides VERTROUWD_REDIS_PREFIX; default "vt:". */
  keyPrefix?: string;
  /** How long start-up waits for a first Redis connection before going on (it keeps retrying). */
  connectWaitMs?: number;
}

/**
 * Memory store unless REDIS_URL is set. With Redis, the state key and the server secret are
 * required: replicas must all read each other's drafts and derive the same conversation keys.
 * Start-up does not fail on an unreachable Redis; /readyz and `vertrouwd doctor` report it.
 */
export async function createStateStore(env: StateStoreEnv, options: StateStoreOptions): Promise<StateStore> {
  const redisUrl = env.REDIS_URL?.trim();
  const required = Boolean(redisUrl);
  const stateKeys = parseStateKeys(env.VERTROUWD_STATE_KEY, { required });
  const serverSecret = parseServerSecret(env.VERTROUWD_SERVER_SECRET, { required });
  let store: KeyValueStore;
  if (redisUrl) {
    const redis = new RedisStore({
      url: redisUrl,
      logger: options.logger,
      keyPrefix: options.keyPrefix ?? (env.VERTROUWD_REDIS_PREFIX?.trim() || undefined),
    });
    if (!(await redis.waitUntilReady(options.connectWaitMs ?? 2000))) {
      options.logger.warn({ event: "store.redis.not_ready_at_start" });
    }
    store = redis;
  } else {
    store = new MemoryStore();
    if (!env.VERTROUWD_STATE_KEY || !env.VERTROUWD_SERVER_SECRET) {
      options.logger.info({ event: "store.memory.ephemeral_keys" });
    }
  }
  options.logger.info({ event: "store.created", kind: store.kind, stateKeys: stateKeys.length });
  return createVault({
    store,
    stateKeys,
    serverSecret,
    idleTtlMs: options.idleTtlMs,
    logger: options.logger,
  });
}

export interface StoreCheck {
  ok: boolean;
  kind: "memory" | "redis";
  latencyMs: number;
  error?: string;
}

/** One PING with its latency, for `vertrouwd doctor` and GET /readyz. Never throws. */
export async function checkStore(
  vault: ConversationVault & { readonly kind: "memory" | "redis" },
): Promise<StoreCheck> {
  const started = performance.now();
  try {
    await vault.ping();
    return { ok: true, kind: vault.kind, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      ok: false,
      kind: vault.kind,
      latencyMs: Math.round(performance.now() - started),
      // Our own store errors are admin-safe; anything else is reduced to its class name.
      error: err instanceof Error && err.name.startsWith("Store") ? err.message : "store check failed",
    };
  }
}
