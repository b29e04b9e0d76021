import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSPHRASE_ENV, runOpen } from "../../src/cli/open.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { CANARY, generateEccKey, makeDoc } from "../crypto/helpers.ts";

let dir: string;
const files = {
  handoff: "",
  signedHandoff: "",
  key: "",
  lockedKey: "",
  otherKey: "",
  botPublic: "",
  otherPublic: "",
};
const doc = makeDoc();
const PASSPHRASE = "zeer geheim wachtwoord";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vt-open-"));
  const [counsellor, locked, other, bot] = await Promise.all([
    generateEccKey("Anna"),
    generateEccKey("Locked Anna", { passphrase: PASSPHRASE }),
    generateEccKey("Other"),
    generateEccKey("Bot"),
  ]);
  const recipients = [
    await openpgp.readKey({ armoredKey: counsellor.publicKey }),
    await openpgp.readKey({ armoredKey: locked.publicKey }),
  ];
  const signingKey = await openpgp.readPrivateKey({ armoredKey: bot.privateKey });
  const write = async (name: string, content: string) => {
    const file = path.join(dir, name);
    await writeFile(file, content);
    return file;
  };
  files.handoff = await write("handoff.asc", (await sealHandoff(doc, { recipients })).armored);
  files.signedHandoff = await write(
    "signed.asc",
    (await sealHandoff(doc, { recipients, signingKey })).armored,
  );
  files.key = await write("anna.key.asc", counsellor.privateKey);
  files.lockedKey = await write("locked.key.asc", locked.privateKey);
  files.otherKey = await write("other.key.asc", other.privateKey);
  files.botPublic = await write("bot.pub.asc", bot.publicKey);
  files.otherPublic = await write("other.pub.asc", other.publicKey);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(Buffer.from(c)));
  return () => Buffer.concat(chunks).toString("utf8");
}

async function open(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; isTTY?: boolean; stdin?: string; prompt?: () => Promise<string> } = {},
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const code = await runOpen(
    argv,
    {
      stdout,
      stderr,
      stdin: Readable.from([options.stdin ?? ""]),
      isTTY: options.isTTY ?? false,
      ...(options.prompt ? { promptPassphrase: options.prompt } : {}),
    },
    options.env ?? {},
  );
  return { code, stdout: out(), stderr: err() };
}

const oneLine = (s: string) => {
  expect(s.trim().split("\n")).toHaveLength(1);
  expect(s).not.toMatch(/\n\s+at /);
};

describe("vertrouwd open", () => {
  it("decrypts and prints the readable text", async () => {
    const r = await open([files.handoff, "--key", files.key]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(CANARY);
    expect(r.stdout).toContain("Zaakcode: VT-AB12-CD34");
    expect(r.stdout).not.toContain("BEGIN VERTROUWD HANDOFF JSON");
  });

  it("prints JSON with --json", async () => {
    const r = await open([files.handoff, "--key", files.key, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout) as { document: unknown; signature: string; text: string };
    expect(parsed.document).toEqual(doc);
    expect(parsed.signature).toBe("absent");
    expect(parsed.text).toContain(CANARY);
  });

  it("reads the handoff from stdin with -", async () => {
    const { readFile } = await import("node:fs/promises");
    const r = await open(["-", "--key", files.key], { stdin: await readFile(files.handoff, "utf8") });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(CANARY);
  });

  it(`unlocks a passphrase-protected key from ${PASSPHRASE_ENV}`, async () => {
    const r = await open([files.handoff, "--key", files.lockedKey], {
      env: { [PASSPHRASE_ENV]: PASSPHRASE },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(CANARY);
  });

  it("asks for the passphrase on a terminal", async () => {
    let asked = 0;
    const prompt = async () => {
      asked++;
      return PASSPHRASE;
    };
    const r = await open([files.handoff, "--key", files.lockedKey], { isTTY: true, prompt });
    expect(r.code, r.stderr).toBe(0);
    expect(asked).toBe(1);
    const unlocked = await open([files.handoff, "--key", files.key], { isTTY: true, prompt });
    expect(unlocked.code).toBe(0);
    expect(asked).toBe(1);
  });

  it("fails clearly without a passphrase off a terminal, or with a wrong one", async () => {
    const none = await open([files.handoff, "--key", files.lockedKey]);
    expect(none.code).toBe(1);
    oneLine(none.stderr);
    expect(none.stderr).toContain(PASSPHRASE_ENV);

    const wrong = await open([files.handoff, "--key", files.lockedKey], {
      env: { [PASSPHRASE_ENV]: "nope" },
    });
    expect(wrong.code).toBe(1);
    oneLine(wrong.stderr);
    expect(wrong.stderr).toContain("passphrase for the private key is wrong");
  });

  it("gives a one-line error for the wrong key, with nothing on stdout", async () => {
    const r = await open([files.handoff, "--key", files.otherKey]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    oneLine(r.stderr);
    expect(r.stderr).toBe("vertrouwd open: this message was not encrypted to the given private key\n");
  });

  it("verifies the bot signature with --verify and refuses a mismatch", async () => {
    const good = await open([files.signedHandoff, "--key", files.key, "--verify", files.botPublic]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stderr).toContain("good signature");
    expect(good.stdout).toContain(CANARY);

    const bad = await open([files.signedHandoff, "--key", files.key, "--verify", files.otherPublic]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    oneLine(bad.stderr);

    const unsigned = await open([files.handoff, "--key", files.key, "--verify", files.botPublic]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain("not signed");

    const notVerified = await open([files.signedHandoff, "--key", files.key]);
    expect(notVerified.code).toBe(0);
    expect(notVerified.stderr).toContain("not verified");
  });

  it("reports damaged input and usage errors with exit codes 1 and 2", async () => {
    const garbage = path.join(dir, "garbage.asc");
    await writeFile(garbage, `not a message ${CANARY}`);
    const damaged = await open([garbage, "--key", files.key]);
    expect(damaged.code).toBe(1);
    oneLine(damaged.stderr);
    expect(damaged.stderr).not.toContain(CANARY);

    const noKey = await open([files.handoff]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("--key");

    const missing = await open([path.join(dir, "absent.asc"), "--key", files.key]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist");

    const unknown = await open([files.handoff, "--key", files.key, "--bogus"]);
    expect(unknown.code).toBe(2);

    const notAKey = await open([files.handoff, "--key", files.botPublic]);
    expect(notAKey.code).toBe(1);
    expect(notAKey.stderr).toContain("does not hold an armored OpenPGP private key");
  });
});
