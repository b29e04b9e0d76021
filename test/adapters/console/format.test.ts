import { describe, expect, it } from "vitest";
import { formatText, wrapText } from "../../../adapters/console/format.ts";

describe("console formatting", () => {
  it("turns catalog marks into ANSI on a terminal and removes them in a pipe", () => {
    expect(formatText("*vet* en _schuin_ en `code`", false)).toBe("vet en schuin en code");
    expect(formatText("*vet*", true)).toBe("\u001b[1mvet\u001b[22m");
  });

  it("wraps at word boundaries with a hanging indent for bullets", () => {
    const wrapped = wrapText("• een twee drie vier vijf zes", 12);
    expect(wrapped.split("\n")).toEqual(["• een twee", "  drie vier", "  vijf zes"]);
    expect(wrapText("kort", 12)).toBe("kort");
  });
});
