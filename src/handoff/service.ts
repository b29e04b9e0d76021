/**
 * The handoff: from a finished draft to sealed ciphertext. Builds the HandoffDocument, checks
 * the counsellor's (and deputy's) pinned keys again — before every seal, not only at start —
 * and seals in memory. What leaves this module is ciphertext only; queueing and delivery are
 * src/delivery's business.
 */
import type * as openpgp from "openpgp";
import type { IntakeContext } from "../../flows/intake/machine.ts";
import type { Config } from "../config/schema.ts";
import { KeyProblemError, loadCounsellorKey } from "../crypto/keys.ts";
import type { SealedHandoff } from "../delivery/transport.ts";
import { type Logger, safeError } from "../log/logger.ts";
import { buildDocument } from "./build.ts";
import { type CaseIds, newCaseIds } from "./case.ts";
import type { FollowUp, HandoffDocument } from "./document.ts";
import { sealHandoff } from "./seal.ts";

export { buildDocument } from "./build.ts";
export { type CaseIds, newCaseCode } from "./case.ts";

/** Why a handoff could not be sealed. The melder keeps their draft either way. */
export class HandoffError extends Error {
  constructor(readonly reason: "key" | "internal") {
    super(reason === "key" ? "counsellor key refused" : "handoff could not be sealed");
    this.name = "HandoffError";
  }
}

/**
 * Seals handoffs for the configured counsellors.
 *
 * @example
 * const ids = handoff.newCase(new Date());
 * const sealed = await handoff.seal(draftContext, ids, { channel: "slack" });
 * await queue.enqueue(sealed);
 */
export interface HandoffService {
  newCase(now: Date): CaseIds;
  /**
   * @param extra.channel where the melder made the report.
   * @param extra.chatHandle only for a named melder who asked to be contacted in the chat:
   *   the platform account the counsellor may write to.
   * @throws HandoffError
   */
  seal(draft: IntakeContext, ids: CaseIds, extra: SealExtra): Promise<SealedHandoff>;
}

export interface SealExtra {
  channel: HandoffDocument["channel"];
  chatHandle?: string;
  followUp?: FollowUp;
}

export interface HandoffDeps {
  config: Config;
  /** Directory the config's relative key paths resolve against. */
  baseDir: string;
  logger: Logger;
  signingKey?: openpgp.PrivateKey;
  now?: () => Date;
}

export function createHandoffService(deps: HandoffDeps): HandoffService {
  const { config, logger } = deps;
  return {
    newCase(now) {
      return newCaseIds(now);
    },

    async seal(draft, ids, extra) {
      const counsellor = config.counsellors.find((c) => c.id === draft.counsellorId);
      if (!counsellor) {
        logger.error({ event: "handoff.unknown_counsellor" });
        throw new HandoffError("internal");
      }
      const now = deps.now?.() ?? new Date();
      try {
        const refs = [counsellor.key, ...(counsellor.deputy ? [counsellor.deputy] : [])];
        const keys = await Promise.all(
          refs.map((ref, i) =>
            loadCounsellorKey(ref, counsellor.id, {
              now,
              baseDir: deps.baseDir,
              ...(i > 0 ? { role: "deputy" as const } : {}),
            }),
          ),
        );
        const doc = buildDocument(draft, counsellor, ids, extra.channel, extra);
        const sealed = await sealHandoff(doc, {
          recipients: keys.map((k) => k.key),
          signingKey: deps.signingKey,
          hideRecipients: config.handoff.hideRecipients,
        });
        return {
          caseId: ids.caseId,
          counsellorId: counsellor.id,
          armored: sealed.armored,
          sha256: sealed.sha256,
          day: ids.date,
        };
      } catch (err) {
        if (err instanceof KeyProblemError) {
          // Admin-facing: names the counsellor and the reason, never report data. (It also tells
          // which counsellor this melder chose; an admin needs that to fix the key.)
          logger.error({ event: "handoff.key_refused", counsellor: counsellor.id, reason: err.reason });
          throw new HandoffError("key");
        }
        logger.error({ event: "handoff.error", err: safeError(err) });
        throw new HandoffError("internal");
      }
    },
  };
}
