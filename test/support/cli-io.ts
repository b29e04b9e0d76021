/**
 * A command's terminal, in process: stdin from a string, stdout and stderr collected, no TTY.
 * The CLI commands (open, desk, reply) take their io as a parameter, so tests run them without
 * spawning a process.
 */
import { PassThrough, Readable } from "node:stream";

export interface CapturedIo {
  io: { stdout: PassThrough; stderr: PassThrough; stdin: Readable; isTTY: boolean };
  /** What the command wrote so far. */
  result(): { stdout: string; stderr: string };
}

export function captureIo(stdin = ""): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (c: Buffer) => out.push(Buffer.from(c)));
  stderr.on("data", (c: Buffer) => err.push(Buffer.from(c)));
  return {
    io: { stdout, stderr, stdin: Readable.from([stdin]), isTTY: false },
    result: () => ({
      stdout: Buffer.concat(out).toString("utf8"),
      stderr: Buffer.concat(err).toString("utf8"),
    }),
  };
}
