/**
 * Redis Cluster hashes only a key's hash tag — the first non-empty `{…}` section — or the whole
 * key when there is none. Keys with the same tag share a slot, so one command (DEL of a whole
 * conversation, a Lua script) stays on one node and stays atomic. Every store enforces this on
 * multi-key operations, so a key layout that would break on a Cluster fails in the first test
 * on memory or a single Redis already, not in production.
 */
export function hashTagOf(key: string): string {
  const open = key.indexOf("{");
  if (open !== -1) {
    const close = key.indexOf("}", open + 1);
    if (close > open + 1) return key.slice(open + 1, close);
  }
  return key;
}

/** Throws RangeError unless every key hashes by the same tag (no key text in the message). */
export function assertOneHashSlot(keys: readonly string[]): void {
  if (keys.length < 2) return;
  const tag = hashTagOf(keys[0] as string);
  for (let i = 1; i < keys.length; i++) {
    if (hashTagOf(keys[i] as string) !== tag) {
      throw new RangeError(
        "keys of one multi-key store operation must share one hash tag ({…}), so they stay in one Redis Cluster slot",
      );
    }
  }
}
