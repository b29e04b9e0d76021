/**
 * The follow-up notice (src/handoff/follow-up.ts), sealed by the server to the counsellor when a
 * melder who reported in Slack or Teams opens a mailbox through the receipt's link: rendered,
 * padded to its size bucket and encrypted like a handoff (src/crypto/seal.ts), so the counsellor
 * opens it with the same tools and it travels through the same delivery queue and transports.
 */
import { type SealOptions, type SealResult, seal } from "../crypto/seal.ts";
import { type FollowUpNotice, renderNoticePlaintext } from "../handoff/follow-up.ts";

export async function sealNotice(
  notice: FollowUpNotice,
  options: Omit<SealOptions, "day">,
): Promise<SealResult> {
  return seal(new TextEncoder().encode(renderNoticePlaintext(notice)), { ...options, day: notice.date });
}
