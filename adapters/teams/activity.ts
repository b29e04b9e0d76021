/**
 * The inbound activity as this adapter accepts it: the fields it reads are validated, the rest
 * passes through for botbuilder. Parse errors name paths only, never values (they may be report text).
 */
import { z } from "zod";
import type { FlowEvent } from "../../flows/model.ts";
import { parseCommand } from "../../flows/model.ts";
import type { Locale } from "../../src/config/schema.ts";

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
    value: z.unknown().optional(),
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

/** What a card button sends back (Action.Submit data). */
const ChoiceData = z.object({
  choice: z.string().min(1).max(200),
  token: z.string().min(1).max(64),
  label: z.string().max(300).default(""),
});
const FormName = z.enum(["report", "contact"]);
/** Form cards posted before forms moved into dialogs carried their inputs in the chat. */
const LegacyFormData = z.object({ form: FormName, token: z.string().min(1).max(64) });

export type CardSubmit =
  | { kind: "choice"; choice: string; token: string; label: string }
  /** A submit from an old in-chat form card: answered as stale, its values are never read. */
  | { kind: "legacyForm" };

/** Recognises a submit from one of our chat cards; anything else is not a card submit. */
export function cardSubmitOf(value: unknown): CardSubmit | undefined {
  if (!value || typeof value !== "object") return undefined;
  const vt = (value as { vt?: unknown }).vt;
  const choice = ChoiceData.safeParse(vt);
  if (choice.success) return { kind: "choice", ...choice.data };
  if (LegacyFormData.safeParse(vt).success) return { kind: "legacyForm" };
  return undefined;
}

/** The chat card's "open the form" button: which form, and the card it sits on. */
const OpenData = z.object({ form: FormName, token: z.string().min(1).max(64) });
/** The dialog's submit button: the form, the dialog's own token, and the chat card to collapse. */
const DialogData = z.object({
  form: FormName,
  dialog: z.string().min(1).max(64),
  card: z.string().min(1).max(512).optional(),
});

export type TaskInvoke =
  | { kind: "fetch"; form: "report" | "contact"; token: string }
  | {
      kind: "submit";
      form: "report" | "contact";
      dialog: string;
      card?: string;
      /** The dialog's inputs as Teams sent them; validated by the form's own rules before use. */
      values: Record<string, unknown>;
    }
  /** A task invoke this bot did not create (or a malformed one). */
  | { kind: "foreign"; name: string };

/**
 * Reads a task module invoke. Teams sends `value.data`: for task/fetch the button's data, for
 * task/submit the dialog submit button's data merged with the dialog's inputs.
 */
export function taskInvokeOf(name: string, value: unknown): TaskInvoke | undefined {
  if (name !== "task/fetch" && name !== "task/submit") return undefined;
  const data = (value as { data?: unknown } | undefined)?.data;
  if (!data || typeof data !== "object") return { kind: "foreign", name };
  const { vt, msteams: _msteams, ...inputs } = data as Record<string, unknown>;
  if (name === "task/fetch") {
    const open = OpenData.safeParse(vt);
    return open.success ? { kind: "fetch", ...open.data } : { kind: "foreign", name };
  }
  const submit = DialogData.safeParse(vt);
  return submit.success ? { kind: "submit", ...submit.data, values: inputs } : { kind: "foreign", name };
}

/**
 * Typed chat text maps to a command or to TEXT. The text itself is never passed on: the chat
 * keeps it, so it must not become report content.
 */
export function textEvent(text: string | undefined): FlowEvent {
  const plain = (text ?? "").replace(/<at>[^<]*<\/at>/gi, "").replace(/<[^>]+>/g, " ");
  return parseCommand(plain) ?? { type: "TEXT" };
}
