/** Builds the state store the environment asks for, and checks it. */
import { performance } from "node:perf_hooks";
import type { Logger } from "../log/logger.ts";
import { MemoryStore } from "./memory.ts";
import { type RedisEnv, type RedisTopologyKind, parseRedisTopology, pick } from "./redis-config.ts";
import { RedisStore } from "./redis.ts";
import { parseServerSecret, parseStateKeys } from "./state-key.ts";
import type { ConversationVault, KeyValueStore } from "./types.ts";
import { createVault } from "./vault.ts";

export type StateStore = ConversationVault & {
  readonly kind: "memory" | "redis";
  readonly topology?: RedisTopologyKind;
};

/** The Redis variables (see redis-config.ts) plus the vault's secrets. */
export interface StateStoreEnv extends RedisEnv {
  VERTROUWD_STATE_KEY?: string;
  VERTROUWD_SERVER_SECRET?: string;
  /** Redis key prefix (default "vt:"), for two installations sharing one Redis. */
  VERTROUWD_REDIS_PREFIX?: string;
}

/** Only what the state store reads, from a wider environment (e.g. process.env). */
export function stateStoreEnv(env: NodeJS.ProcessEnv): StateStoreEnv {
  const { VERTROUWD_STATE_KEY, VERTROUWD_SERVER_SECRET, VERTROUWD_REDIS_PREFIX } = env;
  return { ...pick(env), VERTROUWD_STATE_KEY, VERTROUWD_SERVER_SECRET, VERTROUWD_REDIS_PREFIX };
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
 * Memory store unless a Redis is configured: REDIS_URL (one endpoint), REDIS_SENTINELS (a
 * Sentinel-monitored primary) or REDIS_CLUSTER_NODES (a Redis Cluster), exactly one of them.
 * With Redis, the state key and the server secret are required: replicas must all read each
 * other's drafts and derive the same conversation keys. Start-up does not fail on an
 * unreachable Redis; /readyz and `vertrouwd doctor` report it.
 */
export async function createStateStore(env: StateStoreEnv, options: StateStoreOptions): Promise<StateStore> {
  const topology = parseRedisTopology(env);
  const required = topology !== undefined;
  const stateKeys = parseStateKeys(env.VERTROUWD_STATE_KEY, { required });
  const serverSecret = parseServerSecret(env.VERTROUWD_SERVER_SECRET, { required });
  let store: KeyValueStore;
  if (topology) {
    const redis = new RedisStore({
      topology,
      logger: options.logger,
      keyPrefix: options.keyPrefix ?? (env.VERTROUWD_REDIS_PREFIX?.trim() || undefined),
    });
    if (!(await redis.waitUntilReady(options.connectWaitMs ?? 2000))) {
      options.logger.warn({ event: "store.redis.not_ready_at_start", topology: redis.topology });
    }
    store = redis;
  } else {
    store = new MemoryStore();
    if (!env.VERTROUWD_STATE_KEY || !env.VERTROUWD_SERVER_SECRET) {
      options.logger.info({ event: "store.memory.ephemeral_keys" });
    }
  }
  options.logger.info({
    event: "store.created",
    kind: store.kind,
    ...(store.topology ? { topology: store.topology } : {}),
    stateKeys: stateKeys.length,
  });
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
  /** Redis only: single, sentinel or cluster. */
  topology?: RedisTopologyKind;
  latencyMs: number;
  error?: string;
}

/**
 * One PING with its latency, for `vertrouwd doctor` and GET /readyz. Never throws. On a Sentinel
 * set the PING goes to the current primary; on a Cluster to every primary (all shards must answer).
 */
export async function checkStore(vault: StateStore): Promise<StoreCheck> {
  const started = performance.now();
  const what = { kind: vault.kind, ...(vault.topology ? { topology: vault.topology } : {}) };
  try {
    await vault.ping();
    return { ok: true, ...what, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      ok: false,
      ...what,
      latencyMs: Math.round(performance.now() - started),
      // Our own store errors are admin-safe; anything else is reduced to its class name.
      error: err instanceof Error && err.name.startsWith("Store") ? err.message : "store check failed",
    };
  }
}
