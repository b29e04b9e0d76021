/**
 * The single-use link from a Slack or Teams receipt view to the web page, where the melder can
 * open an anonymous mailbox for a report they just sent (docs/follow-up.md).
 *
 * The token is 128 random bits in the link; the store keeps only its SHA-256 as the key, so a
 * copy of the store does not hold usable links. The value names the case (random ids, the
 * counsellor and the locale), never a user: the link is made after the report is sealed and
 * nothing ties it back to the account that clicked. It lives for minutes and `take` deletes it,
 * so a link in a chat export or browser history opens nothing later.
 */
import { z } from "zod";
import { LOCALES } from "../../flows/domain.ts";
import { sha256Hex } from "../crypto/seal.ts";
import { CASE_CODE } from "../handoff/case.ts";
import type { KeyValueStore } from "../store/types.ts";

/** How long a receipt's mailbox link can be used (the melder is on the receipt view right then). */
export const LINK_TOKEN_TTL_MS = 15 * 60_000;

export const LinkTarget = z
  .object({
    caseId: z.string().uuid(),
    caseCode: z.string().regex(CASE_CODE),
    counsellorId: z.string().min(1).max(40),
    locale: z.enum(LOCALES),
  })
  .strict();
export type LinkTarget = z.infer<typeof LinkTarget>;

/** Base64url of 16 random bytes (22 characters). */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{22}$/;

const keyFor = async (token: string) => `fu:link:{${(await sha256Hex(token)).slice(0, 40)}}`;

/** Makes a new single-use token for `target`; the caller puts it in the link (fragment, not path). */
export async function createLinkToken(
  store: KeyValueStore,
  target: LinkTarget,
  ttlMs = LINK_TOKEN_TTL_MS,
): Promise<string> {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const token = Buffer.from(bytes).toString("base64url");
  await store.set(await keyFor(token), JSON.stringify(LinkTarget.parse(target)), ttlMs);
  return token;
}

/**
 * The token's target, once: the first caller to take it wins (token-checked delete), every later
 * call and an expired or unknown token get null.
 */
export async function takeLinkToken(store: KeyValueStore, token: string): Promise<LinkTarget | null> {
  if (!LINK_TOKEN.test(token)) return null;
  const key = await keyFor(token);
  const value = await store.get(key);
  if (value === null || !(await store.deleteIfEquals(key, value))) return null;
  const parsed = LinkTarget.safeParse(JSON.parse(value));
  return parsed.success ? parsed.data : null;
}
