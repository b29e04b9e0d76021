/**
 * The secure web page's API, shared by the page (adapters/web/page) and the server
 * (adapters/web/server): paths, request and answer shapes, error codes. Everything the server
 * receives from the page is here, and none of it is readable: the report travels as an OpenPGP
 * message sealed in the browser.
 *
 * Paths are relative to the page's address (…/web/), so a proxy may publish the page under
 * another prefix. The anonymous follow-up mailbox (docs/follow-up.md) has its endpoints under
 * "mailbox/": the page opens, reads and answers; the counsellor's reply comes from `vertrouwd
 * reply` or curl as a signed OpenPGP message (not JSON).
 */
import { z } from "zod";
import { CONTACT_KINDS } from "../../flows/directory.ts";
import { LOCALES } from "../../flows/domain.ts";
import { LINK_TOKEN } from "../../src/followup/link-token.ts";
import { CASE_CODE } from "../../src/handoff/case.ts";
import { FollowUp } from "../../src/handoff/document.ts";

export const API = {
  /** GET: the organisation's display data for the flows (no keys, no secrets). */
  config: "config",
  /** GET: the counsellors' public keys with the pinned fingerprints from the configuration. */
  keys: "keys",
  /** POST HandoffRequest: a sealed report for the delivery queue. */
  handoffs: "handoffs",
  /** POST StatusRequest: a report's delivery status (POST: the case id stays out of URLs and access logs). */
  status: "status",
  /** POST MailboxOpenRequest: opens a follow-up mailbox for a web report (before sealing) or a chat report (link token). */
  mailboxOpen: "mailbox/open",
  /** POST MailboxReadRequest: the mailbox's keys and messages (POST: the id stays out of URLs and logs). */
  mailboxRead: "mailbox/read",
  /** POST MailboxAnswerRequest: a melder's answer, sealed in the browser, for the counsellor. */
  mailboxAnswer: "mailbox/answer",
  /**
   * POST, not JSON: the counsellor's reply. `content-type: application/pgp-message`,
   * `x-vertrouwd-mailbox: <mailboxId>`, body: an ASCII-armored signed OpenPGP message (gpg --sign
   * --armor) whose literal data is the reply encrypted to the melder's mailbox key. 201 { id }.
   */
  mailboxReplies: "mailbox/replies",
} as const;

const Locale = z.enum(LOCALES);
const Localised = z.object({ nl: z.string().optional(), en: z.string().optional() });
export const COUNSELLOR_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** Lower-case UUID, as crypto.randomUUID() makes it and the delivery queue requires. */
export const CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const FINGERPRINT = /^[0-9A-F]{40}$/;

export const WebConfig = z.object({
  v: z.literal(1),
  defaultLocale: Locale,
  /** flows/directory.ts Directory, without the link to this page itself. */
  directory: z.object({
    organisation: z.string(),
    counsellors: z.array(
      z.object({
        id: z.string().regex(COUNSELLOR_ID),
        name: z.string(),
        kind: z.enum(["internal", "external"]),
        languages: z.array(Locale),
        introduction: Localised,
        reachVia: Localised.optional(),
        deputyName: z.string().optional(),
      }),
    ),
    contacts: z.array(
      z.object({
        kind: z.enum(CONTACT_KINDS),
        name: Localised,
        phone: z.string().optional(),
        url: z.string().optional(),
        note: Localised.optional(),
        urgent: z.boolean().optional(),
      }),
    ),
    idleMinutes: z.number().int().positive(),
    defaultCounsellorId: z.string().optional(),
    deliveryDelayMinutes: z.number().int().nonnegative(),
  }),
  /** Seal with wildcard recipient key ids (config handoff.hideRecipients). */
  hideRecipients: z.boolean(),
  /** The anonymous follow-up mailbox, when it is on (config followUp, docs/follow-up.md). */
  followUp: z
    .object({
      /** The page's public address (config web.publicUrl): goes into the sealed FollowUp part. */
      url: z.string().url(),
      /** Days a mailbox lives after its last message. */
      retentionDays: z.number().int().positive(),
    })
    .optional(),
});
export type WebConfig = z.infer<typeof WebConfig>;

export const WebKey = z.object({
  role: z.enum(["counsellor", "deputy"]),
  /** The pinned fingerprint from the configuration; the page checks the key against it. */
  fingerprint: z.string().regex(FINGERPRINT),
  /** The armored public key (only the pinned key, re-exported by the server). */
  armored: z.string().max(64_000),
});
export type WebKey = z.infer<typeof WebKey>;

export const WebKeys = z.object({
  v: z.literal(1),
  counsellors: z.array(
    z.object({
      id: z.string().regex(COUNSELLOR_ID),
      keys: z.array(WebKey).max(2),
      /** The server refuses this counsellor's key (expired, revoked…): the admin was told. */
      problem: z.literal("key").optional(),
    }),
  ),
});
export type WebKeys = z.infer<typeof WebKeys>;

/**
 * Largest request body: a sealed report of the largest size bucket (256 KiB binary) is about
 * 355,000 characters armored, and JSON adds a backslash to every line break.
 */
export const MAX_HANDOFF_BODY_BYTES = 400_000;

export const HandoffRequest = z
  .object({
    counsellorId: z.string().regex(COUNSELLOR_ID),
    /**
     * The case id sealed inside the message, made in the browser: the delivery's idempotency key,
     * so a send retried after a lost answer is delivered once.
     */
    caseId: z.string().regex(CASE_ID),
    armored: z.string().min(1).max(MAX_HANDOFF_BODY_BYTES),
  })
  .strict();
export type HandoffRequest = z.infer<typeof HandoffRequest>;

export const DeliveryStatus = z.enum(["queued", "delivered", "failed"]);

export const HandoffAnswer = z.object({ caseId: z.string().regex(CASE_ID), status: DeliveryStatus });
export type HandoffAnswer = z.infer<typeof HandoffAnswer>;

export const StatusRequest = z.object({ caseId: z.string().regex(CASE_ID) }).strict();
export const StatusAnswer = z.object({ status: z.union([DeliveryStatus, z.literal("unknown")]) });
export type StatusAnswer = z.infer<typeof StatusAnswer>;

// ── The follow-up mailbox (docs/follow-up.md) ──────────────────────────────────────────
export const MAILBOX_ID = FollowUp.shape.mailboxId;

/** Largest JSON body of the mailbox endpoints: an answer of the largest allowed padding size (64 KiB) armored. */
export const MAX_MAILBOX_BODY_BYTES = 100_000;
/** Largest counsellor reply body: the signed, armored envelope around an encrypted reply of at most 64 KiB. */
export const MAX_REPLY_BODY_BYTES = 200_000;
/** The header that names the mailbox of a counsellor's reply. */
export const MAILBOX_HEADER = "x-vertrouwd-mailbox";

const MailboxKeys = {
  mailboxId: MAILBOX_ID,
  /** The melder's armored public key. */
  melderPublicKey: z.string().min(1).max(16_000),
  /** The melder's private key, locked with the passphrase derived from their secret. */
  lockedPrivateKey: z.string().min(1).max(16_000),
};

export const MailboxOpenRequest = z.union([
  /** A web report: the page opens the mailbox before it seals the handoff with the FollowUp part. */
  z
    .object({
      ...MailboxKeys,
      counsellorId: z.string().regex(COUNSELLOR_ID),
      caseId: z.string().regex(CASE_ID),
      caseCode: z.string().regex(CASE_CODE),
    })
    .strict(),
  /** A report made in Slack or Teams: the receipt's single-use link token names the case. */
  z
    .object({ ...MailboxKeys, linkToken: z.string().regex(LINK_TOKEN) })
    .strict(),
]);
export type MailboxOpenRequest = z.infer<typeof MailboxOpenRequest>;

export const MailboxOpenAnswer = z.object({
  v: z.literal(1),
  caseCode: z.string().regex(CASE_CODE),
  counsellorId: z.string().regex(COUNSELLOR_ID),
});
export type MailboxOpenAnswer = z.infer<typeof MailboxOpenAnswer>;

export const MailboxReadRequest = z.object({ mailboxId: MAILBOX_ID }).strict();

export const MailboxMessageView = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  from: z.enum(["counsellor", "melder"]),
  /** The day it arrived (YYYY-MM-DD). */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  armored: z.string(),
});
export type MailboxMessageView = z.infer<typeof MailboxMessageView>;

export const MailboxReadAnswer = z.object({
  v: z.literal(1),
  /** The case the mailbox belongs to (for the melder's answer document). */
  caseId: z.string().regex(CASE_ID),
  caseCode: z.string().regex(CASE_CODE),
  counsellorId: z.string().regex(COUNSELLOR_ID),
  melderPublicKey: z.string(),
  lockedPrivateKey: z.string(),
  messages: z.array(MailboxMessageView),
});
export type MailboxReadAnswer = z.infer<typeof MailboxReadAnswer>;

export const MailboxAnswerRequest = z
  .object({ mailboxId: MAILBOX_ID, armored: z.string().min(1).max(MAX_MAILBOX_BODY_BYTES) })
  .strict();
export type MailboxAnswerRequest = z.infer<typeof MailboxAnswerRequest>;

export const MailboxAnswerAnswer = z.object({ id: z.string(), status: DeliveryStatus });
export type MailboxAnswerAnswer = z.infer<typeof MailboxAnswerAnswer>;

export const MailboxReplyAnswer = z.object({ id: z.string() });

/** Every refusal, as `{ error, message }` with one of these codes and an admin-readable message. */
export const ERROR_CODES = [
  "bad_request",
  "unsupported_media_type",
  "too_large",
  "forbidden",
  "rate_limited",
  "unknown_counsellor",
  "key_problem",
  "not_a_message",
  "wrong_size",
  "wrong_recipients",
  "unavailable",
  "not_found",
  "method_not_allowed",
  // The follow-up mailbox:
  /** No mailbox with this id (never opened, or expired): the same answer for both. */
  "no_mailbox",
  /** The receipt link was used already or is older than 15 minutes. */
  "link_expired",
  /** A mailbox with this id exists already (with other keys). */
  "mailbox_exists",
  /** The melder's public key or locked private key is refused. */
  "bad_key",
  /** The mailbox holds as many messages (or bytes) as it may. */
  "mailbox_full",
  "not_signed",
  "wrong_signer",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorAnswer = z.object({
  error: z.enum(ERROR_CODES),
  message: z.string(),
  retryAfterSeconds: z.number().int().positive().optional(),
});
export type ErrorAnswer = z.infer<typeof ErrorAnswer>;
