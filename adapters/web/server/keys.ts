/**
 * The counsellors' public keys for the page (GET /web/keys) and for checking what it sends:
 * loaded from the configured files and checked against the pinned fingerprints (src/crypto/keys.ts)
 * at most once a minute, so an expired or revoked key is refused within a minute without reading
 * the disk on every request. Only the pinned key itself is handed out, re-armored: never another
 * key that happens to sit in the same file.
 */
import type * as openpgp from "openpgp";
import type { Config } from "../../../src/config/schema.ts";
import { KeyProblemError, loadCounsellorKey } from "../../../src/crypto/keys.ts";
import type { Logger } from "../../../src/log/logger.ts";
import type { WebKeys } from "../protocol.ts";

export interface PinnedKey {
  role: "counsellor" | "deputy";
  fingerprint: string;
  key: openpgp.PublicKey;
  armored: string;
}

export type CounsellorKeys = { ok: true; keys: PinnedKey[] } | { ok: false };

export interface KeyCache {
  /** The counsellor's keys, or { ok: false } when one of them is refused (the admin is told). */
  get(counsellorId: string): Promise<CounsellorKeys | undefined>;
  /** The answer to GET /web/keys. */
  answer(): Promise<WebKeys>;
}

export function createKeyCache(deps: {
  config: Config;
  baseDir: string;
  logger: Logger;
  ttlMs?: number;
  now?: () => number;
}): KeyCache {
  const { config, logger } = deps;
  const ttlMs = deps.ttlMs ?? 60_000;
  const now = deps.now ?? Date.now;
  let loaded: { at: number; keys: Promise<Map<string, CounsellorKeys>> } | undefined;
  const refused = new Set<string>();

  async function load(): Promise<Map<string, CounsellorKeys>> {
    const out = new Map<string, CounsellorKeys>();
    for (const c of config.counsellors) {
      const refs = [
        { ref: c.key, role: "counsellor" as const },
        ...(c.deputy ? [{ ref: c.deputy, role: "deputy" as const }] : []),
      ];
      try {
        const keys: PinnedKey[] = [];
        for (const { ref, role } of refs) {
          const loadedKey = await loadCounsellorKey(ref, c.id, {
            baseDir: deps.baseDir,
            role,
            now: new Date(now()),
          });
          keys.push({
            role,
            fingerprint: loadedKey.fingerprint,
            key: loadedKey.key,
            armored: loadedKey.key.armor(),
          });
        }
        out.set(c.id, { ok: true, keys });
        refused.delete(c.id);
      } catch (err) {
        if (!(err instanceof KeyProblemError)) throw err;
        out.set(c.id, { ok: false });
        // Once per problem, not once a minute: the start-up check and doctor say it in full.
        if (!refused.has(c.id))
          logger.error({ event: "web.key_refused", counsellor: c.id, reason: err.reason });
        refused.add(c.id);
      }
    }
    return out;
  }

  function current(): Promise<Map<string, CounsellorKeys>> {
    if (!loaded || now() - loaded.at >= ttlMs) {
      const keys = load();
      loaded = { at: now(), keys };
      // A failed load is not cached.
      keys.catch(() => {
        if (loaded?.keys === keys) loaded = undefined;
      });
    }
    return loaded.keys;
  }

  return {
    async get(counsellorId) {
      return (await current()).get(counsellorId);
    },
    async answer() {
      const all = await current();
      return {
        v: 1,
        counsellors: config.counsellors.map((c) => {
          const entry = all.get(c.id);
          return entry?.ok
            ? {
                id: c.id,
                keys: entry.keys.map(({ role, fingerprint, armored }) => ({ role, fingerprint, armored })),
              }
            : { id: c.id, keys: [], problem: "key" as const };
        }),
      };
    },
  };
}
