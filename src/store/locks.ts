/**
 * One turn at a time per record, across processes: a SET NX PX lock with a random token,
 * renewed while a long turn runs and released only by its holder. Shared by the chat vault and
 * the form drafts, which lock different keys the same way.
 */
import { createHash, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../log/logger.ts";
import { type KeyValueStore, StoreBusyError, StoreUnavailableError } from "./types.ts";

export interface LockOptions {
  lockTtlMs: number;
  lockWaitMs: number;
  logger?: Logger;
}

export interface Locker {
  /** Runs fn while holding the lock at lockKey; StoreBusyError when it stays taken for lockWaitMs. */
  withLock<T>(lockKey: string, fn: () => Promise<T>): Promise<T>;
  /** True while this process runs a turn under lockKey (a wipe inside it keeps the lock). */
  holds(lockKey: string): boolean;
}

export function createLocker(store: KeyValueStore, options: LockOptions): Locker {
  const { lockTtlMs, lockWaitMs, logger } = options;
  const held = new Map<string, string>();
  return {
    holds: (lockKey) => held.has(lockKey),
    async withLock<T>(lockKey: string, fn: () => Promise<T>): Promise<T> {
      const token = randomBytes(16).toString("hex");
      const deadline = Date.now() + lockWaitMs;
      for (;;) {
        if (await store.setIfAbsent(lockKey, token, lockTtlMs)) break;
        const left = deadline - Date.now();
        if (left <= 0) {
          logger?.warn({ event: "vault.lock_busy" });
          throw new StoreBusyError("lock busy");
        }
        // Short jittered waits: turns are quick, and jitter keeps contenders from lock-stepping.
        await sleep(Math.min(left, 20 + Math.floor(Math.random() * 40)));
      }
      held.set(lockKey, token);
      // Long turns (sealing a handoff) keep their lock: renewed every third of its TTL.
      const renewal = setInterval(
        () => {
          store.extendIfEquals(lockKey, token, lockTtlMs).then(
            (renewed) => {
              if (!renewed) clearInterval(renewal);
            },
            () => logger?.warn({ event: "vault.lock_renew_failed" }),
          );
        },
        Math.max(50, Math.floor(lockTtlMs / 3)),
      );
      renewal.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renewal);
        held.delete(lockKey);
        try {
          const released = await store.deleteIfEquals(lockKey, token);
          // Not ours any more: it expired (renewal failed) and maybe another turn holds it now.
          if (!released) logger?.warn({ event: "vault.lock_lost" });
        } catch (err) {
          // The lock expires on its own; a failed release must not turn a good turn into an error.
          logger?.warn({
            event: "vault.lock_release_failed",
            errorType: err instanceof StoreUnavailableError ? err.name : "Error",
          });
        }
      }
    },
  };
}

/** A platform event id, hashed: an id is a platform identifier, and the set only needs equality. */
export const eventMember = (eventId: string): string =>
  createHash("sha256").update(eventId, "utf8").digest("hex").slice(0, 32);
