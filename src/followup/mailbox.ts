/**
 * The anonymous follow-up mailbox's store (docs/follow-up.md), on the KeyValueStore port (memory or
 * Redis). Per mailbox, under one hash tag so every key of it lives in one Redis Cluster slot:
 *
 *   fu:mb:{<h>}          JSON: counsellor id, case id and code, the melder's public key, their
 *                        private key locked with R, the day it was opened, bytes held
 *   fu:mb:{<h>}:ix       sorted set: the messages' ids in arrival order (score: sequence number)
 *   fu:mb:{<h>}:m:<id>   JSON: one message — id, from (counsellor | melder), day, armored ciphertext
 *
 * <h> is the first 40 hex digits of SHA-256(mailboxId): a copy of the store does not even hold the
 * ids the API answers to. Nothing here is readable: ids, a public key, a locked key, OpenPGP
 * messages encrypted to the melder and the counsellor, days (never times), and which counsellor
 * and case it belongs to. A message's id is the first 32 hex digits of SHA-256 of its canonical
 * armored form, so the same message posted twice is stored once.
 *
 * Every key has a TTL: `retentionDays` after the last message, renewed (for every key of the
 * mailbox) by each new message. The expiry falls at a day boundary (00:00 Europe/Amsterdam), so not
 * even a key's remaining lifetime tells the moment of the last message.
 */
import { z } from "zod";
import { sha256Hex } from "../crypto/seal.ts";
import type { KeyValueStore } from "../store/types.ts";
import { dayOf, dayStart } from "../time/day.ts";

/** Messages one mailbox holds at most (both directions together). */
export const MAILBOX_MAX_MESSAGES = 100;
/** Binary ciphertext bytes one mailbox holds at most (all messages together): 1 MiB. */
export const MAILBOX_MAX_BYTES = 1024 * 1024;

const DAY_MS = 24 * 60 * 60 * 1000;
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const MailboxRecord = z
  .object({
    v: z.literal(1),
    counsellorId: z.string().min(1).max(40),
    caseId: z.string().uuid(),
    caseCode: z.string().max(20),
    melderPublicKey: z.string().max(16_000),
    lockedPrivateKey: z.string().max(16_000),
    /** The day the mailbox was opened. */
    opened: Day,
    /** Binary ciphertext bytes held (for the cap). */
    bytes: z.number().int().nonnegative(),
  })
  .strict();
export type MailboxRecord = z.infer<typeof MailboxRecord>;

export const MailboxMessage = z
  .object({
    id: z.string().regex(/^[0-9a-f]{32}$/),
    from: z.enum(["counsellor", "melder"]),
    day: Day,
    armored: z.string(),
  })
  .strict();
export type MailboxMessage = z.infer<typeof MailboxMessage>;

export type AddOutcome =
  | { ok: true; id: string; duplicate: boolean }
  | { ok: false; reason: "not_found" | "full" };

export interface MailboxStore {
  /** Opens a mailbox; "exists" when the id is taken (the record is not changed). */
  open(
    mailboxId: string,
    record: Omit<MailboxRecord, "v" | "opened" | "bytes">,
  ): Promise<"opened" | "exists">;
  get(mailboxId: string): Promise<MailboxRecord | null>;
  /** Every message, oldest first (empty for an unknown mailbox). */
  messages(mailboxId: string): Promise<MailboxMessage[]>;
  /** Adds a message (armored canonical form; `bytes` its binary size) and renews every TTL. */
  add(
    mailboxId: string,
    message: { from: MailboxMessage["from"]; armored: string; bytes: number },
  ): Promise<AddOutcome>;
  /** The TTL every key of a mailbox gets when written now (ms). */
  ttlMs(): number;
}

export function createMailboxStore(options: {
  store: KeyValueStore;
  retentionDays: number;
  now?: () => number;
  maxMessages?: number;
  maxBytes?: number;
}): MailboxStore {
  const { store } = options;
  const now = options.now ?? Date.now;
  const maxMessages = options.maxMessages ?? MAILBOX_MAX_MESSAGES;
  const maxBytes = options.maxBytes ?? MAILBOX_MAX_BYTES;

  async function keys(mailboxId: string) {
    const h = (await sha256Hex(`vertrouwd-mailbox:${mailboxId}`)).slice(0, 40);
    const base = `fu:mb:{${h}}`;
    return { meta: base, index: `${base}:ix`, message: (id: string) => `${base}:m:${id}` };
  }

  /** Until the end of today (Amsterdam), plus the retention: a day boundary, whatever the hour. */
  function ttlMs(): number {
    const t = now();
    const tomorrow = dayStart(dayOf(new Date(dayStart(dayOf(new Date(t))).getTime() + 36 * 3_600_000)));
    return tomorrow.getTime() + options.retentionDays * DAY_MS - t;
  }

  async function get(mailboxId: string): Promise<MailboxRecord | null> {
    const raw = await store.get((await keys(mailboxId)).meta);
    if (raw === null) return null;
    const parsed = MailboxRecord.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  return {
    ttlMs,
    get,
    async open(mailboxId, record) {
      const k = await keys(mailboxId);
      const full: MailboxRecord = MailboxRecord.parse({
        v: 1,
        ...record,
        opened: dayOf(new Date(now())),
        bytes: 0,
      });
      return (await store.setIfAbsent(k.meta, JSON.stringify(full), ttlMs())) ? "opened" : "exists";
    },
    async messages(mailboxId) {
      const k = await keys(mailboxId);
      const ids = await store.sortedUpTo(k.index, Number.MAX_SAFE_INTEGER, maxMessages);
      const out: MailboxMessage[] = [];
      for (const id of ids) {
        const raw = await store.get(k.message(id));
        if (raw === null) continue;
        const parsed = MailboxMessage.safeParse(JSON.parse(raw));
        if (parsed.success) out.push(parsed.data);
      }
      return out;
    },
    async add(mailboxId, message) {
      const k = await keys(mailboxId);
      const record = await get(mailboxId);
      if (!record) return { ok: false, reason: "not_found" };
      const id = (await sha256Hex(message.armored)).slice(0, 32);
      const ttl = ttlMs();
      const stored: MailboxMessage = {
        id,
        from: message.from,
        day: dayOf(new Date(now())),
        armored: message.armored,
      };
      // The same message again (a retry after a lost answer): stored once, answered alike.
      if (!(await store.setIfAbsent(k.message(id), JSON.stringify(stored), ttl))) {
        return { ok: true, id, duplicate: true };
      }
      const count = await store.sortedCount(k.index);
      if (count >= maxMessages || record.bytes + message.bytes > maxBytes) {
        await store.delete(k.message(id));
        return { ok: false, reason: "full" };
      }
      await store.sortedAdd(k.index, id, count, ttl);
      await store.set(k.meta, JSON.stringify({ ...record, bytes: record.bytes + message.bytes }), ttl);
      // Renew every earlier message with the rest of the mailbox.
      const ids = await store.sortedUpTo(k.index, Number.MAX_SAFE_INTEGER, maxMessages);
      for (const other of ids) if (other !== id) await store.expire(k.message(other), ttl);
      return { ok: true, id, duplicate: false };
    },
  };
}
