/**
 * The counsellor's key after it expires: the register stays readable (signatures are checked
 * for the moment they were made), and writing stops with a clear, one-line reason.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { describe, expect, it } from "vitest";
import { seal } from "../../src/crypto/seal.ts";
import { DeskError } from "../../src/desk/errors.ts";
import { DeskKey, UntrustedEntryError } from "../../src/desk/key.ts";
import { MESSAGE_TYPES } from "../../src/desk/message-types.ts";
import { updateRegister } from "../../src/desk/register.ts";

const DAY = 86_400_000;

describe("an expired counsellor key", () => {
  it("still reads what it wrote, and refuses to write more", async () => {
    const made = new Date(Date.now() - 30 * DAY);
    const { privateKey } = await openpgp.generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ name: "Anna" }],
      format: "object",
      date: made,
      keyExpirationTime: 10 * 24 * 3600,
    });
    // An entry written while the key was valid (as the desk writes it: to and by the same key).
    const day = new Date(made.getTime() + 2 * DAY).toISOString().slice(0, 10);
    const { armored } = await seal(new TextEncoder().encode('{"written":"before expiry"}'), {
      recipients: [privateKey.toPublic()],
      day,
      signingKey: privateKey,
    });
    const key = await DeskKey.unlock(privateKey.armor());
    expect(JSON.parse(await key.openEntry(armored))).toEqual({ written: "before expiry" });
    expect(key.writeProblem).toMatch(/no usable encryption subkey \(expired or revoked\?\); extend it/);

    const dir = await mkdtemp(path.join(tmpdir(), "vt-desk-key-"));
    try {
      const ctx = { dir: path.join(dir, "register"), key, types: MESSAGE_TYPES, now: () => new Date() };
      await expect(updateRegister(ctx, async () => undefined, { create: true })).rejects.toThrow(DeskError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("does not accept an entry signed by another key, even one encrypted to it", async () => {
    const gen = () =>
      openpgp.generateKey({
        type: "ecc",
        curve: "curve25519Legacy",
        userIDs: [{ name: "x" }],
        format: "object",
      });
    const [mine, theirs] = await Promise.all([gen(), gen()]);
    const today = new Date().toISOString().slice(0, 10);
    const { armored } = await seal(new TextEncoder().encode("{}"), {
      recipients: [mine.privateKey.toPublic()],
      day: today,
      signingKey: theirs.privateKey,
    });
    const key = await DeskKey.unlock(mine.privateKey.armor());
    await expect(key.openEntry(armored)).rejects.toThrow(UntrustedEntryError);
    const unsigned = await seal(new TextEncoder().encode("{}"), {
      recipients: [mine.privateKey.toPublic()],
      day: today,
    });
    await expect(key.openEntry(unsigned.armored)).rejects.toThrow(UntrustedEntryError);
  });
});
