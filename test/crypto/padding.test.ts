import * as openpgp from "openpgp";
import { beforeAll, describe, expect, it } from "vitest";
import { PAD_BUCKETS, bucketFor, padding } from "../../src/crypto/padding.ts";
import { openHandoff } from "../../src/handoff/open.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { dearmor, generateEccKey, makeDoc } from "./helpers.ts";

describe("bucketFor / padding", () => {
  it("picks the smallest bucket that fits, then multiples of the largest", () => {
    expect(bucketFor(0)).toBe(4096);
    expect(bucketFor(4096)).toBe(4096);
    expect(bucketFor(4097)).toBe(16384);
    expect(bucketFor(65536)).toBe(65536);
    expect(bucketFor(262145)).toBe(2 * 262144);
    expect(() => bucketFor(-1)).toThrow(RangeError);
  });

  it("produces exactly the requested number of bytes", () => {
    for (const n of [0, 1, 2, 100, 5000]) {
      expect(new TextEncoder().encode(padding(n)).length).toBe(n);
    }
  });
});

/** A report text of exactly `length` UTF-16 code units (what the schema's max counts). */
function textOf(kind: "ascii" | "accented" | "emoji", length: number): string {
  if (kind === "ascii") return "a".repeat(length);
  if (kind === "accented") return "é".repeat(length);
  return "🦊".repeat(Math.floor(length / 2)) + (length % 2 ? "x" : "");
}

describe("sealed size does not leak the report length", () => {
  let recipient: openpgp.PublicKey;
  let privateKeyArmored: string;
  let signingKey: openpgp.PrivateKey;

  beforeAll(async () => {
    const [counsellor, bot] = await Promise.all([
      generateEccKey("Pad Counsellor"),
      generateEccKey("Pad Bot"),
    ]);
    recipient = await openpgp.readKey({ armoredKey: counsellor.publicKey });
    privateKeyArmored = counsellor.privateKey;
    signingKey = await openpgp.readPrivateKey({ armoredKey: bot.privateKey });
  });

  it("reports of 1 to 10,000 characters (ASCII, é, emoji) give at most 4 distinct ciphertext sizes", async () => {
    const lengths = [
      1, 2, 3, 7, 10, 50, 99, 100, 250, 500, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 7500, 9000,
    ];
    lengths.push(9999, 10_000);
    const sizes = new Set<number>();
    const armoredSizes = new Set<number>();
    for (const kind of ["ascii", "accented", "emoji"] as const) {
      for (const length of lengths) {
        const doc = makeDoc({ report: { what: textOf(kind, length) } });
        const { armored } = await sealHandoff(doc, { recipients: [recipient], signingKey });
        sizes.add(dearmor(armored).length);
        armoredSizes.add(armored.length);
      }
    }
    expect(sizes.size).toBeLessThanOrEqual(4);
    expect(armoredSizes.size).toBe(sizes.size);
    for (const size of sizes) expect(PAD_BUCKETS).toContain(size);
  });

  it("the padded handoff still opens to the exact document, at the bucket edges too", async () => {
    for (const what of [textOf("emoji", 10_000), textOf("accented", 1), "x"]) {
      const doc = makeDoc({ report: { what } });
      const { armored } = await sealHandoff(doc, { recipients: [recipient] });
      const opened = await openHandoff(armored, { privateKeyArmored });
      expect(opened.document.report?.what).toBe(what);
    }
  });
});
