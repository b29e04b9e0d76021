import { z } from "zod";
import { REPORT_FIELDS, TOPICS, WISHES } from "../../flows/domain.ts";
import { Locale } from "../config/schema.ts";

const reportShape = Object.fromEntries(
  REPORT_FIELDS.map((f) => [f.id, z.string().max(f.maxLength).optional()]),
) as { [K in (typeof REPORT_FIELDS)[number]["id"]]: z.ZodOptional<z.ZodString> };

/**
 * What the counsellor receives, versioned. It never holds a platform user id unless the
 * melder chose to be named and asked to be contacted via the chat.
 */
export const HandoffDocument = z
  .object({
    version: z.literal(1),
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
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.anonymity === "anonymous" && d.contact) {
      ctx.addIssue({ code: "custom", path: ["contact"], message: "an anonymous handoff carries no contact" });
    }
  });
export type HandoffDocument = z.infer<typeof HandoffDocument>;
