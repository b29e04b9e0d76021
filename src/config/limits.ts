/**
 * Which parts of a valid config are close to the schema's bounds (src/config/bounds.ts), for
 * `vertrouwd doctor`: within 10% of a bound the config still works everywhere, but there is
 * little room left, and the largest Teams card may pass the 28 KB card warning.
 */
import { BOUNDS, type BoundName } from "./bounds.ts";
import type { Config, LocalisedText } from "./schema.ts";

/** A value counts as near its bound from this share of it. */
export const NEAR = 0.9;

export interface NearLimit {
  field: string;
  value: number;
  bound: number;
  unit: "characters" | "counsellors" | "contacts";
}

export function nearLimits(config: Config): NearLimit[] {
  const out: NearLimit[] = [];
  const check = (field: string, value: number, bound: BoundName, unit: NearLimit["unit"] = "characters") => {
    if (value >= Math.ceil(BOUNDS[bound] * NEAR)) out.push({ field, value, bound: BOUNDS[bound], unit });
  };
  const localised = (field: string, text: LocalisedText | undefined, bound: BoundName) => {
    for (const [locale, s] of Object.entries(text ?? {})) if (s) check(`${field}.${locale}`, s.length, bound);
  };
  check("organisation.name", config.organisation.name.length, "organisationName");
  check("organisation.contacts", config.organisation.contacts.length, "contacts", "contacts");
  config.organisation.contacts.forEach((c, i) => {
    localised(`organisation.contacts.${i}.name`, c.name, "contactName");
    localised(`organisation.contacts.${i}.note`, c.note, "contactNote");
    if (c.url) check(`organisation.contacts.${i}.url`, c.url.length, "contactUrl");
  });
  check("counsellors", config.counsellors.length, "counsellors", "counsellors");
  config.counsellors.forEach((c, i) => {
    check(`counsellors.${i}.name`, c.name.length, "name");
    if (c.deputy) check(`counsellors.${i}.deputy.name`, c.deputy.name.length, "name");
    localised(`counsellors.${i}.introduction`, c.introduction, "introduction");
    localised(`counsellors.${i}.reachVia`, c.reachVia, "reachVia");
  });
  return out;
}

/** One admin-readable line per near limit. */
export function describeNearLimit(n: NearLimit): string {
  return `config ${n.field}: ${n.value} of at most ${n.bound} ${n.unit} — close to what Slack and Teams can show in one step (see src/config/bounds.ts)`;
}
