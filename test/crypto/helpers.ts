/**
 * Test helpers: a throw-away GnuPG home driven in batch mode, and handoff document fixtures.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import type { DemoKeys } from "../../src/crypto/demo-keys.ts";
import type { HandoffDocument } from "../../src/handoff/document.ts";

export interface GpgResult {
  code: number;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

export interface GnupgHome {
  home: string;
  /** Runs gpg with --batch and loopback pinentry (no passphrase unless args give one). */
  gpg(args: string[], input?: string | Uint8Array): Promise<GpgResult>;
  /** Generates a key with --quick-gen-key (+ an encryption subkey) and returns its fingerprint. */
  generate(uid: string, primaryAlgo: string, encryptionAlgo: string | null, expire?: string): Promise<string>;
  exportPublic(fingerprint: string): Promise<string>;
  exportSecret(fingerprint: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createGnupgHome(): Promise<GnupgHome> {
  // Short path: gpg-agent's socket lives inside it and Unix socket paths are limited to ~100 bytes.
  const home = await mkdtemp(path.join(tmpdir(), "vtgpg-"));
  await writeFile(path.join(home, "gpg-agent.conf"), "allow-loopback-pinentry\n", { mode: 0o600 });
  const env = { ...process.env, GNUPGHOME: home, LC_ALL: "C", LANG: "C" };

  const run = (cmd: string, args: string[], input?: string | Uint8Array): Promise<GpgResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { env, stdio: ["pipe", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (c: Buffer) => out.push(c));
      child.stderr.on("data", (c: Buffer) => err.push(c));
      child.on("error", reject);
      // gpg may exit without reading its input (e.g. --export); that is not an error here.
      child.stdin.on("error", () => undefined);
      child.on("close", (code) =>
        resolve({
          code: code ?? -1,
          stdout: Buffer.concat(out).toString("utf8"),
          stdoutBytes: Buffer.concat(out),
          stderr: Buffer.concat(err).toString("utf8"),
        }),
      );
      child.stdin.end(input ?? "");
    });

  const gpg = (args: string[], input?: string | Uint8Array) =>
    run("gpg", ["--batch", "--no-tty", "--pinentry-mode", "loopback", ...args], input);

  const must = async (args: string[], input?: string) => {
    const r = await gpg(args, input);
    if (r.code !== 0) throw new Error(`gpg ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
    return r;
  };

  return {
    home,
    gpg,
    async generate(uid, primaryAlgo, encryptionAlgo, expire = "never") {
      const usage = encryptionAlgo ? "sign,cert" : "default";
      await must(["--passphrase", "", "--quick-gen-key", uid, primaryAlgo, usage, expire]);
      const listing = await must(["--with-colons", "--list-keys", uid]);
      const fpr = listing.stdout.split("\n").find((l) => l.startsWith("fpr:"));
      const fingerprint = fpr?.split(":")[9];
      if (!fingerprint) throw new Error("no fingerprint in gpg listing");
      if (encryptionAlgo)
        await must(["--passphrase", "", "--quick-add-key", fingerprint, encryptionAlgo, "encr", expire]);
      return fingerprint;
    },
    async exportPublic(fingerprint) {
      return (await must(["--armor", "--export", fingerprint])).stdout;
    },
    async exportSecret(fingerprint) {
      return (await must(["--passphrase", "", "--armor", "--export-secret-keys", fingerprint])).stdout;
    },
    async cleanup() {
      await run("gpgconf", ["--kill", "gpg-agent"]).catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Imports an armored secret key into a GnuPG home. */
export async function importSecret(g: GnupgHome, armoredPrivateKey: string): Promise<void> {
  const r = await g.gpg(["--passphrase", "", "--import"], armoredPrivateKey);
  if (r.code !== 0) throw new Error(`gpg --import failed: ${r.stderr}`);
}

/** A v4 Curve25519 key pair made with openpgp (the same shape the demo keys have). */
export async function generateEccKey(
  name: string,
  options: { passphrase?: string; date?: Date; keyExpirationTime?: number } = {},
): Promise<{ privateKey: string; publicKey: string; fingerprint: string; revocationCertificate: string }> {
  const pair = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name, email: `${name.toLowerCase().replace(/\W+/g, "-")}@example.org` }],
    format: "armored",
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
    ...(options.date ? { date: options.date } : {}),
    ...(options.keyExpirationTime ? { keyExpirationTime: options.keyExpirationTime } : {}),
  });
  const key = await openpgp.readKey({ armoredKey: pair.publicKey });
  return { ...pair, fingerprint: key.getFingerprint().toUpperCase() };
}

export const CANARY = "CANARY-7f3a9c-ÉÉN-🦊";

export function makeDoc(overrides: Partial<HandoffDocument> = {}): HandoffDocument {
  return {
    version: 1,
    caseId: randomUUID(),
    caseCode: "VT-AB12-CD34",
    date: "2025-03-04",
    locale: "nl",
    channel: "slack",
    kind: "report",
    topic: "bullying",
    counsellorId: "anna",
    anonymity: "anonymous",
    report: {
      what: `Mijn leidinggevende schreeuwt tijdens het overleg. ${CANARY}`,
      when: "Sinds januari, elke maandag",
      who: "Mijn leidinggevende",
      impact: "Ik slaap slecht.",
    },
    wishes: "advice",
    ...overrides,
  };
}

/** The binary packets of an armored OpenPGP block (base64 body without headers and checksum). */
export function dearmor(armored: string): Uint8Array {
  const lines = armored.replace(/\r/g, "").split("\n");
  const start = lines.findIndex((l) => l.startsWith("-----BEGIN PGP"));
  const blank = lines.indexOf("", start);
  const body = lines
    .slice(blank + 1)
    .filter((l) => l !== "" && !l.startsWith("=") && !l.startsWith("-----END"));
  return new Uint8Array(Buffer.from(body.join(""), "base64"));
}

/**
 * A counsellor's GnuPG: every demo counsellor's secret key, and the bot's public key so that
 * `--decrypt` also verifies the bot's signature.
 */
export async function counsellorGnupg(keys: DemoKeys): Promise<GnupgHome> {
  const g = await createGnupgHome();
  for (const k of keys.counsellors) await importSecret(g, await readFile(k.privateKeyPath, "utf8"));
  await g.gpg(["--import"], await readFile(keys.bot.publicKeyPath, "utf8"));
  return g;
}
