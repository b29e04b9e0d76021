/**
 * The configurations the conformance suite renders: the demo config, and configs at exactly the
 * schema's bounds (src/config/bounds.ts) — built from BOUNDS, so raising a bound there makes
 * these configs larger and the suite checks the renderers against it at once.
 *
 * - "max-plain": every text at its bound in ordinary writing;
 * - "max": every text at its bound, ordinary words mixed with every character a platform reads
 *   as markup (`& < > * _ \` [ ] \\`), emoji and accents;
 * - "max-escape": every text at its bound made only of the characters that cost the most once
 *   escaped (a backslash: `\\\\` in Teams markdown, four characters of JSON; `&` in Slack: `&amp;`).
 */
import { BOUNDS } from "../../src/config/bounds.ts";
import { Config, type ConfigInput } from "../../src/config/schema.ts";
import { sharedDemo } from "../support/app.ts";

/** Ordinary text with every troublesome character, cut to exactly `length` units. */
const MIXED =
  "Zoë & <Partners> *vet* _schuin_ `code` [link](https://x.example) \\ ~ # | > 😀 " +
  "vertrouwenspersoon, luistert naar je en denkt mee. ";

export function filler(length: number, pattern = MIXED, lines = 1): string {
  const per = Math.floor(length / lines);
  const parts: string[] = [];
  for (let i = 0; i < lines; i++) {
    const want = i === lines - 1 ? length - (per + 1) * (lines - 1) : per;
    let s = "";
    while (s.length < want) s += pattern;
    s = s.slice(0, want);
    // Never end on half of a surrogate pair, nor on a space the schema would trim.
    if (/[\ud800-\udbff]$/.test(s) || /\s$/.test(s)) s = `${s.slice(0, -1)}x`;
    if (/^\s/.test(s)) s = `x${s.slice(1)}`;
    parts.push(s);
  }
  return parts.join("\n");
}

/** Ordinary Dutch writing, nothing to escape. */
export const PLAIN = "Werkt al jaren als vertrouwenspersoon en luistert zonder oordeel naar je verhaal. ";

const FINGERPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";

export function maxConfig(pattern?: string): Config {
  const text = (n: number, lines = 1) => filler(n, pattern, lines);
  const id = (i: number) => `${"c".repeat(37)}-${String(i).padStart(2, "0")}`;
  const input: ConfigInput = {
    organisation: {
      name: text(BOUNDS.organisationName),
      contacts: Array.from({ length: BOUNDS.contacts }, (_, i) => ({
        kind: i % 2 === 0 ? "companyDoctor" : "other",
        name: { nl: text(BOUNDS.contactName), en: text(BOUNDS.contactName) },
        phone: `+31 ${"0".repeat(BOUNDS.contactPhone - 4)}`,
        url: `https://example.org/${"p".repeat(BOUNDS.contactUrl - 21)}`,
        note: { nl: text(BOUNDS.contactNote), en: text(BOUNDS.contactNote) },
        urgent: true,
      })),
    },
    defaultLocale: "nl",
    idleTimeoutMinutes: 24 * 60,
    counsellors: Array.from({ length: BOUNDS.counsellors }, (_, i) => ({
      id: id(i),
      name: text(BOUNDS.name),
      kind: i % 2 === 0 ? "internal" : "external",
      languages: ["nl", "en"],
      introduction: {
        nl: text(BOUNDS.introduction, BOUNDS.introductionLines),
        en: text(BOUNDS.introduction, BOUNDS.introductionLines),
      },
      reachVia: { nl: text(BOUNDS.reachVia), en: text(BOUNDS.reachVia) },
      key: { publicKeyPath: `${id(i)}.asc`, fingerprint: FINGERPRINT },
      deputy: { name: text(BOUNDS.name), publicKeyPath: "deputy.asc", fingerprint: FINGERPRINT },
      delivery: { type: "outbox", dir: "outbox" },
    })),
    defaultCounsellor: id(0),
    handoff: { deliveryDelayMinutes: 24 * 60 },
    // The chat's link button to the secure web page, at its longest address.
    web: {
      enabled: true,
      publicUrl: `https://meld.example.org/${"w".repeat(BOUNDS.webPublicUrl - 26)}/`,
    },
  };
  return Config.parse(input);
}

export interface NamedConfig {
  name: string;
  config: Config;
}

export async function configs(): Promise<NamedConfig[]> {
  const demo = await sharedDemo();
  return [
    { name: "demo", config: demo.config },
    { name: "max-plain", config: maxConfig(PLAIN) },
    { name: "max", config: maxConfig() },
    // Backslashes cost the most in Teams, `&` in Slack: half of each.
    { name: "max-escape", config: maxConfig("\\&") },
  ];
}
