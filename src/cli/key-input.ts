/**
 * What the counsellor's commands (`open`, `desk`) share about their input: reading files with a
 * one-line error, reading stdin, and asking for the private key's passphrase only when the key
 * is protected. The passphrase comes from VERTROUWD_KEY_PASSPHRASE or a no-echo terminal prompt.
 */
import { readFile } from "node:fs/promises";
import { OpenError, readPrivateKeyForOpen } from "../crypto/open.ts";

export const PASSPHRASE_ENV = "VERTROUWD_KEY_PASSPHRASE";

/** A file or stream could not be read. The message names the file, never its contents. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export interface PassphraseIO {
  stdin: NodeJS.ReadableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  /** Asks for the key passphrase without echo; defaults to a prompt on stdin/stderr when isTTY. */
  promptPassphrase?: () => Promise<string>;
}

export async function readTextFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT"
        ? `${what} "${file}" does not exist`
        : `${what} "${file}" cannot be read (${code ?? "I/O error"})`,
    );
  }
}

export async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Only asks when the key is actually protected; the environment variable wins over a prompt.
 * `which` names a second key (`desk rekey`): its own variable and its own question.
 */
export async function passphraseIfNeeded(
  armoredKey: string,
  io: PassphraseIO,
  env: NodeJS.ProcessEnv,
  which: { envName: string; question: string } = {
    envName: PASSPHRASE_ENV,
    question: "Passphrase for the private key: ",
  },
): Promise<string | undefined> {
  const key = await readPrivateKeyForOpen(armoredKey);
  if (key.isDecrypted()) return undefined;
  const fromEnv = env[which.envName];
  if (fromEnv) return fromEnv;
  const prompt =
    io.promptPassphrase ?? (io.isTTY ? () => promptHidden(io.stdin, io.stderr, which.question) : undefined);
  if (!prompt) {
    throw new OpenError(
      "passphrase-required",
      `the private key is protected by a passphrase; run in a terminal or set ${which.envName}`,
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
          reject(new OpenError("passphrase-required", "cancelled"));
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
