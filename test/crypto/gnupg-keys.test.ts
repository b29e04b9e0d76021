/**
 * Keys made by GnuPG itself, the way docs/counsellor-keys.md tells counsellors to make them:
 * they must load as counsellor keys, and what gpg encrypts to must decrypt in that same gpg.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyProblemError, loadCounsellorKey } from "../../src/crypto/keys.ts";
import { openHandoff } from "../../src/handoff/open.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { CANARY, type GnupgHome, createGnupgHome, dearmor, makeDoc } from "./helpers.ts";

let g: GnupgHome;
let dir: string;
const fpr: Record<"rsa4096" | "ed25519" | "rsa1024" | "revoked" | "expiring", string> = {
  rsa4096: "",
  ed25519: "",
  rsa1024: "",
  revoked: "",
  expiring: "",
};

beforeAll(async () => {
  g = await createGnupgHome();
  dir = await mkdtemp(path.join(tmpdir(), "vt-gpgkeys-"));
  // Sequential: gpg-agent serialises key generation anyway, and RSA 4096 is the slow one.
  fpr.rsa4096 = await g.generate("Anna RSA <anna@example.org>", "rsa4096", "rsa4096");
  fpr.ed25519 = await g.generate("Bea Ed <bea@example.org>", "ed25519", "cv25519");
  fpr.rsa1024 = await g.generate("Old RSA <old@example.org>", "rsa1024", "rsa1024");
  fpr.revoked = await g.generate("Rev Oked <rev@example.org>", "ed25519", "cv25519");
  fpr.expiring = await g.generate("Soon Gone <soon@example.org>", "ed25519", "cv25519", "10d");
  // gpg stores a ready revocation certificate; its armor line is escaped with ":" on purpose.
  const cert = await readFile(path.join(g.home, "openpgp-revocs.d", `${fpr.revoked}.rev`), "utf8");
  const imported = await g.gpg(["--import"], cert.replace(/^:-----BEGIN/m, "-----BEGIN"));
  expect(imported.code, imported.stderr).toBe(0);
  for (const [name, fingerprint] of Object.entries(fpr)) {
    await writeFile(path.join(dir, `${name}.asc`), await g.exportPublic(fingerprint));
  }
}, 180_000);

afterAll(async () => {
  await g?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const ref = (name: keyof typeof fpr) => ({ publicKeyPath: `${name}.asc`, fingerprint: fpr[name] });

describe("GnuPG-made counsellor keys", () => {
  for (const name of ["rsa4096", "ed25519"] as const) {
    it(`${name}: loads, seals, and gpg decrypts`, async () => {
      const loaded = await loadCounsellorKey(ref(name), "anna", { baseDir: dir });
      expect(loaded.fingerprint).toBe(fpr[name]);
      expect(loaded.expiresAt).toBeNull();
      expect(loaded.warnings).toEqual([]);

      const { armored } = await sealHandoff(makeDoc(), { recipients: [loaded.key] });
      const gpg = await g.gpg(["--decrypt"], armored);
      expect(gpg.code, gpg.stderr).toBe(0);
      expect(gpg.stdout).toContain(CANARY);

      const secret = await g.exportSecret(fpr[name]);
      const opened = await openHandoff(armored, { privateKeyArmored: secret });
      expect(opened.text).toContain(CANARY);
    });
  }

  it("RSA session keys of varying length still give one exact ciphertext size", async () => {
    const { key } = await loadCounsellorKey(ref("rsa4096"), "anna", { baseDir: dir });
    const sizes = new Set<number>();
    for (let i = 0; i < 24; i++) {
      const { armored } = await sealHandoff(makeDoc(), { recipients: [key] });
      sizes.add(dearmor(armored).length);
    }
    expect([...sizes]).toEqual([4096]);
  });

  it("refuses an RSA 1024 key as weak, naming the counsellor", async () => {
    const error = await loadCounsellorKey(ref("rsa1024"), "olaf", { baseDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyProblemError);
    expect(error).toMatchObject({ counsellorId: "olaf", reason: "weak" });
    expect((error as Error).message).toMatch(/counsellor "olaf".*RSA with 1024 bits/);
  });

  it("refuses a key revoked with gpg's own revocation certificate", async () => {
    const error = await loadCounsellorKey(ref("revoked"), "rita", { baseDir: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ counsellorId: "rita", reason: "revoked" });
    expect((error as Error).message).toContain('counsellor "rita"');
  });

  it("warns 30 days before expiry and refuses once expired", async () => {
    const soon = await loadCounsellorKey(ref("expiring"), "sam", { baseDir: dir });
    expect(soon.expiresAt).toBeInstanceOf(Date);
    expect(soon.warnings).toHaveLength(1);
    expect(soon.warnings[0]).toMatch(/counsellor "sam": key .* expires on \d{4}-\d{2}-\d{2}/);

    const later = new Date(Date.now() + 11 * 24 * 60 * 60 * 1000);
    const error = await loadCounsellorKey(ref("expiring"), "sam", { baseDir: dir, now: later }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ counsellorId: "sam", reason: "expired" });
    expect((error as Error).message).toMatch(
      /expired on \d{4}-\d{2}-\d{2}; ask the counsellor for a renewed key/,
    );
  });

  it("accepts a binary (non-armored) export", async () => {
    const binary = await g.gpg(["--export", fpr.ed25519]);
    expect(binary.code).toBe(0);
    await writeFile(path.join(dir, "binary.gpg"), binary.stdoutBytes);
    const loaded = await loadCounsellorKey({ publicKeyPath: "binary.gpg", fingerprint: fpr.ed25519 }, "bea", {
      baseDir: dir,
    });
    expect(loaded.fingerprint).toBe(fpr.ed25519);
  });
});
