/**
 * The config's bounds (src/config/bounds.ts): the largest config the schema accepts is exactly
 * what test/platform renders; one more counsellor or character is refused with a line that names
 * the field.
 */
import { describe, expect, it } from "vitest";
import { splitText } from "../../adapters/slack/blocks.ts";
import { BOUNDS } from "../../src/config/bounds.ts";
import { type ConfigError, parseConfig } from "../../src/config/load.ts";
import { Config } from "../../src/config/schema.ts";
import { maxConfig } from "../platform/configs.ts";

const problems = (input: unknown): string[] => {
  try {
    parseConfig(JSON.stringify(input), "c.json");
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe("config bounds", () => {
  const max = JSON.parse(JSON.stringify(maxConfig())) as Config;

  it("accepts a config with every value at its bound", () => {
    expect(problems(max)).toEqual([]);
    expect(max.counsellors).toHaveLength(BOUNDS.counsellors);
    expect(max.organisation.contacts).toHaveLength(BOUNDS.contacts);
  });

  it("refuses one counsellor, contact or character more, naming the field", () => {
    const over = (change: (c: Config) => void) => {
      const c = structuredClone(max);
      change(c);
      return problems(c);
    };
    const extra = { ...max.counsellors[0], id: "one-more" };
    expect(over((c) => c.counsellors.push(extra as never))).toEqual([
      expect.stringMatching(/^counsellors: at most 8 counsellors/),
    ]);
    expect(over((c) => c.organisation.contacts.push(c.organisation.contacts[0] as never))).toEqual([
      expect.stringMatching(/^organisation\.contacts: at most 6 contacts/),
    ]);
    expect(over((c) => (c.counsellors[1]!.name += "x"))).toEqual([
      expect.stringMatching(/^counsellors\.1\.name: at most 60 characters/),
    ]);
    expect(over((c) => (c.counsellors[2]!.introduction.en += "x"))).toEqual([
      expect.stringMatching(/^counsellors\.2\.introduction\.en: at most 350 characters/),
    ]);
    expect(over((c) => (c.organisation.name += "x"))).toEqual([
      expect.stringMatching(/^organisation\.name: at most 80 characters/),
    ]);
    expect(over((c) => (c.counsellors[0]!.reachVia!.nl += "x"))).toEqual([
      expect.stringMatching(/^counsellors\.0\.reachVia\.nl: at most 150/),
    ]);
  });

  it("allows a few lines in an introduction only, and no control characters anywhere", () => {
    const c = structuredClone(max);
    c.counsellors[0]!.introduction.nl = "a\nb\nc\nd\ne";
    c.counsellors[1]!.name = "Anna\nB";
    c.counsellors[2]!.introduction.nl = "Hallo\u0007";
    c.organisation.name = "Org\u202e";
    expect(problems(c)).toEqual([
      "organisation.name: must not contain control characters",
      "counsellors.0.introduction.nl: at most 4 lines",
      "counsellors.1.name: must be one line",
      "counsellors.2.introduction.nl: must not contain control characters",
    ]);
  });

  it("normalises Windows line breaks and trims, and takes each language once", () => {
    const c = structuredClone(max);
    c.counsellors[0]!.introduction.nl = "  Regel een\r\nRegel twee  ";
    expect(Config.parse(c).counsellors[0]?.introduction.nl).toBe("Regel een\nRegel twee");
    c.counsellors[0]!.languages = ["nl", "nl"];
    expect(problems(c)).toEqual(["counsellors.0.languages: each language once"]);
  });

  it("keeps phone numbers and web addresses free of markup", () => {
    const c = structuredClone(max);
    c.organisation.contacts[0]!.phone = "*112*";
    c.organisation.contacts[1]!.url = "https://example.org/a b";
    c.organisation.contacts[2]!.url = "https://example.org/\\x";
    expect(problems(c).map((p) => p.split(":")[0])).toEqual([
      "organisation.contacts.0.phone",
      "organisation.contacts.1.url",
      "organisation.contacts.2.url",
    ]);
  });
});

describe("Slack section splitting", () => {
  it("never cuts an escape or an emoji in two", () => {
    const escaped = "&amp;".repeat(1000);
    for (const chunk of splitText(escaped, 2900)) expect(chunk).toMatch(/^(&amp;)+$/);
    const emoji = `x${"😀".repeat(2000)}`;
    const chunks = splitText(emoji, 2900);
    expect(chunks.join("")).toBe(emoji);
    for (const chunk of chunks) expect(chunk).not.toMatch(/[\ud800-\udbff]$/);
  });
});
