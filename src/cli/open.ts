/**
 * `vertrouwd open <file> --key <private-key-file> [--verify <bot-public-key-file>] [--json]`
 *
 * The counsellor's command: decrypts a handoff locally and prints it. Errors are one line,
 * without stack traces, and never quote the handoff. Exit codes: 0 ok, 1 the handoff could not
 * be opened or verified, 2 usage or file problems.
 */
import { parseArgs } from "node:util";
import * as openpgp from "openpgp";
import { OpenHandoffError, openHandoff } from "../handoff/open.ts";
import { InputError, type PassphraseIO, passphraseIfNeeded, readStream, readTextFile } from "./key-input.ts";

export { PASSPHRASE_ENV, promptHidden } from "./key-input.ts";

export interface OpenIO extends PassphraseIO {
  stdout: NodeJS.WritableStream;
}

const USAGE =
  "usage: vertrouwd open <file|-> --key <private-key-file> [--verify <bot-public-key-file>] [--json]";

class UsageError extends InputError {}

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
    armored = args.file === "-" ? await readStream(io.stdin) : await readTextFile(args.file, "handoff file");
    privateKeyArmored = await readTextFile(args.key, "key file");
    if (args.verify) {
      const keyText = await readTextFile(args.verify, "verification key file");
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
    if (err instanceof InputError) return fail(2, err.message);
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
