import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as openpgp from "openpgp";
import pino, { type Logger } from "pino";
import type { SealedHandoff } from "../../src/delivery/transport.ts";
import { dayOf } from "../../src/time/day.ts";

const run = promisify(execFile);

/** A string that must never appear in headers, notices, logs or error messages. */
export const CANARY = "CANARY-melder-Jansen-pestgedrag-7f3a";

export interface TestKey {
  publicKey: openpgp.PublicKey;
  armoredPrivate: string;
}

export async function generateTestKey(): Promise<TestKey> {
  const { privateKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: "Test Counsellor", email: "counsellor@example.org" }],
    format: "object",
  });
  return { publicKey: privateKey.toPublic(), armoredPrivate: privateKey.armor() };
}

export async function sealForTest(plaintext: string, key: TestKey, caseId: string = randomUUID()) {
  const armored = (await openpgp.encrypt({
    message: await openpgp.createMessage({ text: plaintext }),
    encryptionKeys: key.publicKey,
  })) as string;
  return sealed(armored, caseId);
}

export function sealed(armored: string, caseId: string = randomUUID()): SealedHandoff {
  return {
    caseId,
    counsellorId: "test-counsellor",
    armored,
    sha256: createHash("sha256").update(armored, "utf8").digest("hex"),
    day: dayOf(new Date()),
  };
}

/** A syntactically valid armored block for transports that never decrypt (no crypto cost). */
export function fakeSealed(caseId: string = randomUUID()): SealedHandoff {
  const armored = [
    "-----BEGIN PGP MESSAGE-----",
    "",
    "wV4DAAAAAAAAAAASAQdAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "=AAAA",
    "-----END PGP MESSAGE-----",
    "",
  ].join("\n");
  return sealed(armored, caseId);
}

/** A throwaway GnuPG home with the secret key imported; decrypts like a counsellor would. */
export async function createGpgHome(armoredPrivate: string) {
  const home = await mkdtemp(join(tmpdir(), "vertrouwd-gpg-"));
  await chmod(home, 0o700);
  const env = { ...process.env, GNUPGHOME: home };
  const keyFile = join(home, "secret.asc");
  await writeFile(keyFile, armoredPrivate, { mode: 0o600 });
  await run("gpg", ["--batch", "--pinentry-mode", "loopback", "--import", keyFile], { env });
  return {
    async decrypt(armored: string): Promise<string> {
      const file = join(home, `msg-${randomUUID()}.asc`);
      await writeFile(file, armored);
      const { stdout } = await run(
        "gpg",
        ["--batch", "--pinentry-mode", "loopback", "--quiet", "--decrypt", file],
        {
          env,
        },
      );
      return stdout;
    },
    async dispose() {
      await run("gpgconf", ["--kill", "gpg-agent"], { env }).catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A pino logger writing JSON lines into memory, to assert what logs do and do not carry. */
export function memoryLogger(): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const logger = pino({ level: "debug" }, { write: (chunk: string) => void chunks.push(chunk) });
  return { logger, lines: () => chunks.join("").split("\n").filter(Boolean) };
}

/** Records requested sleeps instead of waiting, so retry tests take no wall-clock time. */
export function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}
