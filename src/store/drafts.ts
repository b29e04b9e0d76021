/**
 * Form drafts: what the melder enters about the matter, between two steps of the form.
 *
 * Each draft lives under a random id and is sealed (AES-256-GCM) with a random key that only
 * the open form carries (Slack private_metadata, the Teams dialog's data). The server never
 * writes that key to the store, a log or a chat message, so whoever holds a Redis dump and the
 * host's environment can neither read a draft nor tie it to a person: nothing in the record
 * names the user or their chat. The plaintext is padded to a size bucket before sealing, so a
 * draft's length does not follow the length of the report.
 *
 * Keys, under the store's prefix, hash-tagged by draft id:
 *   form:{d}      sealed, padded draft            TTL idleTtlMs, renewed on every save
 *   formlock:{d}  token of the turn holding it     TTL lockTtlMs
 *   formdedup:{d} set of SHA-256(event id)         TTL dedupTtlMs
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "../log/logger.ts";
import { createLocker, eventMember } from "./locks.ts";
import { openState, sealState } from "./state-key.ts";
import type { KeyValueStore } from "./types.ts";

/** What the open form carries: which draft, and the only key that opens it. */
export interface FormHandle {
  /** 16 random bytes, base64url. */
  draftId: string;
  /** 32 random bytes. */
  key: Buffer;
}

/**
 * The form's drafts: under a random id, sealed with a random key only the open form carries
 * (never stored), padded to size buckets so a record's length does not track the report's.
 *
 * @example
 * const handle = drafts.create(); // { draftId, key }: goes into the form's token only
 * await drafts.save(handle, JSON.stringify(snapshot));
 * const found = await drafts.load(handle); // "none" without the right key
 */
export interface DraftVault {
  /** A new random draft id and key. Nothing is stored until save(). */
  create(): FormHandle;
  /** The draft's JSON, or none when it expired, was wiped, or the key does not open it. */
  load(handle: FormHandle): Promise<{ status: "found"; json: string } | { status: "none" }>;
  /** Pads, seals with the form's key, and writes with the idle TTL. */
  save(handle: FormHandle, json: string): Promise<void>;
  wipe(draftId: string): Promise<void>;
  withLock<T>(draftId: string, fn: () => Promise<T>): Promise<T>;
  /** True the first time this platform event id is seen for the draft. */
  firstDelivery(draftId: string, eventId: string): Promise<boolean>;
}

export interface DraftVaultOptions {
  store: KeyValueStore;
  idleTtlMs: number;
  lockTtlMs: number;
  lockWaitMs: number;
  dedupTtlMs: number;
  logger?: Logger;
}

const DRAFT_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * Plaintext sizes a sealed draft is padded to. A draft holds at most the report fields
 * (about 22,000 characters, up to four bytes each) plus the flow's context, so the last bucket
 * always fits; beyond it, whole multiples of it.
 */
export const DRAFT_BUCKETS = [2_048, 8_192, 32_768, 131_072] as const;

export function draftKeys(draftId: string): { draft: string; lock: string; dedup: string } {
  if (!DRAFT_ID.test(draftId)) throw new TypeError("draft id must be 22 base64url characters");
  return { draft: `form:{${draftId}}`, lock: `formlock:{${draftId}}`, dedup: `formdedup:{${draftId}}` };
}

export function padDraft(json: string): string {
  const bytes = Buffer.byteLength(json, "utf8");
  const last = DRAFT_BUCKETS[DRAFT_BUCKETS.length - 1] as number;
  const bucket = DRAFT_BUCKETS.find((b) => b >= bytes) ?? Math.ceil(bytes / last) * last;
  // JSON ignores trailing whitespace, so the padded text parses to the same value.
  return json + " ".repeat(bucket - bytes);
}

export function createDraftVault(options: DraftVaultOptions): DraftVault {
  const { store, idleTtlMs, dedupTtlMs, logger } = options;
  const locker = createLocker(store, options);
  // AAD binds a sealed draft to its id: copied under another id it does not open.
  const aad = (draftId: string) => `vertrouwd:form:v1:${draftId}`;
  return {
    create: () => ({ draftId: randomBytes(16).toString("base64url"), key: randomBytes(32) }),

    async load(handle) {
      const sealed = await store.get(draftKeys(handle.draftId).draft);
      if (sealed === null) return { status: "none" };
      const opened = openState([handle.key], sealed, aad(handle.draftId));
      if (!opened.ok) {
        logger?.warn({ event: "form.unseal_failed", reason: opened.reason });
        return { status: "none" };
      }
      return { status: "found", json: opened.plaintext };
    },

    async save(handle, json) {
      const keys = draftKeys(handle.draftId);
      await store.set(keys.draft, sealState([handle.key], padDraft(json), aad(handle.draftId)), idleTtlMs);
    },

    async wipe(draftId) {
      const keys = draftKeys(draftId);
      // Inside its own turn the lock stays until withLock releases it.
      await store.delete(keys.draft, keys.dedup, ...(locker.holds(keys.lock) ? [] : [keys.lock]));
    },

    withLock: (draftId, fn) => locker.withLock(draftKeys(draftId).lock, fn),

    firstDelivery: (draftId, eventId) =>
      store.addToSet(draftKeys(draftId).dedup, eventMember(eventId), dedupTtlMs),
  };
}
