/**
 * The transactional outbox: sealed handoffs wait here, as ciphertext only, until a delivery
 * worker on any replica has handed them to the counsellor's transport.
 *
 * When the melder presses send, the case id is fixed, the handoff is sealed once, and its
 * ciphertext is queued before the melder sees "on its way". A crash after that loses nothing:
 * another process (or this one after a restart) picks it up. Delivery is at least once, always
 * under the same case id, which every transport uses as its idempotency key (outbox file name,
 * SMTP Message-ID, webhook Idempotency-Key, Slack file name).
 *
 * Keys, under the store's prefix:
 *   dq:item:{caseId}    the sealed handoff (JSON: case id, counsellor id, armored, day)  TTL retention
 *   dq:status:{caseId}  queued | delivered | failed                                     TTL retention
 *   dq:lease:{caseId}   token of the worker delivering it now                           TTL leaseMs
 *   dq:due              sorted set: case id → when it may be delivered (ms)              TTL retention
 *   dq:dead             sorted set: case id → when it finally failed (ms)                TTL retention
 * Nothing here names a melder: the case id is random and the ciphertext is opaque.
 */
import { randomBytes } from "node:crypto";
import type { KeyValueStore } from "../store/types.ts";
import type { SealedHandoff } from "./transport.ts";

export type DeliveryStatus = "queued" | "delivered" | "failed";

export interface QueuedHandoff extends SealedHandoff {
  /** How often a worker has taken it on; bounds crash loops. */
  claims: number;
  /** When it was queued (ms), for the queue's age in /readyz, doctor and metrics. */
  queuedAt: number;
  /** Why it finally failed: the transport's admin-facing reason, never user data. */
  failure?: string;
}

/** One line of the admin's view of the queue: facts about a handoff, never its ciphertext. */
export interface QueueEntry {
  caseId: string;
  counsellorId: string;
  /** The day it was sent (YYYY-MM-DD). */
  day: string;
  queuedAt: number;
  /** How often a worker took it on. */
  claims: number;
  failure?: string;
}

export interface Claim {
  item: QueuedHandoff;
  /** Keeps the lease while a slow delivery runs; false once it was lost. */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

export interface QueueStats {
  queued: number;
  failed: number;
  /** Age of the oldest waiting handoff, in seconds (0 when none). */
  oldestSeconds: number;
}

/**
 * The transactional outbox in the state store (see the module comment).
 *
 * @example
 * await queue.enqueue(sealed, delayMs); // before the melder is told "on its way"
 * for (const caseId of await queue.due(20)) {
 *   const claim = await queue.claim(caseId); // undefined: another replica has it
 *   if (claim) { await transport.deliver(claim.item); await queue.delivered(caseId); await claim.release(); }
 * }
 */
export interface DeliveryQueue {
  /**
   * Queues a sealed handoff, due after `delayMs`. Idempotent per case id: a second call keeps
   * the first ciphertext (a retry after a crash must not deliver two different copies).
   */
  enqueue(handoff: SealedHandoff, delayMs?: number): Promise<void>;
  /** What the melder's receipt shows; "unknown" once the status has expired or never existed. */
  status(caseId: string): Promise<DeliveryStatus | "unknown">;
  /** Case ids whose time has come, oldest first. */
  due(limit: number): Promise<string[]>;
  /** Takes one handoff for delivery, or undefined when another worker holds it or it is gone. */
  claim(caseId: string): Promise<Claim | undefined>;
  /** Delivered: the ciphertext is removed, the status stays for the melder to look up. */
  delivered(caseId: string): Promise<void>;
  /**
   * Finally failed: kept (for `vertrouwd queue retry`) until retention ends, visible to the
   * admin with the transport's reason (admin-facing, at most 200 characters).
   */
  failed(caseId: string, reason?: string): Promise<void>;
  /** Moves failed handoffs back into the queue; returns how many. */
  retry(caseIds?: string[]): Promise<number>;
  /** Failed case ids, newest first (admin view; ids only). */
  failedIds(limit: number): Promise<string[]>;
  /** The admin's view (`vertrouwd queue list`): waiting handoffs oldest first, failed newest first. */
  list(which: "queued" | "failed", limit: number): Promise<QueueEntry[]>;
  stats(): Promise<QueueStats>;
}

export interface QueueOptions {
  store: KeyValueStore;
  /** How long a queued or failed handoff and its status are kept. Default 7 days. */
  retentionMs?: number;
  /** How long a worker may hold a handoff before another may take it over. Default 30 seconds. */
  leaseMs?: number;
  now?: () => number;
}

/**
 * A lease is short (renewed while a delivery runs), so a handoff whose worker died is taken over
 * within about half a minute; retention is a week, for the admin to see and retry failures.
 */
export const QUEUE_DEFAULTS = { retentionMs: 7 * 24 * 60 * 60 * 1000, leaseMs: 30 * 1000 } as const;

const CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const keys = (caseId: string) => {
  if (!CASE_ID.test(caseId)) throw new TypeError("case id must be a lower-case UUID");
  return { item: `dq:item:{${caseId}}`, status: `dq:status:{${caseId}}`, lease: `dq:lease:{${caseId}}` };
};
const DUE = "dq:due";
const DEAD = "dq:dead";

export function createDeliveryQueue(options: QueueOptions): DeliveryQueue {
  const { store } = options;
  const retentionMs = options.retentionMs ?? QUEUE_DEFAULTS.retentionMs;
  const leaseMs = options.leaseMs ?? QUEUE_DEFAULTS.leaseMs;
  const now = options.now ?? Date.now;

  async function read(caseId: string): Promise<QueuedHandoff | undefined> {
    const raw = await store.get(keys(caseId).item);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as QueuedHandoff;
    } catch {
      return undefined;
    }
  }

  return {
    async enqueue(handoff, delayMs = 0) {
      const k = keys(handoff.caseId);
      // Already delivered or given up on: a send retried after a crash adds nothing.
      const known = await store.get(k.status);
      if (known === "delivered" || known === "failed") return;
      const item: QueuedHandoff = { ...handoff, claims: 0, queuedAt: now() };
      // Order matters for crash safety: the ciphertext first, then the index that makes it
      // visible to workers. A crash in between leaves an item that a retried send re-indexes.
      await store.setIfAbsent(k.item, JSON.stringify(item), retentionMs);
      await store.setIfAbsent(k.status, "queued", retentionMs);
      const existing = await read(handoff.caseId);
      await store.sortedAdd(
        DUE,
        handoff.caseId,
        (existing?.queuedAt ?? now()) + Math.max(0, delayMs),
        retentionMs,
      );
    },

    async status(caseId) {
      const value = await store.get(keys(caseId).status);
      return value === "queued" || value === "delivered" || value === "failed" ? value : "unknown";
    },

    due: (limit) => store.sortedUpTo(DUE, now(), limit),

    async claim(caseId) {
      const k = keys(caseId);
      const token = randomBytes(12).toString("hex");
      if (!(await store.setIfAbsent(k.lease, token, leaseMs))) return undefined;
      const item = await read(caseId);
      if (!item) {
        // Delivered (or expired) meanwhile: drop the stale index entry.
        await store.sortedRemove(DUE, caseId);
        await store.deleteIfEquals(k.lease, token);
        return undefined;
      }
      item.claims += 1;
      await store.set(k.item, JSON.stringify(item), retentionMs);
      return {
        item,
        renew: () => store.extendIfEquals(k.lease, token, leaseMs),
        release: async () => {
          await store.deleteIfEquals(k.lease, token);
        },
      };
    },

    async delivered(caseId) {
      const k = keys(caseId);
      await store.set(k.status, "delivered", retentionMs);
      await store.sortedRemove(DUE, caseId);
      await store.delete(k.item);
    },

    async failed(caseId, reason) {
      const k = keys(caseId);
      const item = reason ? await read(caseId) : undefined;
      if (item && reason) {
        item.failure = reason.slice(0, 200);
        await store.set(k.item, JSON.stringify(item), retentionMs);
      }
      await store.set(k.status, "failed", retentionMs);
      await store.sortedAdd(DEAD, caseId, now(), retentionMs);
      await store.sortedRemove(DUE, caseId);
    },

    async retry(caseIds) {
      const ids = caseIds ?? (await store.sortedUpTo(DEAD, Number.MAX_SAFE_INTEGER, 10_000));
      let moved = 0;
      for (const caseId of ids) {
        const item = await read(caseId);
        if (!item) continue;
        item.claims = 0;
        item.failure = undefined; // JSON.stringify leaves it out
        const k = keys(caseId);
        await store.set(k.item, JSON.stringify(item), retentionMs);
        await store.set(k.status, "queued", retentionMs);
        await store.sortedAdd(DUE, caseId, now(), retentionMs);
        await store.sortedRemove(DEAD, caseId);
        moved++;
      }
      return moved;
    },

    async failedIds(limit) {
      const ids = await store.sortedUpTo(DEAD, Number.MAX_SAFE_INTEGER, 10_000);
      return ids.reverse().slice(0, limit);
    },

    async list(which, limit) {
      const ids =
        which === "queued"
          ? await store.sortedUpTo(DUE, Number.MAX_SAFE_INTEGER, limit)
          : (await store.sortedUpTo(DEAD, Number.MAX_SAFE_INTEGER, 10_000)).reverse().slice(0, limit);
      const entries: QueueEntry[] = [];
      for (const caseId of ids) {
        const item = await read(caseId);
        if (!item) continue;
        entries.push({
          caseId,
          counsellorId: item.counsellorId,
          day: item.day,
          queuedAt: item.queuedAt,
          claims: item.claims,
          ...(item.failure ? { failure: item.failure } : {}),
        });
      }
      return entries;
    },

    async stats() {
      const [queued, failed, oldest] = await Promise.all([
        store.sortedCount(DUE),
        store.sortedCount(DEAD),
        store.sortedUpTo(DUE, Number.MAX_SAFE_INTEGER, 1),
      ]);
      const first = oldest[0] ? await read(oldest[0]) : undefined;
      return {
        queued,
        failed,
        oldestSeconds: first ? Math.max(0, Math.round((now() - first.queuedAt) / 1000)) : 0,
      };
    },
  };
}
