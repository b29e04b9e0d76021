import { createHmac } from "node:crypto";
import type { Logger } from "../log/logger.ts";
import { createLocker, eventMember } from "./locks.ts";
import type { RedisTopologyKind } from "./redis-config.ts";
import { openState, sealState } from "./state-key.ts";
import type { ConversationVault, KeyValueStore, LoadResult } from "./types.ts";

/**
 * The conversation vault: what the runtime sees of state. Keys are HMACs of the platform
 * identity, values are sealed, every write has a TTL, one turn at a time per conversation.
 *
 * Keys per conversation `c` (64 hex chars), all under the store's prefix, hash-tagged {c}:
 *   draft:{c}   sealed snapshot                     TTL idleTtlMs, renewed on every save
 *   active:{c}  "1": a draft existed recently        TTL markerTtlMs (idle TTL + 24 h), lets load() say "expired"
 *   lock:{c}    random token of the turn holding it  TTL lockTtlMs
 *   dedup:{c}   set of SHA-256(event id)             TTL dedupTtlMs, renewed on every new event
 * Keeping de-duplication in one set per conversation lets wipe() remove it with one DEL,
 * and SADD is as atomic across processes as SET NX.
 */

export interface VaultOptions {
  store: KeyValueStore;
  /** State keys, newest first: seal with the first, open with any. */
  stateKeys: Buffer[];
  /** HMAC key for conversation keys; all replicas must share it. */
  serverSecret: Buffer;
  idleTtlMs: number;
  lockTtlMs?: number;
  lockWaitMs?: number;
  markerTtlMs?: number;
  dedupTtlMs?: number;
  logger?: Logger;
}

export const VAULT_DEFAULTS = {
  // Short, and renewed every third of it while a turn runs: a lock left behind by a process that
  // died (or by a SET that reached a frozen Redis after the client gave up) blocks for seconds only.
  lockTtlMs: 4_000,
  // Slack wants an ack within 3 s; give up on the lock well before that.
  lockWaitMs: 2_500,
  /** The "was active" marker lives this long after the draft's idle TTL. */
  markerGraceMs: 24 * 60 * 60 * 1000,
  // Slack retries within minutes, Bot Framework within seconds; 10 min covers both.
  dedupTtlMs: 10 * 60 * 1000,
} as const;

const CONVERSATION_KEY = /^[0-9a-f]{64}$/;

/** The store keys of one conversation (exported for tests and operators' tooling). */
export function vaultKeys(conversation: string): {
  draft: string;
  marker: string;
  lock: string;
  dedup: string;
} {
  assertConversationKey(conversation);
  return {
    // One hash tag per conversation: on a Redis Cluster all its keys share a slot, so a wipe
    // (one DEL of several keys) and the lock scripts stay single-slot operations.
    draft: `draft:{${conversation}}`,
    marker: `active:{${conversation}}`,
    lock: `lock:{${conversation}}`,
    dedup: `dedup:{${conversation}}`,
  };
}

function assertConversationKey(conversation: string): void {
  // Only keyFor() output is accepted, so a raw user id can never end up in a store key.
  if (!CONVERSATION_KEY.test(conversation)) {
    throw new TypeError("conversation key must be the 64-hex output of vault.keyFor()");
  }
}

function positiveMs(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`vault option ${name} must be a positive integer (ms)`);
  return value;
}

export function createVault(
  options: VaultOptions,
): ConversationVault & { readonly kind: "memory" | "redis"; readonly topology?: RedisTopologyKind } {
  const { store, logger } = options;
  const stateKeys = [...options.stateKeys];
  if (stateKeys.length === 0) throw new RangeError("vault needs at least one state key");
  if (options.serverSecret.length < 32) throw new RangeError("vault server secret must be at least 32 bytes");
  const serverSecret = Buffer.from(options.serverSecret);
  const idleTtlMs = positiveMs("idleTtlMs", options.idleTtlMs);
  const lockTtlMs = positiveMs("lockTtlMs", options.lockTtlMs ?? VAULT_DEFAULTS.lockTtlMs);
  const lockWaitMs = positiveMs("lockWaitMs", options.lockWaitMs ?? VAULT_DEFAULTS.lockWaitMs);
  const dedupTtlMs = positiveMs("dedupTtlMs", options.dedupTtlMs ?? VAULT_DEFAULTS.dedupTtlMs);
  // Default: the marker outlives the draft by a day, so a melder returning within a day of the
  // wipe hears why their draft is gone.
  const markerTtlMs = positiveMs(
    "markerTtlMs",
    options.markerTtlMs ?? idleTtlMs + VAULT_DEFAULTS.markerGraceMs,
  );
  if (markerTtlMs <= idleTtlMs) {
    throw new RangeError(
      "vault markerTtlMs must be longer than idleTtlMs, or an idle timeout could never be reported",
    );
  }

  // AAD binds a sealed draft to its conversation: copied elsewhere it does not open.
  const aadFor = (conversation: string) => `vertrouwd:draft:v1:${conversation}`;
  // Log lines carry no conversation key at all: whoever holds the server secret could recompute
  // keyFor() for every user in the workspace and learn who talked to the bot.

  const locker = createLocker(store, { lockTtlMs, lockWaitMs, logger });

  return {
    kind: store.kind,
    ...(store.topology ? { topology: store.topology } : {}),
    idleTtlMs,

    keyFor(platform: string, tenant: string, user: string): string {
      return createHmac("sha256", serverSecret).update(`${platform}:${tenant}:${user}`, "utf8").digest("hex");
    },

    async load(conversation: string): Promise<LoadResult> {
      const keys = vaultKeys(conversation);
      const sealed = await store.get(keys.draft);
      if (sealed !== null) {
        const opened = openState(stateKeys, sealed, aadFor(conversation));
        if (opened.ok) return { status: "found", json: opened.plaintext };
        // Unknown (rotated-out) key, tampering or a value moved from another conversation:
        // treat as absent and start over rather than crash the turn.
        logger?.warn({ event: "vault.unseal_failed", reason: opened.reason });
        return { status: "none" };
      }
      if ((await store.get(keys.marker)) !== null) {
        // Consumed here so the melder hears about the timeout once, not on every later turn.
        await store.delete(keys.marker);
        return { status: "expired" };
      }
      return { status: "none" };
    },

    async save(conversation: string, json: string): Promise<void> {
      const keys = vaultKeys(conversation);
      await store.set(keys.draft, sealState(stateKeys, json, aadFor(conversation)), idleTtlMs);
      await store.set(keys.marker, "1", markerTtlMs);
    },

    async touch(conversation: string): Promise<void> {
      const keys = vaultKeys(conversation);
      if (await store.expire(keys.draft, idleTtlMs)) await store.expire(keys.marker, markerTtlMs);
    },

    bind(conversation: string, draftId: string): string {
      assertConversationKey(conversation);
      return createHmac("sha256", serverSecret)
        .update(`form-binding:${conversation}:${draftId}`, "utf8")
        .digest()
        .subarray(0, 16)
        .toString("base64url");
    },

    store,

    async wipe(conversation: string): Promise<void> {
      const keys = vaultKeys(conversation);
      // Inside our own turn the lock stays until withLock releases it (then nothing is left);
      // deleting it here would let a second turn in while this one is still running.
      const ownTurn = locker.holds(keys.lock);
      await store.delete(keys.draft, keys.marker, keys.dedup, ...(ownTurn ? [] : [keys.lock]));
    },

    withLock<T>(conversation: string, fn: () => Promise<T>): Promise<T> {
      return locker.withLock(vaultKeys(conversation).lock, fn);
    },

    async firstDelivery(conversation: string, eventId: string): Promise<boolean> {
      return store.addToSet(vaultKeys(conversation).dedup, eventMember(eventId), dedupTtlMs);
    },

    ping: () => store.ping(),
    close: () => store.close(),
  };
}
