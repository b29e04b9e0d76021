import { createHash } from "node:crypto";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAD_BUCKETS } from "../../src/crypto/padding.ts";
import { SealError } from "../../src/crypto/seal.ts";
import { OpenHandoffError, openHandoff } from "../../src/handoff/open.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import {
  CANARY,
  type GnupgHome,
  createGnupgHome,
  dearmor,
  generateEccKey,
  importSecret,
  makeDoc,
} from "./helpers.ts";

type Pair = Awaited<ReturnType<typeof generateEccKey>>;

let counsellor: Pair;
let deputy: Pair;
let bot: Pair;
let stranger: Pair;
let counsellorPublic: openpgp.PublicKey;
let deputyPublic: openpgp.PublicKey;
let botPrivate: openpgp.PrivateKey;
let botPublic: openpgp.PublicKey;
let gpgCounsellor: GnupgHome;
let gpgDeputy: GnupgHome;

beforeAll(async () => {
  [counsellor, deputy, bot, stranger] = await Promise.all([
    generateEccKey("Anna Counsellor"),
    generateEccKey("Dirk Deputy"),
    generateEccKey("Vertrouwd Bot"),
    generateEccKey("Stranger"),
  ]);
  counsellorPublic = await openpgp.readKey({ armoredKey: counsellor.publicKey });
  deputyPublic = await openpgp.readKey({ armoredKey: deputy.publicKey });
  botPrivate = await openpgp.readPrivateKey({ armoredKey: bot.privateKey });
  botPublic = await openpgp.readKey({ armoredKey: bot.publicKey });
  [gpgCounsellor, gpgDeputy] = await Promise.all([createGnupgHome(), createGnupgHome()]);
  await importSecret(gpgCounsellor, counsellor.privateKey);
  await importSecret(gpgDeputy, deputy.privateKey);
});

afterAll(async () => {
  await Promise.all([gpgCounsellor?.cleanup(), gpgDeputy?.cleanup()]);
});

/** Flips one byte inside the encrypted data packet and re-armors, so only integrity checks can notice. */
async function flipCiphertextByte(armored: string): Promise<string> {
  const copy = dearmor(armored);
  const at = copy.length - 40; // inside the SEIPD packet, near the MDC
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return openpgp.armor(openpgp.enums.armor.message, copy);
}

describe("sealHandoff", () => {
  it("seals so that real gpg --decrypt and openHandoff both read it, with the canary intact", async () => {
    const doc = makeDoc();
    const { armored, sha256 } = await sealHandoff(doc, { recipients: [counsellorPublic] });

    expect(armored).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(armored).not.toContain(CANARY);
    expect(sha256).toBe(createHash("sha256").update(armored).digest("hex"));

    const gpg = await gpgCounsellor.gpg(["--decrypt"], armored);
    expect(gpg.code, gpg.stderr).toBe(0);
    expect(gpg.stdout).toContain(CANARY);
    expect(gpg.stdout).toContain("VT-AB12-CD34");
    expect(gpg.stdout).toContain("-----BEGIN VERTROUWD HANDOFF JSON-----");

    const opened = await openHandoff(armored, { privateKeyArmored: counsellor.privateKey });
    expect(opened.document).toEqual(doc);
    expect(opened.text).toContain(CANARY);
    expect(opened.text).toContain("Zaakcode: VT-AB12-CD34");
    expect(opened.signature).toBe("absent");
  });

  it("writes SEIPDv1 (not AEAD), uncompressed, with v3 session key packets", async () => {
    const { armored } = await sealHandoff(makeDoc(), { recipients: [counsellorPublic] });
    const packets = await gpgCounsellor.gpg(["--list-packets"], armored);
    expect(packets.stdout).toContain(":pubkey enc packet: version 3");
    expect(packets.stdout).toMatch(/:encrypted data packet:\s+length: \d+\s+mdc_method: 2/);
    expect(packets.stdout).not.toContain("compressed packet");
    expect(packets.stdout).not.toContain("aead");
  });

  it("signs with the bot key so gpg reports a good signature and openHandoff verifies it", async () => {
    const { armored } = await sealHandoff(makeDoc(), {
      recipients: [counsellorPublic],
      signingKey: botPrivate,
    });
    await gpgCounsellor.gpg(["--import"], bot.publicKey);
    const gpg = await gpgCounsellor.gpg(["--decrypt"], armored);
    expect(gpg.code, gpg.stderr).toBe(0);
    expect(gpg.stderr).toContain("Good signature");

    const verified = await openHandoff(armored, {
      privateKeyArmored: counsellor.privateKey,
      verificationKeys: [botPublic],
    });
    expect(verified.signature).toBe("valid");
    const unverified = await openHandoff(armored, { privateKeyArmored: counsellor.privateKey });
    expect(unverified.signature).toBe("unverified");
    const wrongKey = await openHandoff(armored, {
      privateKeyArmored: counsellor.privateKey,
      verificationKeys: [await openpgp.readKey({ armoredKey: stranger.publicKey })],
    });
    expect(wrongKey.signature).toBe("invalid");
  });

  it("a flipped ciphertext byte makes both gpg and openHandoff fail", async () => {
    const { armored } = await sealHandoff(makeDoc(), {
      recipients: [counsellorPublic],
      signingKey: botPrivate,
    });
    const tampered = await flipCiphertextByte(armored);
    expect(tampered).not.toBe(armored);

    const gpg = await gpgCounsellor.gpg(["--decrypt"], tampered);
    expect(gpg.code).not.toBe(0);

    const error = await openHandoff(tampered, { privateKeyArmored: counsellor.privateKey }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenHandoffError);
    expect((error as OpenHandoffError).reason).toBe("corrupted");
    expect((error as Error).message).not.toContain(CANARY);
  });

  it("encrypts to the deputy as well; each decrypts with their own key", async () => {
    const doc = makeDoc();
    const { armored } = await sealHandoff(doc, { recipients: [counsellorPublic, deputyPublic] });
    for (const home of [gpgCounsellor, gpgDeputy]) {
      const gpg = await home.gpg(["--decrypt"], armored);
      expect(gpg.code, gpg.stderr).toBe(0);
      expect(gpg.stdout).toContain(CANARY);
    }
    const byDeputy = await openHandoff(armored, { privateKeyArmored: deputy.privateKey });
    expect(byDeputy.document).toEqual(doc);
  });

  it("hides recipient key ids; gpg still finds its key and openHandoff still opens it", async () => {
    const { armored } = await sealHandoff(makeDoc(), {
      recipients: [counsellorPublic, deputyPublic],
      hideRecipients: true,
    });
    const message = await openpgp.readMessage({ armoredMessage: armored });
    expect(message.getEncryptionKeyIDs().every((id) => id.toHex() === "0000000000000000")).toBe(true);
    const listing = await gpgCounsellor.gpg(["--list-packets"], armored);
    expect(listing.stdout).toContain("keyid 0000000000000000");

    // The first packet belongs to the counsellor: gpg finds it on the first try.
    const first = await gpgCounsellor.gpg(["--try-all-secrets", "--decrypt"], armored);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(CANARY);
    // GnuPG 2.2 tries the deputy's key on the counsellor's packet first, logs "ecdh failed ...
    // Checksum error" and keeps that as exit status 2, yet decrypts with the next packet and the
    // integrity check passes. The status lines are the proof (documented in counsellor-keys.md).
    const second = await gpgDeputy.gpg(["--status-fd", "2", "--try-all-secrets", "--decrypt"], armored);
    expect(second.stdout).toContain(CANARY);
    expect(second.stderr).toContain("[GNUPG:] DECRYPTION_OKAY");
    expect(second.stderr).toContain("[GNUPG:] GOODMDC");
    expect(second.stderr).not.toContain("DECRYPTION_FAILED");

    const opened = await openHandoff(armored, { privateKeyArmored: deputy.privateKey });
    expect(opened.text).toContain(CANARY);
    const error = await openHandoff(armored, { privateKeyArmored: stranger.privateKey }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ reason: "wrong-key" });
  });

  it("refuses the wrong private key with a clear error", async () => {
    const { armored } = await sealHandoff(makeDoc(), { recipients: [counsellorPublic] });
    const error = await openHandoff(armored, { privateKeyArmored: stranger.privateKey }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenHandoffError);
    expect((error as OpenHandoffError).reason).toBe("wrong-key");
  });

  it("pads to an exact bucket size", async () => {
    const { armored } = await sealHandoff(makeDoc(), {
      recipients: [counsellorPublic],
      signingKey: botPrivate,
    });
    expect(PAD_BUCKETS).toContain(dearmor(armored).length);
  });

  it("rejects an invalid document without quoting it", async () => {
    const bad = { ...makeDoc(), caseCode: `nope ${CANARY}` };
    const error = await sealHandoff(bad, { recipients: [counsellorPublic] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SealError);
    expect((error as Error).message).toContain("caseCode");
    expect((error as Error).message).not.toContain(CANARY);
  });

  it("refuses to seal with no recipients or with a private key as recipient", async () => {
    await expect(sealHandoff(makeDoc(), { recipients: [] })).rejects.toBeInstanceOf(SealError);
    const priv = await openpgp.readPrivateKey({ armoredKey: counsellor.privateKey });
    await expect(sealHandoff(makeDoc(), { recipients: [priv] })).rejects.toThrow(/public keys/);
  });
});
