/**
 * What the register holds, as zod schemas: every entry (a received message or a counsellor's
 * event) and the index. Entries are immutable and each is its own OpenPGP message; the index is
 * a summary of all entries *without free text*, rewritten after every change and always
 * rebuildable from the entries (register.ts). Everything here is only ever stored encrypted.
 */
import { z } from "zod";
import { TOPICS, WISHES } from "../../flows/domain.ts";
import { CivilDate } from "./calendar.ts";

export const CASE_STATUSES = ["new", "acknowledged", "in_progress", "closed"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Why a case was closed: a short list, so the register never needs free text to say it. */
export const CLOSING_REASONS = [
  "resolved",
  "referred",
  "complaint",
  "no_further_action",
  "unreachable",
  "out_of_scope",
] as const;
export type ClosingReason = (typeof CLOSING_REASONS)[number];

/** A private note, encrypted like everything else; long enough for a conversation's summary. */
export const NOTE_MAX_CHARS = 20_000;

/** The acknowledgement was sent on `date`; null withdraws a mistaken one. */
const AckEvent = z.object({ type: z.literal("ack"), date: CivilDate.nullable() }).strict();
/** Feedback on the follow-up was given on `date`; null withdraws a mistaken one. */
const FeedbackEvent = z.object({ type: z.literal("feedback"), date: CivilDate.nullable() }).strict();
const StatusEvent = z
  .object({
    type: z.literal("status"),
    status: z.enum(CASE_STATUSES),
    reason: z.enum(CLOSING_REASONS).optional(),
    date: CivilDate,
  })
  .strict();
/** The counsellor's own follow-up date; null clears it. */
const FollowUpEvent = z.object({ type: z.literal("follow_up"), date: CivilDate.nullable() }).strict();

/** Longest answer the counsellor can send through the anonymous mailbox (characters). */
export const REPLY_MAX_CHARS = 20_000;

/**
 * The counsellor answered through the anonymous mailbox (`vertrouwd reply`): the text as sent,
 * kept encrypted like a note, and the id the server gave the message.
 */
const ReplyEvent = z
  .object({
    type: z.literal("reply"),
    date: CivilDate,
    text: z.string().min(1).max(REPLY_MAX_CHARS),
    /** The server's id for the message in the mailbox. */
    serverId: z.string().min(1).max(100),
  })
  .strict();

export const CaseEvent = z
  .discriminatedUnion("type", [
    AckEvent,
    FeedbackEvent,
    StatusEvent,
    FollowUpEvent,
    z
      .object({ type: z.literal("note"), date: CivilDate, text: z.string().min(1).max(NOTE_MAX_CHARS) })
      .strict(),
    ReplyEvent,
  ])
  .superRefine((e, ctx) => {
    if (e.type === "status" && (e.status === "closed") !== (e.reason !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["reason"],
        message: "only a closed status has a reason, and it must",
      });
    }
  });
export type CaseEvent = z.infer<typeof CaseEvent>;

/** An event as the index keeps it: a note or a reply without its text. */
export const EventSummary = z.union([
  z.object({ type: z.literal("note"), date: CivilDate }).strict(),
  z.object({ type: z.literal("reply"), date: CivilDate }).strict(),
  AckEvent,
  FeedbackEvent,
  StatusEvent,
  FollowUpEvent,
]);
export type EventSummary = z.infer<typeof EventSummary>;

export function summarizeEvent(e: CaseEvent): EventSummary {
  if (e.type === "note" || e.type === "reply") return { type: e.type, date: e.date };
  return e;
}

/**
 * The facts of a case that the list, the clocks and the annual report need, taken from the
 * message that opened it. Ids and dates only: no word the melder typed.
 */
export const CaseFacts = z
  .object({
    caseCode: z.string().regex(/^VT-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
    received: CivilDate,
    kind: z.enum(["report", "contact"]),
    topic: z.enum(TOPICS),
    counsellorKind: z.enum(["internal", "external"]).optional(),
    anonymity: z.enum(["anonymous", "named"]),
    wishes: z.enum(WISHES).optional(),
    /** The melder opened an anonymous follow-up mailbox. */
    mailbox: z.boolean(),
  })
  .strict();
export type CaseFacts = z.infer<typeof CaseFacts>;

export const SIGNATURE_STATUSES = ["valid", "invalid", "absent", "unverified"] as const;

const Common = {
  /** Marks a register entry; a stray handoff dropped into the directory does not parse as one. */
  register: z.literal(1),
  caseId: z.string().uuid(),
  /** When the counsellor's machine wrote it (UTC). Orders events; never leaves the register. */
  recordedAt: z.string().datetime(),
  /** Monotonic within one copy of the register; breaks ties of recordedAt. */
  seq: z.number().int().nonnegative(),
};

export const MessageRecord = z
  .object({
    ...Common,
    kind: z.literal("message"),
    /** The registered message type (messages.ts), e.g. "handoff". */
    type: z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/),
    /** Idempotency key: the same message imported twice is one entry. */
    messageId: z.string().min(1).max(200),
    /** The bot's signature on the original message, as checked at import. */
    signature: z.enum(SIGNATURE_STATUSES),
    /** The decrypted message, validated again by its type when read. */
    body: z.unknown(),
  })
  .strict();
export type MessageRecord = z.infer<typeof MessageRecord>;

export const EventRecord = z.object({ ...Common, kind: z.literal("event"), event: CaseEvent }).strict();
export type EventRecord = z.infer<typeof EventRecord>;

export const EntryRecord = z.discriminatedUnion("kind", [MessageRecord, EventRecord]);
export type EntryRecord = z.infer<typeof EntryRecord>;

/** Entry file names: 128 random bits in hex, nothing derived from the case. */
export const ENTRY_FILE_RE = /^[0-9a-f]{32}\.asc$/;

export const IndexEntry = z
  .object({
    file: z.string().regex(ENTRY_FILE_RE),
    caseId: z.string().uuid(),
    recordedAt: z.string().datetime(),
    seq: z.number().int().nonnegative(),
    summary: z.discriminatedUnion("kind", [
      z
        .object({
          kind: z.literal("message"),
          type: z.string(),
          messageId: z.string(),
          signature: z.enum(SIGNATURE_STATUSES),
          /** Present when the message opens a case. */
          facts: CaseFacts.optional(),
          /** The message's own day, for the case's timeline. */
          date: CivilDate,
        })
        .strict(),
      z.object({ kind: z.literal("event"), event: EventSummary }).strict(),
    ]),
  })
  .strict();
export type IndexEntry = z.infer<typeof IndexEntry>;

export const RegisterIndex = z
  .object({
    registerIndex: z.literal(1),
    entries: z.array(IndexEntry),
  })
  .strict();
export type RegisterIndex = z.infer<typeof RegisterIndex>;

/** JSON with sorted keys: the same data compares equal whatever order its keys were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
