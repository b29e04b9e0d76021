/**
 * The inbound activity as this adapter accepts it: the fields it reads are validated, the rest
 * passes through for botbuilder. Parse errors name paths only, never values (they may be report text).
 */
import { z } from "zod";
import type { Locale } from "../../flows/domain.ts";
import type { FlowEvent } from "../../flows/model.ts";
import { parseCommand } from "../../flows/model.ts";

const Account = z
  .object({ id: z.string().min(1).max(512), aadObjectId: z.string().max(64).optional() })
  .passthrough();

export const InboundActivity = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z
      .string()
      .url()
      .max(2048)
      .refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL"),
    from: Account,
    recipient: Account,
    conversation: z
      .object({
        id: z.string().min(1).max(1024),
        conversationType: z.string().max(64).optional(),
        tenantId: z.string().max(64).optional(),
      })
      .passthrough(),
    text: z.string().max(100_000).optional(),
    /** Card data. A null value would crash teams-ai's card-submit routing: it becomes absent. */
    value: z
      .unknown()
      .optional()
      .transform((v) => (v === null ? undefined : v)),
    locale: z.string().max(35).optional(),
    replyToId: z.string().max(512).optional(),
    action: z.string().max(64).optional(),
    /** Invoke activities only, e.g. "task/fetch" and "task/submit". */
    name: z.string().max(128).optional(),
    membersAdded: z.array(Account).max(500).optional(),
    channelData: z
      .object({
        tenant: z
          .object({ id: z.string().max(64) })
          .partial()
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type InboundActivity = z.infer<typeof InboundActivity>;

/** Paths of the first few problems, for a 400 body an admin can act on. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
}

/** "nl-NL" → nl, "en-US" → en; anything else is left to the configured default. */
export function localeOf(tag: string | undefined): Locale | undefined {
  const lang = tag?.toLowerCase().split(/[-_]/)[0];
  return lang === "nl" || lang === "en" ? lang : undefined;
}

export function tenantOf(a: InboundActivity): string {
  return a.conversation.tenantId ?? a.channelData?.tenant?.id ?? "unknown";
}

/** The Entra object id is stable across chats; the channel account id is the fallback. */
export function userOf(a: InboundActivity): string {
  return a.from.aadObjectId ?? a.from.id;
}

/**
 * Typed chat text maps to a command or to TEXT. The text itself is never passed on: the chat
 * keeps it, so it must not become report content.
 */
export function textEvent(text: string | undefined): FlowEvent {
  const plain = (text ?? "").replace(/<at>[^<]*<\/at>/gi, "").replace(/<[^>]+>/g, " ");
  return parseCommand(plain) ?? { type: "TEXT" };
}
