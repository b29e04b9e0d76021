/** State: the memory and Redis stores behind the sealed conversation vault. */
export { MemoryStore } from "./memory.ts";
export { RedisStore } from "./redis.ts";
export { generateStateKey, parseServerSecret, parseStateKeys, StateKeyConfigError } from "./state-key.ts";
export * from "./types.ts";
export { createVault, VAULT_DEFAULTS, vaultKeys } from "./vault.ts";
export {
  checkStore,
  createStateStore,
  type StateStore,
  type StateStoreEnv,
  type StateStoreOptions,
  type StoreCheck,
} from "./create.ts";
