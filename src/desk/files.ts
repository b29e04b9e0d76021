/**
 * File handling for the register: writes that are atomic (a file is either absent or complete,
 * even after a crash or a power cut) and a lock that lets one writing command at a time in.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, readFile, readdir, rename, rm, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { DeskError } from "./errors.ts";

/** 128 random bits in hex: entry names say nothing about their case, date or kind. */
export function randomName(): string {
  return randomBytes(16).toString("hex");
}

export const TMP_PREFIX = ".tmp-";

/** Only the owner may read or list the register. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/**
 * Write to a temporary name in the same directory, flush it to the disk, then rename over the
 * target (atomic on POSIX and on NTFS), then flush the directory so the rename itself survives.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `${TMP_PREFIX}${randomName()}`);
  const handle = await open(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** fsync on a directory works on Linux and macOS; Windows refuses it and does not need it. */
async function syncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // best effort: not supported on this platform
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Left-overs of an interrupted write: ciphertext, but incomplete. */
export async function removeTempFiles(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names.filter((n) => n.startsWith(TMP_PREFIX)).map((n) => rm(path.join(dir, n), { force: true })),
  );
}

export const LOCK_FILE = ".lock";

export interface LockOptions {
  /** How long to wait for another command to finish. */
  waitMs?: number;
  pollMs?: number;
}

/**
 * An exclusive lock: a file created with O_EXCL, holding only the process id and host name so a
 * lock left by a crashed command on this machine can be recognised and taken over. Readers do
 * not lock: entries are immutable and the index is replaced atomically.
 */
export async function withLock<T>(
  dir: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const file = path.join(dir, LOCK_FILE);
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  const me = `${process.pid} ${hostname()}\n`;
  for (;;) {
    try {
      const handle = await open(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      try {
        await handle.writeFile(me, "utf8");
      } finally {
        await handle.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (await takeOverStaleLock(file)) continue;
      if (Date.now() >= deadline) {
        throw new DeskError(
          `the register is in use by another desk command; if none is running, delete ${file}`,
        );
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 100));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(file).catch(() => undefined);
  }
}

/** A lock from this host whose process is gone is stale; remove it and try again. */
async function takeOverStaleLock(file: string): Promise<boolean> {
  let content: string;
  try {
    content = await readFile(file, "utf8");
  } catch {
    return true; // released meanwhile
  }
  const [pidText, host] = content.trim().split(" ");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false; // still running
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") return false;
  }
  await unlink(file).catch(() => undefined);
  return true;
}
