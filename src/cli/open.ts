/**
 * `vertrouwd open <file> --key <private-key-file> [--verify <bot-public-key-file>] [--json]`
 *
 * The counsellor's command: decrypts a handoff locally and prints it. Errors are one line,
 * without stack traces, and never quote the handoff. Exit codes: 0 ok, 1 the handoff could not
 * be opened or verified, 2 usage or file problems.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import * as openpgp from "openpgp";
import { OpenHandoffError, openHandoff, readPrivateKeyForOpen } from "../handoff/open.ts";

export interface OpenIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  isTTY: boolean;
  /** Asks for the key passphrase without echo; defaults to a prompt on stdin/stderr when isTTY. */
  promptPassphrase?: () => Promise<string>;
}

export const PASSPHRASE_ENV = "VERTROUWD_KEY_PASSPHRASE";

const USAGE =
  "usage: vertrouwd open <file|-> --key <private-key-file> [--verify <bot-public-key-file>] [--json]";

class UsageError extends Error {}

/** `argv` is what follows `open` on the command line. Returns the exit code. */
export async function runOpen(
  argv: string[],
  io: OpenIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const fail = (code: number, message: string): number => {
    io.stderr.write(`vertrouwd open: ${message}\n`);
    return code;
  };

  let args: { file: string; key: string; verify?: string; json: boolean };
  try {
    args = parseOpenArgs(argv);
  } catch (err) {
    return fail(2, `${err instanceof Error ? err.message : "bad arguments"}\n${USAGE}`);
  }
  if (args.file === "--help") {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let armored: string;
  let privateKeyArmored: string;
  let verificationKeys: openpgp.PublicKey[] | undefined;
  try {
    armored = args.file === "-" ? await readStream(io.stdin) : await readText(args.file, "handoff file");
    privateKeyArmored = await readText(args.key, "key file");
    if (args.verify) {
      const keyText = await readText(args.verify, "verification key file");
      try {
        verificationKeys = [await openpgp.readKey({ armoredKey: keyText })];
      } catch {
        return fail(2, `verification key file "${args.verify}" does not hold an armored OpenPGP public key`);
      }
    }
  } catch (err) {
    return fail(2, err instanceof Error ? err.message : "cannot read input");
  }

  try {
    const passphrase = await passphraseIfNeeded(privateKeyArmored, io, env);
    const opened = await openHandoff(armored, {
      privateKeyArmored,
      ...(passphrase !== undefined ? { passphrase } : {}),
      ...(verificationKeys ? { verificationKeys } : {}),
    });
    if (args.verify && opened.signature !== "valid") {
      return fail(
        1,
        opened.signature === "absent"
          ? "the handoff is not signed, but --verify asked for the bot's signature; not showing it"
          : "the bot's signature does not verify with the given key; the handoff may be forged, not showing it",
      );
    }
    if (args.json) {
      io.stdout.write(
        `${JSON.stringify({ signature: opened.signature, document: opened.document, text: opened.text }, null, 2)}\n`,
      );
    } else {
      io.stdout.write(opened.text);
      if (opened.signature === "unverified") {
        io.stderr.write(
          "vertrouwd open: signed by the bot, but not verified (pass --verify <bot-public-key-file>)\n",
        );
      } else if (opened.signature === "valid") {
        io.stderr.write("vertrouwd open: good signature from the bot's key\n");
      }
    }
    return 0;
  } catch (err) {
    if (err instanceof OpenHandoffError) return fail(1, err.message);
    if (err instanceof UsageError) return fail(2, err.message);
    return fail(1, `unexpected error (${err instanceof Error ? err.name : "unknown"})`);
  }
}

function parseOpenArgs(argv: string[]): { file: string; key: string; verify?: string; json: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      key: { type: "string", short: "k" },
      verify: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return { file: "--help", key: "", json: false };
  if (positionals.length !== 1) throw new UsageError("expected exactly one handoff file (or - for stdin)");
  if (!values.key) throw new UsageError("--key <private-key-file> is required");
  return {
    file: positionals[0] as string,
    key: values.key,
    ...(values.verify ? { verify: values.verify } : {}),
    json: values.json ?? false,
  };
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT"
        ? `${what} "${file}" does not exist`
        : `${what} "${file}" cannot be read (${code ?? "I/O error"})`,
    );
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** Only asks when the key is actually protected; the environment variable wins over a prompt. */
async function passphraseIfNeeded(
  armoredKey: string,
  io: OpenIO,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const key = await readPrivateKeyForOpen(armoredKey);
  if (key.isDecrypted()) return undefined;
  const fromEnv = env[PASSPHRASE_ENV];
  if (fromEnv) return fromEnv;
  const prompt = io.promptPassphrase ?? (io.isTTY ? () => promptHidden(io.stdin, io.stderr) : undefined);
  if (!prompt) {
    throw new OpenHandoffError(
      "passphrase-required",
      `the private key is protected by a passphrase; run in a terminal or set ${PASSPHRASE_ENV}`,
    );
  }
  return prompt();
}

/** Reads one line from a TTY with echo off (raw mode), writing the prompt to `output`. */
export function promptHidden(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  question = "Passphrase for the private key: ",
): Promise<string> {
  const tty = input as NodeJS.ReadStream;
  return new Promise((resolve, reject) => {
    let value = "";
    const cleanup = () => {
      input.removeListener("data", onData);
      if (typeof tty.setRawMode === "function") tty.setRawMode(false);
      input.pause();
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") {
          cleanup();
          output.write("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          cleanup();
          output.write("\n");
          reject(new OpenHandoffError("passphrase-required", "cancelled"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    output.write(question);
    if (typeof tty.setRawMode === "function") tty.setRawMode(true);
    input.on("data", onData);
    input.resume();
  });
}
