/**
 * What the runtime seals into the store, as zod schemas: a record read back is parsed, never
 * cast, so a value from an older version or a tampered one is refused rather than half-used.
 *
 * The chat record holds navigation only. The draft record holds the matter and nothing that
 * names the melder: no user id, no channel, no chat record key.
 */
import { z } from "zod";
import { INFO_SCREENS, chatMachine } from "../../flows/chat/machine.ts";
import type { ChatState as ChatStateName } from "../../flows/chat/prompts.ts";
import { CONTACT_FIELDS, LOCALES, REPORT_FIELDS, TOPICS, WISHES } from "../../flows/domain.ts";
import { intakeMachine } from "../../flows/intake/machine.ts";
import type { IntakeState as IntakeStateName } from "../../flows/intake/prompts.ts";

const Locale = z.enum(LOCALES);

/** The machines' own state names, so a record can never name a state the flow does not have. */
const statesOf = <S extends string>(machine: { config: { states?: object } }) =>
  z.enum(Object.keys(machine.config.states ?? {}) as [S, ...S[]]);

const ChatState = statesOf<ChatStateName>(chatMachine);

export const ChatRecord = z.object({
  v: z.literal(2),
  flow: z.object({
    state: ChatState,
    context: z.object({ locale: Locale, screen: z.enum(INFO_SCREENS).optional() }),
  }),
  /** Increases with every turn that shows new prompts; lets stale buttons be recognised. */
  seq: z.number().int().positive(),
  /** Raised by stop: a form opened before it is wiped on its next step. */
  epoch: z.number().int().nonnegative(),
  /** Random id that correlates this chat's log lines (never derived from the user id). */
  logId: z.string().regex(/^[0-9a-f]{12}$/),
});
export type ChatRecord = z.infer<typeof ChatRecord>;

const IntakeState = statesOf<IntakeStateName>(intakeMachine);

const text = (max: number) => z.string().max(max);
const Report = z
  .object(Object.fromEntries(REPORT_FIELDS.map((f) => [f.id, text(f.maxLength).optional()])))
  .strict();
const Contact = z
  .object({
    ...Object.fromEntries(CONTACT_FIELDS.map((f) => [f.id, text(f.maxLength).optional()])),
    viaChat: z.boolean().optional(),
  })
  .strict();

const CaseIds = z.object({
  caseId: z.string().uuid(),
  caseCode: z.string().regex(/^VT-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

export const DraftRecord = z.object({
  v: z.literal(1),
  flow: z.object({
    state: IntakeState,
    context: z.object({
      locale: Locale,
      counsellorIds: z.array(z.string()),
      defaultCounsellorId: z.string().optional(),
      mode: z.enum(["report", "contact"]).optional(),
      topic: z.enum(TOPICS).optional(),
      counsellorId: z.string().optional(),
      identity: z.enum(["anonymous", "named"]).optional(),
      contact: Contact.optional(),
      report: Report,
      wishes: z.enum(WISHES).optional(),
      returnToReview: z.boolean().optional(),
      receipt: CaseIds.pick({ caseCode: true, date: true })
        .extend({ counsellorId: z.string(), status: z.enum(["queued", "delivered", "failed"]) })
        .optional(),
    }),
  }),
  /** The form step; a submit from an older step is recognised as stale. */
  seq: z.number().int().positive(),
  /** The chat's epoch when this form was opened. */
  epoch: z.number().int().nonnegative(),
  logId: z.string().regex(/^[0-9a-f]{12}$/),
  /** Fixed the moment send is pressed, kept across retries and crashes: one case, one id. */
  case: CaseIds.optional(),
});
export type DraftRecord = z.infer<typeof DraftRecord>;

export function parseRecord<T>(schema: z.ZodType<T>, json: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
