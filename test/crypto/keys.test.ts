import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  KeyProblemError,
  type KeyProblemReason,
  SigningKeyError,
  algorithmProblem,
  loadCounsellorKey,
  loadSigningKey,
} from "../../src/crypto/keys.ts";
import { generateEccKey } from "./helpers.ts";

const DAY = 24 * 60 * 60;
let dir: string;

async function put(name: string, content: string): Promise<string> {
  await writeFile(path.join(dir, name), content);
  return name;
}

const fingerprintOf = async (armored: string) =>
  (await openpgp.readKey({ armoredKey: armored })).getFingerprint().toUpperCase();

async function expectProblem(
  promise: Promise<unknown>,
  counsellorId: string,
  reason: KeyProblemReason,
): Promise<KeyProblemError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected KeyProblemError(${reason})`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyProblemError);
  expect(error).toMatchObject({ counsellorId, reason });
  expect((error as Error).message).toContain(`counsellor "${counsellorId}"`);
  return error as KeyProblemError;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vt-keys-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadCounsellorKey", () => {
  it("accepts a v4 Curve25519 key pinned by fingerprint", async () => {
    const pair = await generateEccKey("Good Key");
    const file = await put("good.asc", pair.publicKey);
    const loaded = await loadCounsellorKey({ publicKeyPath: file, fingerprint: pair.fingerprint }, "anna", {
      baseDir: dir,
    });
    expect(loaded.fingerprint).toBe(pair.fingerprint);
    expect(loaded.key.isPrivate()).toBe(false);
    expect(loaded.expiresAt).toBeNull();
    expect(loaded.warnings).toEqual([]);
  });

  it("resolves the path against the working directory by default", async () => {
    const pair = await generateEccKey("Cwd Key");
    const file = path.join(dir, await put("cwd.asc", pair.publicKey));
    const relative = path.relative(process.cwd(), file);
    const loaded = await loadCounsellorKey(
      { publicKeyPath: relative, fingerprint: pair.fingerprint },
      "anna",
    );
    expect(loaded.fingerprint).toBe(pair.fingerprint);
  });

  it("refuses a missing file", async () => {
    const error = await expectProblem(
      loadCounsellorKey({ publicKeyPath: "nope.asc", fingerprint: "A".repeat(40) }, "anna", { baseDir: dir }),
      "anna",
      "missing",
    );
    expect(error.message).toContain("nope.asc");
  });

  it("refuses a file that is no key, without quoting it", async () => {
    const file = await put(
      "garbage.asc",
      "SECRET-CONTENT-do-not-echo\n-----BEGIN PGP PUBLIC KEY BLOCK-----\nxx\n",
    );
    const error = await expectProblem(
      loadCounsellorKey({ publicKeyPath: file, fingerprint: "A".repeat(40) }, "anna", { baseDir: dir }),
      "anna",
      "unreadable",
    );
    expect(error.message).not.toContain("SECRET-CONTENT");
  });

  it("refuses a key whose fingerprint is not the pinned one", async () => {
    const pair = await generateEccKey("Other Key");
    const file = await put("other.asc", pair.publicKey);
    const pinned = "0123456789ABCDEF0123456789ABCDEF01234567";
    const error = await expectProblem(
      loadCounsellorKey({ publicKeyPath: file, fingerprint: pinned }, "bert", { baseDir: dir }),
      "bert",
      "fingerprint",
    );
    expect(error.message).toContain("0123…4567");
    expect(error.message).toContain(`${pair.fingerprint.slice(0, 4)}…${pair.fingerprint.slice(-4)}`);
  });

  it("refuses a private key file and says to export only the public key", async () => {
    const pair = await generateEccKey("Private Key");
    const file = await put("private.asc", pair.privateKey);
    const error = await expectProblem(
      loadCounsellorKey({ publicKeyPath: file, fingerprint: pair.fingerprint }, "anna", { baseDir: dir }),
      "anna",
      "private-key",
    );
    expect(error.message).toContain("gpg --armor --export");
    expect(error.message).not.toContain("PRIVATE KEY BLOCK");
  });

  it("refuses an expired key, naming the date", async () => {
    const pair = await generateEccKey("Expired Key", {
      date: new Date(Date.now() - 10 * DAY * 1000),
      keyExpirationTime: 2 * DAY,
    });
    const file = await put("expired.asc", pair.publicKey);
    const error = await expectProblem(
      loadCounsellorKey({ publicKeyPath: file, fingerprint: pair.fingerprint }, "anna", { baseDir: dir }),
      "anna",
      "expired",
    );
    expect(error.message).toMatch(
      /^counsellor "anna": key [0-9A-F]{4}…[0-9A-F]{4} expired on \d{4}-\d{2}-\d{2}; ask the counsellor for a renewed key/,
    );
  });

  it("warns when the key expires within 30 days, not before", async () => {
    const pair = await generateEccKey("Expiring Key", { keyExpirationTime: 40 * DAY });
    const file = await put("expiring.asc", pair.publicKey);
    const ref = { publicKeyPath: file, fingerprint: pair.fingerprint };
    const now = await loadCounsellorKey(ref, "anna", { baseDir: dir });
    expect(now.warnings).toEqual([]);
    expect(now.expiresAt?.getTime()).toBeGreaterThan(Date.now());
    const later = await loadCounsellorKey(ref, "anna", {
      baseDir: dir,
      now: new Date(Date.now() + 15 * DAY * 1000),
    });
    expect(later.warnings).toHaveLength(1);
    expect(later.warnings[0]).toMatch(/counsellor "anna": key .* expires on .* \(in 2[45] days\)/);
  });

  it("refuses a revoked key", async () => {
    const pair = await generateEccKey("Revoked Key");
    const privateKey = await openpgp.readPrivateKey({ armoredKey: pair.privateKey });
    const { publicKey } = await openpgp.revokeKey({ key: privateKey, format: "armored" });
    const file = await put("revoked.asc", publicKey);
    await expectProblem(
      loadCounsellorKey({ publicKeyPath: file, fingerprint: pair.fingerprint }, "anna", { baseDir: dir }),
      "anna",
      "revoked",
    );
  });

  it("refuses a key without an encryption subkey", async () => {
    const { publicKey } = await openpgp.generateKey({
      type: "ecc",
      userIDs: [{ name: "Sign Only" }],
      subkeys: [{ sign: true }],
      format: "armored",
    });
    const file = await put("signonly.asc", publicKey);
    await expectProblem(
      loadCounsellorKey({ publicKeyPath: file, fingerprint: await fingerprintOf(publicKey) }, "anna", {
        baseDir: dir,
      }),
      "anna",
      "no-encryption",
    );
  });

  it("refuses a key whose only encryption subkey has expired", async () => {
    const { publicKey } = await openpgp.generateKey({
      type: "ecc",
      userIDs: [{ name: "Old Subkey" }],
      date: new Date(Date.now() - 10 * DAY * 1000),
      subkeys: [{ keyExpirationTime: DAY }],
      format: "armored",
    });
    const file = await put("oldsub.asc", publicKey);
    const error = await expectProblem(
      loadCounsellorKey({ publicKeyPath: file, fingerprint: await fingerprintOf(publicKey) }, "anna", {
        baseDir: dir,
      }),
      "anna",
      "expired",
    );
    expect(error.message).toContain("encryption subkey");
  });

  it("refuses NIST P-256 as not an accepted algorithm", async () => {
    const { publicKey } = await openpgp.generateKey({
      type: "ecc",
      curve: "nistP256",
      userIDs: [{ name: "P256" }],
      format: "armored",
    });
    const file = await put("p256.asc", publicKey);
    const error = await expectProblem(
      loadCounsellorKey({ publicKeyPath: file, fingerprint: await fingerprintOf(publicKey) }, "anna", {
        baseDir: dir,
      }),
      "anna",
      "weak",
    );
    expect(error.message).toContain("nistP256");
  });

  it("refuses an RSA 2048 key made by openpgp", async () => {
    const { publicKey } = await openpgp.generateKey({
      type: "rsa",
      rsaBits: 2048,
      userIDs: [{ name: "RSA 2048" }],
      format: "armored",
    });
    const file = await put("rsa2048.asc", publicKey);
    const error = await expectProblem(
      loadCounsellorKey({ publicKeyPath: file, fingerprint: await fingerprintOf(publicKey) }, "anna", {
        baseDir: dir,
      }),
      "anna",
      "weak",
    );
    expect(error.message).toContain("RSA with 2048 bits");
  });

  it("refuses a v6 key as not-v4", async () => {
    const { publicKey } = await openpgp.generateKey({
      type: "curve25519",
      userIDs: [{ name: "V6" }],
      format: "armored",
      config: { v6Keys: true },
    });
    const file = await put("v6.asc", publicKey);
    await expectProblem(
      loadCounsellorKey({ publicKeyPath: file, fingerprint: "B".repeat(40) }, "anna", { baseDir: dir }),
      "anna",
      "not-v4",
    );
  });

  it("names the deputy role in messages", async () => {
    const error = await expectProblem(
      loadCounsellorKey({ publicKeyPath: "absent.asc", fingerprint: "C".repeat(40) }, "anna", {
        baseDir: dir,
        role: "deputy",
      }),
      "anna",
      "missing",
    );
    expect(error.message).toMatch(/^counsellor "anna" \(deputy key\):/);
  });
});

describe("algorithmProblem", () => {
  it("accepts RSA ≥ 3072 and both Curve25519 forms", () => {
    expect(algorithmProblem({ algorithm: "rsaEncryptSign", bits: 3072 })).toBeNull();
    expect(algorithmProblem({ algorithm: "rsaEncryptSign", bits: 3071 })).toMatch(/RSA/);
    expect(algorithmProblem({ algorithm: "eddsaLegacy", curve: "ed25519Legacy" })).toBeNull();
    expect(algorithmProblem({ algorithm: "ecdh", curve: "curve25519Legacy" })).toBeNull();
    expect(algorithmProblem({ algorithm: "ed25519" })).toBeNull();
    expect(algorithmProblem({ algorithm: "x25519" })).toBeNull();
    expect(algorithmProblem({ algorithm: "dsa", bits: 3072 })).toBe("dsa");
    expect(algorithmProblem({ algorithm: "ecdh", curve: "brainpoolP256r1" })).toMatch(/brainpool/);
  });
});

describe("loadSigningKey", () => {
  it("loads an unprotected Ed25519 key and a protected one with its passphrase", async () => {
    const plain = await generateEccKey("Bot");
    const file = path.join(dir, await put("bot.asc", plain.privateKey));
    expect((await loadSigningKey(file)).isDecrypted()).toBe(true);

    const locked = await generateEccKey("Locked Bot", { passphrase: "correct horse" });
    const lockedFile = path.join(dir, await put("bot-locked.asc", locked.privateKey));
    expect((await loadSigningKey(lockedFile, "correct horse")).isDecrypted()).toBe(true);
    await expect(loadSigningKey(lockedFile)).rejects.toThrow(/passphrase-protected/);
    await expect(loadSigningKey(lockedFile, "wrong")).rejects.toThrow(/passphrase is wrong/);
  });

  it("refuses missing files, public keys and algorithms GnuPG 2.2 cannot verify", async () => {
    await expect(loadSigningKey(path.join(dir, "none.asc"))).rejects.toBeInstanceOf(SigningKeyError);
    const pub = await generateEccKey("Public Only");
    await expect(loadSigningKey(path.join(dir, await put("bot-pub.asc", pub.publicKey)))).rejects.toThrow(
      /private key/,
    );
    const { privateKey } = await openpgp.generateKey({
      type: "ecc",
      curve: "nistP256",
      userIDs: [{ name: "P256 Bot" }],
      format: "armored",
    });
    await expect(loadSigningKey(path.join(dir, await put("bot-p256.asc", privateKey)))).rejects.toThrow(
      /GnuPG 2.2/,
    );
  });
});
