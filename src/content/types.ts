import type { MessageId, Params } from "../../flows/model.ts";

/** Look up another message in the same locale (for labels inside a composed message). */
export type Lookup = (id: MessageId, params?: Params) => string;

/** A catalog entry: plain text with `{param}` placeholders, or a function for composed text. */
export type Entry = string | ((p: Params, t: Lookup) => string);

/** Typed so a missing or unknown key fails to compile. */
export type Catalog = Record<MessageId, Entry>;
