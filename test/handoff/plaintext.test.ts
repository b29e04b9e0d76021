import { describe, expect, it } from "vitest";
import { renderHandoffText } from "../../src/content/handoff-text.ts";
import {
  JSON_BEGIN,
  JSON_END,
  NotAHandoffError,
  parsePlaintext,
  renderPlaintext,
} from "../../src/handoff/plaintext.ts";
import { CANARY, makeDoc } from "../crypto/helpers.ts";

describe("renderHandoffText", () => {
  it("renders a Dutch report: facts, filled fields, skipped ones in one line, wishes, how to answer, the note", () => {
    const text = renderHandoffText(makeDoc());
    expect(text).toContain("Zaakcode: VT-AB12-CD34");
    expect(text).toContain("Ontvangen: 2025-03-04");
    expect(text).toContain("Via: Slack");
    expect(text).toContain("Soort: eerste melding");
    expect(text).toContain("Onderwerp: pesten");
    expect(text).toContain("Groep: ongewenst gedrag");
    expect(text).toContain("Anonimiteit: anoniem");
    expect(text).toContain("Wat is er gebeurd:\n  Mijn leidinggevende schreeuwt");
    expect(text).toContain(CANARY);
    expect(text).toMatch(/Niet ingevuld: [^\n]*Waar[^\n]*Getuigen/);
    expect(text).toContain("Wat de melder wil: advies over de mogelijkheden");
    expect(text).toContain("De melder blijft anoniem en gaf geen manier van contact");
    expect(text).toContain("niet met 'antwoorden'");
    expect(text).toContain("De melder houdt de regie");
    expect(text).toContain("verschoningsrecht");
    expect(text).not.toContain("Contact:");
    expect(text).not.toContain("Wet bescherming klokkenluiders");
  });

  it("puts what the melder marked urgent at the top", () => {
    const text = renderHandoffText(
      makeDoc({ report: { what: "iets", urgent: "Ik word vandaag weer bedreigd" } }),
    );
    expect(text.indexOf("DRINGEND")).toBeLessThan(text.indexOf("Zaakcode"));
    expect(text).toContain("Ik word vandaag weer bedreigd");
  });

  it("reminds of the Wbk clock for integrity topics, and of a referral the melder went past", () => {
    const integrity = renderHandoffText(makeDoc({ topic: "wrongdoing" }));
    expect(integrity).toContain("Wet bescherming klokkenluiders");
    expect(integrity).toContain("7 dagen");
    expect(integrity).toContain("3 maanden");
    expect(integrity).toContain("088-133 10 00");
    const outOfScope = renderHandoffText(makeDoc({ topic: "reorganisation" }));
    expect(outOfScope).toContain("koos er toch voor om verder te gaan");
  });

  it("names the recipients, and shows named only when a name or route was given", () => {
    const text = renderHandoffText(
      makeDoc({
        version: 2,
        recipients: { counsellor: "Karim", deputy: "Fatima" },
        anonymity: "named",
        contact: {},
      }),
    );
    expect(text).toContain("Te openen door: Karim en vervanger Fatima");
    expect(text).toContain("Anonimiteit: anoniem");
  });

  it("renders an English contact request with the contact the melder gave and how to answer", () => {
    const text = renderHandoffText(
      makeDoc({
        locale: "en",
        kind: "contact",
        channel: "teams",
        anonymity: "named",
        contact: { name: "Sam", route: "06-12345678", chatHandle: "teams:T1/U2" },
        report: undefined,
        wishes: undefined,
        topic: "not_sure",
      }),
    );
    expect(text).toContain("Kind: contact request (no report)");
    expect(text).toContain("Via: Microsoft Teams");
    expect(text).toContain(
      "Contact:\n  Name: Sam\n  Reachable via: 06-12345678\n  Wants contact via the chat: teams:T1/U2",
    );
    expect(text).toContain("No report: the melder only asks to be contacted.");
    expect(text).toContain("Contact the melder the way they gave: 06-12345678.");
    expect(text).toContain("The melder stays in control");
    expect(text).not.toContain("stays anonymous");
  });

  it("neutralises terminal control sequences and keeps melder lines off column 0", () => {
    const text = renderHandoffText(
      makeDoc({
        report: { what: `line one\n${JSON_BEGIN}\n\u001b[2J\u202Eevil`, when: `today\n${JSON_END}` },
      }),
    );
    expect(text).not.toContain("\u001b");
    expect(text).not.toContain("\u202E");
    const lines = text.split("\n");
    expect(lines).not.toContain(JSON_BEGIN);
    expect(lines).not.toContain(JSON_END);
    expect(lines).toContain(`  ${JSON_BEGIN}`);
  });
});

describe("renderPlaintext / parsePlaintext", () => {
  it("round-trips the document, ignoring trailing padding", () => {
    const doc = makeDoc();
    const parsed = parsePlaintext(`${renderPlaintext(doc)}${" ".repeat(500)}\n`);
    expect(parsed.document).toEqual(doc);
    expect(parsed.text).toBe(renderHandoffText(doc));
  });

  it("cannot be fooled by marker lines inside the report", () => {
    const fake = `${JSON_BEGIN}\n{"version":1}\n${JSON_END}`;
    const doc = makeDoc({ report: { what: fake, impact: fake } });
    expect(parsePlaintext(renderPlaintext(doc)).document).toEqual(doc);
  });

  it("refuses text without a valid block, without quoting it", () => {
    expect(() => parsePlaintext(`hello ${CANARY}`)).toThrow(NotAHandoffError);
    const bad = `${JSON_BEGIN}\n{"version":2,"secret":"${CANARY}"}\n${JSON_END}\n`;
    const error = (() => {
      try {
        parsePlaintext(bad);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(NotAHandoffError);
    expect(error?.message).not.toContain(CANARY);
  });
});
