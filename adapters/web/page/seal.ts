/**
 * Sealing in the melder's browser, with the server's own code: the keys are checked against the
 * pinned fingerprints the server states (src/crypto/key-policy.ts: fingerprint, v4, not revoked or
 * expired, strong, able to encrypt), the HandoffDocument is built (src/handoff/build.ts), rendered,
 * padded to its size bucket and encrypted (src/handoff/seal.ts → src/crypto/seal.ts). Only the
 * armored message leaves this module.
 */
import * as openpgp from "openpgp";
import type { CounsellorInfo } from "../../../flows/directory.ts";
import type { IntakeContext } from "../../../flows/intake/machine.ts";
import { KeyProblemError, checkPinnedKey } from "../../../src/crypto/key-policy.ts";
import { buildDocument } from "../../../src/handoff/build.ts";
import type { CaseIds } from "../../../src/handoff/case.ts";
import type { FollowUp } from "../../../src/handoff/document.ts";
import { sealHandoff } from "../../../src/handoff/seal.ts";
import type { WebKeys } from "../protocol.ts";

export type SealOutcome = { ok: true; armored: string } | { ok: false; reason: "key" | "internal" };

/** The name under which the page measures sealing (performance.measure): the benchmark reads it. */
export const SEAL_MEASURE = "vt:seal";

export async function sealInBrowser(options: {
  draft: IntakeContext;
  ids: CaseIds;
  counsellor: CounsellorInfo;
  keys: WebKeys;
  hideRecipients: boolean;
  /** The anonymous mailbox the melder opened for this report (docs/follow-up.md). */
  followUp?: FollowUp;
}): Promise<SealOutcome> {
  const { counsellor } = options;
  const entry = options.keys.counsellors.find((c) => c.id === counsellor.id);
  if (!entry || entry.problem) return { ok: false, reason: "key" };
  const roles = counsellor.deputyName ? ["counsellor", "deputy"] : ["counsellor"];
  if (entry.keys.length !== roles.length || !roles.every((r) => entry.keys.some((k) => k.role === r))) {
    return { ok: false, reason: "key" };
  }
  performance.mark(`${SEAL_MEASURE}:start`);
  try {
    const recipients: openpgp.PublicKey[] = [];
    for (const k of entry.keys) {
      const keys = await openpgp.readKeys({ armoredKeys: k.armored }).catch(() => undefined);
      if (!keys) return { ok: false, reason: "key" };
      const checked = await checkPinnedKey(keys, {
        counsellorId: counsellor.id,
        pinned: k.fingerprint,
        role: k.role,
        source: "the key the server sent",
      });
      recipients.push(checked.key);
    }
    const doc = buildDocument(
      options.draft,
      {
        id: counsellor.id,
        name: counsellor.name,
        kind: counsellor.kind,
        ...(counsellor.deputyName ? { deputy: { name: counsellor.deputyName } } : {}),
      },
      options.ids,
      "web",
      options.followUp ? { followUp: options.followUp } : {},
    );
    const sealed = await sealHandoff(doc, { recipients, hideRecipients: options.hideRecipients });
    performance.measure(SEAL_MEASURE, `${SEAL_MEASURE}:start`);
    return { ok: true, armored: sealed.armored };
  } catch (err) {
    // Nothing is reported anywhere: the melder is told, and keeps everything they entered.
    return { ok: false, reason: err instanceof KeyProblemError ? "key" : "internal" };
  }
}
