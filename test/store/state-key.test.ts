import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  StateKeyConfigError,
  generateStateKey,
  keyId,
  openState,
  parseServerSecret,
  parseStateKeys,
  sealState,
} from "../../src/store/state-key.ts";

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StateKeyConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a StateKeyConfigError");
}

describe("parseStateKeys", () => {
  it("parses a comma-separated list, newest first, tolerating spaces", () => {
    const a = generateStateKey();
    const b = randomBytes(32).toString("base64url");
    const keys = parseStateKeys(` ${a} , ${b}`, { required: true });
    expect(keys).toHaveLength(2);
    expect(keys[0]?.toString("base64")).toBe(a);
    expect(keys[1]?.toString("base64url")).toBe(b);
  });

  it("requires a value when asked to, naming the variable and how to make one", () => {
    const message = messageOf(() => parseStateKeys(undefined, { required: true }));
    expect(message).toContain("VERTROUWD_STATE_KEY");
    expect(message).toContain("openssl rand -base64 32");
    expect(() => parseStateKeys("  ", { required: true })).toThrow(StateKeyConfigError);
  });

  it("generates an ephemeral key when not required and absent", () => {
    const [first, second] = [
      parseStateKeys(undefined, { required: false }),
      parseStateKeys("", { required: false }),
    ];
    expect(first).toHaveLength(1);
    expect(first[0]).toHaveLength(32);
    expect(first[0]?.equals(second[0] as Buffer)).toBe(false);
  });

  it("reports a wrong length, bad base64, an empty entry and duplicates without echoing the value", () => {
    const short = randomBytes(16).toString("base64");
    const bad = "not*base64!!secretish";
    const good = generateStateKey();
    const cases: Array<[string, RegExp]> = [
      [short, /entry 1 of 1 decodes to 16 bytes; expected 32/],
      [`${good},${bad}`, /entry 2 of 2 is not valid base64/],
      [`${good},`, /entry 2 of 2 is empty/],
      [`${good},${good}`, /entry 2 of 2 repeats an earlier key/],
      [good.slice(0, -3), /not valid base64|decodes to/],
    ];
    for (const [value, expected] of cases) {
      const message = messageOf(() => parseStateKeys(value, { required: true }));
      expect(message).toMatch(expected);
      expect(message).toContain("VERTROUWD_STATE_KEY");
      for (const part of value.split(",")) if (part) expect(message).not.toContain(part);
    }
  });
});

describe("parseServerSecret", () => {
  it("accepts base64 of at least 32 bytes", () => {
    const secret = randomBytes(48);
    expect(parseServerSecret(secret.toString("base64"), { required: true }).equals(secret)).toBe(true);
  });

  it("requires it with Redis and explains, without echoing a bad value", () => {
    expect(messageOf(() => parseServerSecret(undefined, { required: true }))).toContain(
      "VERTROUWD_SERVER_SECRET",
    );
    const weak = randomBytes(8).toString("base64");
    const message = messageOf(() => parseServerSecret(weak, { required: true }));
    expect(message).toMatch(/decodes to 8 bytes; expected at least 32/);
    expect(message).not.toContain(weak);
    expect(messageOf(() => parseServerSecret("hunter2 is my password", { required: true }))).not.toContain(
      "hunter2",
    );
  });

  it("makes a random one when not required", () => {
    expect(parseServerSecret(undefined, { required: false })).toHaveLength(32);
  });
});

describe("sealState / openState", () => {
  const key = randomBytes(32);
  const aad = "vertrouwd:draft:v1:conv-a";

  it("round-trips and never contains the plaintext", () => {
    const plaintext = '{"report":"CANARY-plain ünïcode"}';
    const sealed = sealState([key], plaintext, aad);
    expect(sealed).not.toContain("CANARY");
    expect(sealed.startsWith(`v1.${keyId(key)}.`)).toBe(true);
    expect(openState([key], sealed, aad)).toEqual({ ok: true, plaintext });
    // A fresh IV every time.
    expect(sealState([key], plaintext, aad)).not.toBe(sealed);
  });

  it("seals with the newest key and opens with any configured key", () => {
    const newer = randomBytes(32);
    const old = sealState([key], "old", aad);
    const fresh = sealState([newer, key], "new", aad);
    expect(fresh.split(".")[1]).toBe(keyId(newer));
    expect(openState([newer, key], old, aad)).toEqual({ ok: true, plaintext: "old" });
    expect(openState([key], fresh, aad)).toEqual({ ok: false, reason: "unknown-key" });
  });

  it("refuses another AAD, tampering and garbage", () => {
    const sealed = sealState([key], "x", aad);
    expect(openState([key], sealed, "vertrouwd:draft:v1:conv-b")).toEqual({
      ok: false,
      reason: "auth-failed",
    });
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[4] as string, "base64url");
    flipped[0] = (flipped[0] as number) ^ 1;
    parts[4] = flipped.toString("base64url");
    expect(openState([key], parts.join("."), aad)).toEqual({ ok: false, reason: "auth-failed" });
    expect(openState([key], "garbage", aad)).toEqual({ ok: false, reason: "malformed" });
    expect(openState([key], `v1.${keyId(key)}.AA.BB.CC`, aad)).toEqual({ ok: false, reason: "malformed" });
  });
});
