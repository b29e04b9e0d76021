import { z } from "zod";
import { CONTACT_KINDS } from "../../flows/directory.ts";
import { LOCALES } from "../../flows/domain.ts";
import { BOUNDS, CONTROL_CHARACTERS, LINE_BREAK } from "./bounds.ts";

export { LOCALES };
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

/**
 * Text the config shows a melder. Bounded so every rendering stays within Slack's and Teams'
 * limits (see bounds.ts for the numbers and why); line breaks only where `lines` allows them.
 */
export function DisplayText(max: number, lines = 1) {
  return z
    .string()
    .transform((s) => s.replace(LINE_BREAK, "\n").trim())
    .pipe(
      z
        .string()
        .min(1)
        .max(max, `at most ${max} characters (what Slack and Teams can show in one step)`)
        .refine((s) => !CONTROL_CHARACTERS.test(s), "must not contain control characters")
        .refine(
          (s) => s.split("\n").length <= lines,
          lines === 1 ? "must be one line" : `at most ${lines} lines`,
        ),
    );
}

/** Text given per locale in the config. Dutch is required. */
export function LocalisedText(max: number, lines = 1) {
  return z.object({ nl: DisplayText(max, lines), en: DisplayText(max, lines).optional() }).strict();
}
export type LocalisedText = { nl: string; en?: string };

/** A full OpenPGP v4 fingerprint: 40 hex digits; spaces allowed for readability, case ignored. */
export const Fingerprint = z
  .string()
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().regex(/^[0-9A-F]{40}$/, "must be a full 40-hex-digit fingerprint"));

export const KeyRef = z
  .object({
    publicKeyPath: z.string().min(1),
    fingerprint: Fingerprint,
  })
  .strict();
export type KeyRef = z.infer<typeof KeyRef>;

const Retry = z
  .object({
    attempts: z.number().int().min(1).max(10).default(5),
    baseDelayMs: z.number().int().min(10).max(60_000).default(500),
    maxDelayMs: z.number().int().min(100).max(300_000).default(30_000),
  })
  .strict();

export const Delivery = z.discriminatedUnion("type", [
  z.object({ type: z.literal("outbox"), dir: z.string().min(1).default("outbox") }).strict(),
  z
    .object({
      type: z.literal("smtp"),
      to: z.string().email(),
      from: z.string().email(),
      /** Subject is deliberately bland; it must never carry report or melder data. */
      subject: z.string().max(120).default("Vertrouwd: nieuw versleuteld bericht"),
      retry: Retry.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("webhook"),
      url: z.string().url(),
      /** Name of the environment variable holding the HMAC secret (secrets never live in the config file). */
      secretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
      retry: Retry.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("slack"),
      /** The internal counsellor's Slack user id; the file goes to their DM with the bot. */
      userId: z.string().regex(/^[UW][A-Z0-9]{2,}$/),
      retry: Retry.optional(),
    })
    .strict(),
]);
export type Delivery = z.infer<typeof Delivery>;

export const Counsellor = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lower-case letters, digits and dashes"),
    name: DisplayText(BOUNDS.name),
    kind: z.enum(["internal", "external"]),
    languages: z
      .array(Locale)
      .min(1)
      .max(LOCALES.length)
      .refine((l) => new Set(l).size === l.length, "each language once"),
    introduction: LocalisedText(BOUNDS.introduction, BOUNDS.introductionLines),
    /** How the melder can reach this counsellor directly (phone, mail), shown after the handoff. */
    reachVia: LocalisedText(BOUNDS.reachVia).optional(),
    key: KeyRef,
    /**
     * Optional second recipient (a deputy) who can also decrypt. Named, because the melder is
     * told on the counsellor card exactly who else can open their message.
     */
    deputy: KeyRef.extend({ name: DisplayText(BOUNDS.name) }).optional(),
    delivery: Delivery,
  })
  .strict();
export type Counsellor = z.infer<typeof Counsellor>;

/** The organisation's own help, shown in the information and urgent-help steps. */
export const OrganisationContact = z
  .object({
    kind: z.enum(CONTACT_KINDS),
    name: LocalisedText(BOUNDS.contactName),
    phone: z
      .string()
      .regex(/^[+0-9][0-9 ()./-]{2,}$/, "digits, spaces and + ( ) - . / only")
      .max(BOUNDS.contactPhone)
      .optional(),
    // A web address as people type it: no spaces, backslashes or characters that are markup.
    url: z
      .string()
      .url()
      .regex(/^https?:\/\/[^\s\\<>"`*[\]]+$/, "an http(s) address without spaces or markup characters")
      .max(BOUNDS.contactUrl)
      .optional(),
    note: LocalisedText(BOUNDS.contactNote).optional(),
    /** Also listed with urgent help (e.g. the company doctor), not only in the information. */
    urgent: z.boolean().default(false),
  })
  .strict();
export type OrganisationContact = z.infer<typeof OrganisationContact>;

/** Loopback hosts, where plain http is still a secure context for the browser. */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The secure web page (adapters/web, docs/web.md): the intake runs in the melder's browser and
 * the server receives ciphertext only. Off unless enabled.
 */
export const WebSettings = z
  .object({
    /** Serve the page and its API under /web. */
    enabled: z.boolean().default(false),
    /**
     * The page's address as melders reach it (https, ending in "/"), e.g. https://meld.example.nl/web/.
     * The chat's "secure form in your browser" button links here. Plain http only on localhost.
     */
    publicUrl: z
      .string()
      .max(BOUNDS.webPublicUrl)
      .url()
      .refine((u) => {
        const url = new URL(u);
        return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
      }, "must be an https address (plain http only on localhost)")
      .refine((u) => {
        const url = new URL(u);
        return url.pathname.endsWith("/") && url.search === "" && url.hash === "" && url.username === "";
      }, 'must end in "/" and have no query, fragment or user name')
      .optional(),
    /**
     * true: the address is published for people without Slack or Teams (intranet, website, exit
     * letter), and "/" leads to the page. false: the page is offered through the chat's link.
     * Neither setting makes the page secret: anyone who has the address can open it.
     */
    publicEntry: z.boolean().default(false),
    /**
     * Reverse proxies in front of this server that append to X-Forwarded-For (0: none, the
     * socket's address is the client's). Used only to rate-limit per client.
     */
    trustedProxies: z.number().int().min(0).max(5).default(0),
    rateLimit: z
      .object({
        /** The window every limit below counts in. */
        windowMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(60),
        /** Reports sent from one client (internet address) per window. */
        handoffsPerClient: z.number().int().min(1).max(1000).default(5),
        /** Reports sent from all clients together per window: a flood cannot bury the counsellors. */
        handoffsOverall: z.number().int().min(1).max(100_000).default(200),
        /** Status look-ups from one client per window. */
        lookupsPerClient: z.number().int().min(1).max(100_000).default(300),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((web, ctx) => {
    if (web.enabled && !web.publicUrl) {
      ctx.addIssue({ code: "custom", path: ["publicUrl"], message: "is required when web.enabled is true" });
    }
  });
export type WebSettings = z.infer<typeof WebSettings>;

/**
 * The anonymous follow-up mailbox (docs/follow-up.md): a melder who reported anonymously can read
 * the counsellor's answers and write back on the web page, with a secret only they hold. Needs
 * the web page (`web.enabled`); on when both are (see followUpEnabled).
 */
export const FollowUpSettings = z
  .object({
    /** Offer the mailbox on the web page (and the receipt link in Slack and Teams). */
    enabled: z.boolean().default(true),
    /**
     * Days every key of a mailbox lives after its last message (each message renews the whole
     * mailbox; the expiry falls at midnight). Default 183: about six months, the feedback term of
     * the whistleblower law (three months after the acknowledgement) with room to spare.
     */
    retentionDays: z
      .number()
      .int()
      .min(1)
      .max(3 * 366)
      .default(183),
    /** Counted in web.rateLimit.windowMinutes, like the page's other limits. */
    rateLimit: z
      .object({
        /** Mailboxes opened from one client per window. */
        opensPerClient: z.number().int().min(1).max(1000).default(5),
        /** Mailbox look-ups (typing the secret) from one client per window. */
        readsPerClient: z.number().int().min(1).max(10_000).default(30),
        /**
         * Look-ups of a mailbox that does not exist, from all clients together, per window: past
         * it every look-up is refused until the window ends. Guessing a 100-bit secret is hopeless
         * either way; this bounds a guessing network too.
         */
        readFailuresOverall: z.number().int().min(1).max(1_000_000).default(1000),
        /** Melder answers from one client per window. */
        answersPerClient: z.number().int().min(1).max(1000).default(20),
        /** Counsellor replies from one client per window. */
        repliesPerClient: z.number().int().min(1).max(10_000).default(60),
      })
      .strict()
      .default({}),
  })
  .strict();
export type FollowUpSettings = z.infer<typeof FollowUpSettings>;

export const Config = z
  .object({
    organisation: z
      .object({
        name: DisplayText(BOUNDS.organisationName),
        contacts: z
          .array(OrganisationContact)
          .max(
            BOUNDS.contacts,
            `at most ${BOUNDS.contacts} contacts (what Slack and Teams can show in one step)`,
          )
          .default([]),
      })
      .strict(),
    defaultLocale: Locale.default("nl"),
    /** Minutes a draft may sit idle before it is wiped. */
    idleTimeoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    counsellors: z
      .array(Counsellor)
      .min(1)
      .max(
        BOUNDS.counsellors,
        `at most ${BOUNDS.counsellors} counsellors (what Slack and Teams can show in one step)`,
      ),
    /** Counsellor used for "no preference"; when absent, "no preference" is not offered. */
    defaultCounsellor: z.string().optional(),
    handoff: z
      .object({
        /** Bot signing key (armored private key). Passphrase, if any, from the named env var. */
        signingKeyPath: z.string().optional(),
        signingPassphraseEnv: z.string().optional(),
        /** Hide recipient key ids in the ciphertext (GnuPG then tries every secret key). */
        hideRecipients: z.boolean().default(false),
        /**
         * Deliver each handoff after a random delay of up to this many minutes (0: at once).
         * The defence against an admin matching the moment of sending in Slack's or Microsoft's
         * logs with the moment of delivery in the mail server's.
         */
        deliveryDelayMinutes: z
          .number()
          .int()
          .min(0)
          .max(24 * 60)
          .default(0),
      })
      .strict()
      .default({}),
    web: WebSettings.default({}),
    followUp: FollowUpSettings.default({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.counsellors.forEach((c, i) => {
      if (ids.has(c.id)) {
        ctx.addIssue({ code: "custom", path: ["counsellors", i, "id"], message: `duplicate id "${c.id}"` });
      }
      ids.add(c.id);
    });
    if (cfg.defaultCounsellor && !ids.has(cfg.defaultCounsellor)) {
      ctx.addIssue({
        code: "custom",
        path: ["defaultCounsellor"],
        message: `names no configured counsellor ("${cfg.defaultCounsellor}")`,
      });
    }
  });
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;

/** The mailbox is offered when the web page is on and followUp.enabled is not switched off. */
export const followUpEnabled = (config: Pick<Config, "web" | "followUp">): boolean =>
  config.web.enabled && config.followUp.enabled;
