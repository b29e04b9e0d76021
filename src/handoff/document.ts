import { z } from "zod";
import { LOCALES, REPORT_FIELDS, TOPICS, WISHES } from "../../flows/domain.ts";

// The flows' own list, not the config schema: this module also runs in the web page's bundle.
const Locale = z.enum(LOCALES);

const reportShape = Object.fromEntries(
  REPORT_FIELDS.map((f) => [f.id, z.string().max(f.maxLength).optional()]),
) as { [K in (typeof REPORT_FIELDS)[number]["id"]]: z.ZodOptional<z.ZodString> };

/**
 * The part that lets a counsellor answer an anonymous melder (docs/follow-up.md): the mailbox id
 * and the melder's public key. Versioned on its own, so it can grow without a new document.
 */
export const FollowUp = z
  .object({
    v: z.literal(1),
    /** Derived from the melder's receipt secret; the server knows the mailbox only by this id. */
    mailboxId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    /** Armored OpenPGP public key of the melder's mailbox. */
    melderPublicKey: z.string().max(16_000),
    /**
     * The web page's public address (config web.publicUrl) where the counsellor's answer goes
     * (`<url>mailbox/replies`), so `vertrouwd reply` on the counsellor's machine needs no config.
     */
    url: z.string().url().max(300).optional(),
  })
  .strict();
export type FollowUp = z.infer<typeof FollowUp>;

/**
 * What the counsellor receives, versioned. It never holds a platform user id unless the
 * melder chose to be named and asked to be contacted via the chat.
 *
 * Version 2 adds optional facts for the counsellor's desk and the follow-up mailbox; a version 1
 * document still parses, so older handoffs can be opened and imported.
 */
export const HandoffDocument = z
  .object({
    version: z.union([z.literal(1), z.literal(2)]),
    /** UUID; doubles as the idempotency key for every delivery attempt. */
    caseId: z.string().uuid(),
    /** Short code shown to the melder so both sides can refer to the case. */
    caseCode: z.string().regex(/^VT-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
    /** Day only: an exact timestamp could identify an anonymous melder. */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    locale: Locale,
    channel: z.enum(["console", "slack", "teams", "web"]),
    kind: z.enum(["report", "contact"]),
    topic: z.enum(TOPICS),
    counsellorId: z.string(),
    /** v2: internal or external counsellor (the annual report counts both). */
    counsellorKind: z.enum(["internal", "external"]).optional(),
    /** v2: who can open this handoff: the counsellor and, when configured, their deputy. */
    recipients: z
      .object({ counsellor: z.string().max(120), deputy: z.string().max(120).optional() })
      .strict()
      .optional(),
    anonymity: z.enum(["anonymous", "named"]),
    contact: z
      .object({
        name: z.string().max(200).optional(),
        route: z.string().max(300).optional(),
        /** e.g. "slack:T123/U456"; only present when the melder asked to be contacted via the chat. */
        chatHandle: z.string().max(200).optional(),
      })
      .strict()
      .optional(),
    report: z.object(reportShape).strict().optional(),
    wishes: z.enum(WISHES).optional(),
    /** v2: an anonymous melder opened a mailbox the counsellor can answer. */
    followUp: FollowUp.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.anonymity === "anonymous" && d.contact) {
      ctx.addIssue({ code: "custom", path: ["contact"], message: "an anonymous handoff carries no contact" });
    }
  });
export type HandoffDocument = z.infer<typeof HandoffDocument>;
