/**
 * Domain vocabulary shared by the flow, the handoff document and the catalogs.
 * Ids only: the words a person reads live in src/content.
 */

/** Locales the product speaks. Dutch first. */
export const LOCALES = ["nl", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** In scope: unwanted behaviour and integrity issues (domain.md "In scope"). */
export const IN_SCOPE_TOPICS = [
  "aggression",
  "sexual_harassment",
  "intimidation",
  "bullying",
  "discrimination",
  "integrity",
  "wrongdoing",
  "other_conduct",
] as const;

/** Out of scope as such; the melder gets a kind referral and may continue anyway. */
export const OUT_OF_SCOPE_TOPICS = [
  "performance",
  "reorganisation",
  "labour_dispute",
  "private_matter",
] as const;

export type OutOfScopeTopicId = (typeof OUT_OF_SCOPE_TOPICS)[number];

/** The melder does not know yet, or would rather not say: both are fine and lead on. */
export const UNSPECIFIED_TOPICS = ["not_sure", "prefer_not_say"] as const;

export const TOPICS = [...IN_SCOPE_TOPICS, ...OUT_OF_SCOPE_TOPICS, ...UNSPECIFIED_TOPICS] as const;
export type TopicId = (typeof TOPICS)[number];
export const isOutOfScope = (t: TopicId): boolean => (OUT_OF_SCOPE_TOPICS as readonly string[]).includes(t);

/**
 * Coarse groups of topics: what a counsellor's register and annual report count, and what
 * decides the Wet bescherming klokkenluiders clock (integrity reports only).
 */
export const TOPIC_GROUPS = ["unwanted_behaviour", "integrity", "out_of_scope", "unspecified"] as const;
export type TopicGroup = (typeof TOPIC_GROUPS)[number];
export function topicGroup(t: TopicId): TopicGroup {
  if (t === "integrity" || t === "wrongdoing") return "integrity";
  if (isOutOfScope(t)) return "out_of_scope";
  if ((UNSPECIFIED_TOPICS as readonly string[]).includes(t)) return "unspecified";
  return "unwanted_behaviour";
}

/** What the melder wants, from "only to be heard" to "a formal complaint". */
export const WISHES = ["heard", "advice", "informal", "mediation", "complaint", "not_sure"] as const;
export type WishId = (typeof WISHES)[number];

/** Report fields. Every one can be skipped. Limits are characters. */
export const REPORT_FIELDS = [
  { id: "what", multiline: true, maxLength: 10_000 },
  { id: "when", multiline: false, maxLength: 500 },
  { id: "where", multiline: false, maxLength: 500 },
  { id: "who", multiline: true, maxLength: 2_000 },
  { id: "witnesses", multiline: true, maxLength: 2_000 },
  { id: "impact", multiline: true, maxLength: 5_000 },
  { id: "urgent", multiline: true, maxLength: 2_000 },
] as const;
export type ReportFieldId = (typeof REPORT_FIELDS)[number]["id"];
export type ReportText = Partial<Record<ReportFieldId, string>>;

/** Contact details the melder types themselves when they choose to be named. */
export const CONTACT_FIELDS = [
  { id: "name", multiline: false, maxLength: 200 },
  { id: "route", multiline: false, maxLength: 300 },
] as const;
export type ContactFieldId = (typeof CONTACT_FIELDS)[number]["id"];

export interface ContactDetails {
  name?: string;
  /** Phone number or private e-mail, typed by the melder. */
  route?: string;
  /** The melder asked to be contacted in this chat; the core adds the platform handle at seal time. */
  viaChat?: boolean;
}

export type Identity = "anonymous" | "named";
export type Mode = "contact" | "report";
export type Channel = "console" | "slack" | "teams" | "web";

/** The short information screens, one idea each (reachable from "information" and from help). */
export const INFO_SCREENS = [
  "role",
  "notDo",
  "choices",
  "kinds",
  "who",
  "protection",
  "retention",
  "counsellors",
] as const;
export type InfoScreen = (typeof INFO_SCREENS)[number];

/**
 * Where the flows run: in a chat platform (Slack, Teams, the terminal; the server keeps the
 * records) or on the secure web page (the melder's browser keeps everything in memory). The
 * steps are the same; a few texts differ, because what is kept and who can see it differs.
 */
export type Surface = "chat" | "web";
