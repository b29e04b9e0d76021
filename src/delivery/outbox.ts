import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { link, mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { armoredBytes, assertSealed } from "./sealed.ts";
import { type DeliveryConfirmation, DeliveryError, type SealedHandoff, type Transport } from "./transport.ts";

export interface OutboxOptions {
  /** Directory for the `.asc` files; relative paths resolve against baseDir (default: cwd). */
  dir: string;
  baseDir?: string;
}

/**
 * Writes each handoff to `<dir>/<caseId>.asc`. The file appears complete or not at all (temp
 * file in the same directory, fsync, then a hard link that fails if the name exists), so a
 * counsellor's sync tool never picks up half a message and a retry never makes a second file.
 */
export class OutboxTransport implements Transport {
  readonly kind = "outbox" as const;
  readonly dir: string;

  constructor(options: OutboxOptions) {
    this.dir = isAbsolute(options.dir) ? options.dir : resolve(options.baseDir ?? process.cwd(), options.dir);
  }

  async deliver(handoff: SealedHandoff, signal?: AbortSignal): Promise<DeliveryConfirmation> {
    assertSealed(handoff);
    signal?.throwIfAborted();
    const bytes = armoredBytes(handoff);
    const target = join(this.dir, `${handoff.caseId}.asc`);
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      if (await this.alreadyDelivered(target, bytes)) return { transport: this.kind, reference: target };
      const temp = join(this.dir, `.${handoff.caseId}.${randomBytes(6).toString("hex")}.tmp`);
      await writeDurably(temp, bytes);
      try {
        await publish(temp, target);
      } catch (err) {
        await unlink(temp).catch(() => undefined);
        // Lost a race with a concurrent attempt for the same case: fine if it wrote the same bytes.
        if (isCode(err, "EEXIST") && (await this.alreadyDelivered(target, bytes))) {
          return { transport: this.kind, reference: target };
        }
        throw err;
      }
      await syncDirectory(this.dir);
      return { transport: this.kind, reference: target };
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      const code = errorCode(err);
      // Full disk and I/O hiccups can pass; permissions and bad paths will not fix themselves.
      const retryable = code === "ENOSPC" || code === "EIO" || code === "EBUSY" || code === "EAGAIN";
      throw new DeliveryError(`outbox write failed (${code ?? "unknown error"})`, { retryable, cause: err });
    }
  }

  private async alreadyDelivered(target: string, bytes: Buffer): Promise<boolean> {
    let existing: Buffer;
    try {
      existing = await readFile(target);
    } catch (err) {
      if (isCode(err, "ENOENT")) return false;
      throw err;
    }
    if (existing.equals(bytes)) return true;
    throw new DeliveryError("outbox already holds a different file for this case id; refusing to overwrite", {
      retryable: false,
    });
  }

  async check(): Promise<string[]> {
    try {
      const info = await stat(this.dir);
      if (!info.isDirectory()) return [`outbox path ${this.dir} exists but is not a directory`];
      const problems: string[] = [];
      if ((info.mode & 0o077) !== 0) {
        problems.push(
          `outbox directory ${this.dir} is readable by others (mode ${modeString(info.mode)}); use 0700`,
        );
      }
      const probe = join(this.dir, `.doctor-${randomBytes(6).toString("hex")}.tmp`);
      await writeDurably(probe, Buffer.from("probe"));
      await unlink(probe);
      return problems;
    } catch (err) {
      // A missing directory is created on first delivery; its parent must be writable.
      if (isCode(err, "ENOENT")) return [];
      return [`outbox directory ${this.dir} is not writable (${errorCode(err) ?? "unknown error"})`];
    }
  }
}

async function writeDurably(path: string, bytes: Buffer): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    // The umask can only narrow 0600, but chmod makes the mode explicit whatever the umask is.
    await handle.chmod(0o600);
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** link() refuses to replace an existing name, which rename() would do silently. */
async function publish(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
    await unlink(temp);
  } catch (err) {
    // Some filesystems (SMB, some FUSE mounts) have no hard links; fall back to rename after a check.
    if (
      isCode(err, "EPERM") ||
      isCode(err, "ENOTSUP") ||
      isCode(err, "EOPNOTSUPP") ||
      isCode(err, "ENOSYS")
    ) {
      const exists = await stat(target).then(
        () => true,
        () => false,
      );
      if (exists) throw Object.assign(new Error("target exists"), { code: "EEXIST" });
      await rename(temp, target);
      return;
    }
    throw err;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform can fsync a directory; the file itself is already synced.
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err && typeof err.code === "string"
    ? err.code
    : undefined;
}

function isCode(err: unknown, code: string): boolean {
  return errorCode(err) === code;
}

function modeString(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
