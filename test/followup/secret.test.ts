/**
 * The mailbox secret R: 100 random bits, a check character that catches every single-character
 * typo and every swap of neighbours (exhaustively, on many secrets), tolerant input, and the
 * derivations: stable (a fixed vector, also met by the browser in test/e2e/mailbox.test.ts),
 * independent of how R was typed, and distinct for the id and the passphrase.
 */
import { describe, expect, it } from "vitest";
import {
  MAILBOX_ID,
  SECRET_BITS,
  SECRET_LENGTH,
  deriveMailbox,
  formatSecret,
  newSecret,
  parseSecret,
} from "../../src/followup/secret.ts";
import { CODE_ALPHABET } from "../../src/handoff/case.ts";

describe("the mailbox secret", () => {
  it("has at least 90 bits, shown in groups of four", () => {
    expect(SECRET_BITS).toBeGreaterThanOrEqual(90);
    const r = newSecret();
    expect(r).toHaveLength(SECRET_LENGTH);
    expect(formatSecret(r)).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}-[0-9A-Z]$/);
    expect(parseSecret(r)).toEqual({ ok: true, canonical: r });
    expect(new Set(Array.from({ length: 200 }, newSecret)).size).toBe(200);
  });

  it("catches every single mistyped character and every swap of two neighbours", () => {
    for (let n = 0; n < 60; n++) {
      const r = newSecret();
      for (let i = 0; i < r.length; i++) {
        for (const c of CODE_ALPHABET) {
          if (c === r[i]) continue;
          const typo = r.slice(0, i) + c + r.slice(i + 1);
          expect(parseSecret(typo)).toEqual({ ok: false, problem: "check" });
        }
      }
      for (let i = 0; i + 1 < r.length; i++) {
        if (r[i] === r[i + 1]) continue;
        const swapped = r.slice(0, i) + r[i + 1] + r[i] + r.slice(i + 2);
        expect(parseSecret(swapped)).toEqual({ ok: false, problem: "check" });
      }
    }
  });

  it("reads what a person types: any case, spaces and dashes, I and L as 1, O as 0", () => {
    const r = newSecret()
      .replace(/^./, "1")
      .replace(/(?<=^.{5})./, "0");
    // Make the check character fit again after the edits.
    const fixed = [...CODE_ALPHABET].map((c) => r.slice(0, -1) + c).find((s) => parseSecret(s).ok) as string;
    const typed = ` ${formatSecret(fixed)
      .toLowerCase()
      .replace(/^1/, "l")
      .replace(/(?<=^.{6})0/, "O")} `;
    expect(parseSecret(typed)).toEqual({ ok: true, canonical: fixed });
    expect(parseSecret(typed.replace(/-/g, " "))).toEqual({ ok: true, canonical: fixed });
    expect(parseSecret("")).toEqual({ ok: false, problem: "empty" });
    expect(parseSecret("ABCD-EFGH")).toEqual({ ok: false, problem: "length" });
    expect(parseSecret(`${fixed.slice(0, -1)}U`)).toEqual({ ok: false, problem: "character" });
    expect(parseSecret(`${fixed}0`)).toEqual({ ok: false, problem: "length" });
  });

  it("derives a stable mailbox id and a different passphrase, whatever the spelling", async () => {
    const vector = "0123456789ABCDEFGHJK";
    const check = [...CODE_ALPHABET].find((c) => parseSecret(vector + c).ok) as string;
    const r = vector + check;
    const a = await deriveMailbox(r);
    const b = await deriveMailbox(formatSecret(r).toLowerCase());
    expect(a).toEqual(b);
    expect(a.mailboxId).toMatch(MAILBOX_ID);
    expect(a.passphrase).not.toBe(a.mailboxId);
    // The fixed vector: a change of algorithm would lock every melder out of their mailbox.
    expect(r).toBe("0123456789ABCDEFGHJKJ");
    expect(a.mailboxId).toBe(MAILBOX_VECTOR);
    await expect(deriveMailbox(`${r.slice(0, -1)}0`)).rejects.toThrow(RangeError);
  });
});

const MAILBOX_VECTOR = "X047ykwmZdYriN5TDAThx_qM3yAVJVG4wAdJ6GOagCY";
