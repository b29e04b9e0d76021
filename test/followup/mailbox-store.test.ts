/**
 * The mailbox store on both stores (memory, and real Redis): its caps (messages and bytes), a
 * message posted twice stored once, TTLs that run to a day boundary plus the retention and are
 * renewed for every key of the mailbox by each new message, and one hash tag per mailbox.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createMailboxStore } from "../../src/followup/mailbox.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import type { KeyValueStore } from "../../src/store/types.ts";
import {
  connectedRedisStore,
  deletePrefix,
  keysWithPrefix,
  rawClient,
  uniquePrefix,
} from "../store/helpers.ts";

const DAY = 86_400_000;
const prefix = uniquePrefix("mailbox-store");
const stores: KeyValueStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  await deletePrefix(prefix);
});

const RECORD = {
  counsellorId: "anna",
  caseId: "3f0c1d9e-8a47-4b8e-9c55-0d6f2a1b7e10",
  caseCode: "VT-AB12-CD34",
  melderPublicKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----…",
  lockedPrivateKey: "-----BEGIN PGP PRIVATE KEY BLOCK-----…",
};
const message = (n: number, bytes = 4096) => ({
  from: "melder" as const,
  armored: `-----BEGIN PGP MESSAGE-----\n${n}\n-----END PGP MESSAGE-----`,
  bytes,
});

for (const kind of ["memory", "redis"] as const) {
  describe(`the mailbox store on ${kind}`, () => {
    const make = async (label: string) => {
      const store = kind === "memory" ? new MemoryStore() : await connectedRedisStore(`${prefix}:${label}:`);
      stores.push(store);
      return store;
    };

    it("stores a message posted twice once, and refuses past its message and byte caps", async () => {
      const store = await make("caps");
      const boxes = createMailboxStore({ store, retentionDays: 183, maxMessages: 3, maxBytes: 10_000 });
      expect(await boxes.open("box-caps-aaaaaaaaaaaa", RECORD)).toBe("opened");
      expect(await boxes.open("box-caps-aaaaaaaaaaaa", RECORD)).toBe("exists");
      const first = await boxes.add("box-caps-aaaaaaaaaaaa", message(1));
      expect(first).toMatchObject({ ok: true, duplicate: false });
      expect(await boxes.add("box-caps-aaaaaaaaaaaa", message(1))).toEqual({
        ok: true,
        id: (first as { id: string }).id,
        duplicate: true,
      });
      expect(await boxes.add("box-caps-aaaaaaaaaaaa", message(2))).toMatchObject({ ok: true });
      // 3 × 4,096 bytes would pass the 10,000-byte cap.
      expect(await boxes.add("box-caps-aaaaaaaaaaaa", message(3))).toEqual({ ok: false, reason: "full" });
      expect(await boxes.add("box-caps-aaaaaaaaaaaa", message(3, 100))).toMatchObject({ ok: true });
      // The fourth message passes the 3-message cap.
      expect(await boxes.add("box-caps-aaaaaaaaaaaa", message(4, 100))).toEqual({
        ok: false,
        reason: "full",
      });
      const kept = await boxes.messages("box-caps-aaaaaaaaaaaa");
      expect(kept.map((m) => m.armored)).toEqual([
        message(1).armored,
        message(2).armored,
        message(3).armored,
      ]);
      expect((await boxes.get("box-caps-aaaaaaaaaaaa"))?.bytes).toBe(4096 * 2 + 100);
      expect(await boxes.add("box-unknown-aaaaaaaaa", message(1))).toEqual({
        ok: false,
        reason: "not_found",
      });
    });

    it("gives every key a TTL to a day boundary plus the retention, renewed by each message", async () => {
      let now = Date.parse("2026-11-24T10:00:00Z");
      const store = await make("ttl");
      const boxes = createMailboxStore({ store, retentionDays: 183, now: () => now });
      await boxes.open("box-ttl-aaaaaaaaaaaaa", RECORD);
      await boxes.add("box-ttl-aaaaaaaaaaaaa", message(1));
      // 11:00 in Amsterdam: 13 hours to midnight, plus 183 days.
      expect(boxes.ttlMs()).toBe(183 * DAY + 13 * 3_600_000);
      if (kind !== "redis") return;
      const redis = await rawClient();
      try {
        const ttls = async () => {
          const keys = await keysWithPrefix(redis, `${prefix}:ttl:`);
          return Promise.all(keys.map(async (k) => ({ k, ttl: await redis.pTTL(k) })));
        };
        const before = await ttls();
        expect(before).toHaveLength(3); // the record, the index, the message
        for (const { ttl } of before) expect(ttl).toBeGreaterThan(183 * DAY);
        // One hash tag: every key of the mailbox in one Cluster slot.
        expect(new Set(before.map(({ k }) => k.match(/\{[^}]+\}/)?.[0])).size).toBe(1);
        // Ten days later, a new message renews the first one's TTL with the rest.
        now += 10 * DAY;
        await boxes.add("box-ttl-aaaaaaaaaaaaa", message(2));
        const after = await ttls();
        expect(after).toHaveLength(4);
        for (const { ttl } of after) expect(ttl).toBeGreaterThan(183 * DAY);
      } finally {
        redis.destroy();
      }
    });
  });
}
