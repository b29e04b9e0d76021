/**
 * Length hiding for sealed handoffs.
 *
 * Without padding, the size of the ciphertext tells anyone who sees it in transit or at rest
 * (mail relay, outbox directory, webhook receiver) roughly how long the melder's story is, and
 * tells a short "please contact me" apart from a long report. So every sealed message is grown
 * to exactly one of a few sizes:
 *
 *   bucket      binary ciphertext   typical content
 *   ─────────   ─────────────────   ───────────────────────────────────────────────
 *   1           4 KiB               contact request, a few sentences
 *   2           16 KiB              a report of up to ~6,000 ASCII characters
 *   3           64 KiB              any report up to the 10,000-character field limit
 *   4           256 KiB             every field filled to its limit
 *   above       multiples of 256 KiB (not reachable with the document schema's limits)
 *
 * The bucket applies to the *binary* OpenPGP message; the armored form's length is a fixed
 * function of it. Seal pads the plaintext until the binary message is exactly the bucket size
 * (see seal.ts), which also hides the small jitter of OpenPGP's variable-length integers.
 * Compression is always off: compressed size depends on content and would leak it again.
 */

export const PAD_BUCKETS = [4 * 1024, 16 * 1024, 64 * 1024, 256 * 1024] as const;
const LARGEST_BUCKET = PAD_BUCKETS[PAD_BUCKETS.length - 1] as number;

/** The smallest bucket that holds a message of `bytes` bytes. */
export function bucketFor(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes < 0)
    throw new RangeError("message size must be a non-negative number");
  for (const bucket of PAD_BUCKETS) if (bytes <= bucket) return bucket;
  return Math.ceil(bytes / LARGEST_BUCKET) * LARGEST_BUCKET;
}

/**
 * Filler of exactly `bytes` UTF-8 bytes: spaces ending in a newline, so a counsellor reading the
 * decrypted text (in a terminal or `gpg --decrypt`) sees only blank space after the document.
 */
export function padding(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError("padding must be a non-negative integer");
  if (bytes === 0) return "";
  return `${" ".repeat(bytes - 1)}\n`;
}
