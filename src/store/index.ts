/** State: the memory and Redis stores behind the sealed conversation vault. */
export { MemoryStore } from "./memory.ts";
export { RedisStore } from "./redis.ts";
export {
  parseRedisTopology,
  RedisConfigError,
  REDIS_ENV_NAMES,
  type RedisTopology,
  type RedisTopologyKind,
  withoutRedis,
} from "./redis-config.ts";
export { generateStateKey, parseServerSecret, parseStateKeys, StateKeyConfigError } from "./state-key.ts";
export * from "./types.ts";
export { createVault, VAULT_DEFAULTS, vaultKeys } from "./vault.ts";
export {
  checkStore,
  createStateStore,
  stateStoreEnv,
  type StateStore,
  type StateStoreEnv,
  type StateStoreOptions,
  type StoreCheck,
} from "./create.ts";
