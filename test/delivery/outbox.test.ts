import { randomUUID } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OutboxTransport } from "../../src/delivery/outbox.ts";
import { DeliveryError } from "../../src/delivery/transport.ts";
import { fakeSealed, sealed } from "./fixtures.ts";

describe("outbox transport", () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), "vertrouwd-outbox-"));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it("writes <caseId>.asc with mode 0600 in a 0700 directory it creates, leaving no temp files", async () => {
    const transport = new OutboxTransport({ dir: "outbox", baseDir: base });
    const handoff = fakeSealed();
    const confirmation = await transport.deliver(handoff);

    const file = join(base, "outbox", `${handoff.caseId}.asc`);
    expect(confirmation).toEqual({ transport: "outbox", reference: file });
    expect(await readFile(file, "utf8")).toBe(handoff.armored);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(base, "outbox"))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(base, "outbox"))).toEqual([`${handoff.caseId}.asc`]);
  });

  it("is idempotent: the same case delivered again (even concurrently) confirms and keeps one file", async () => {
    const transport = new OutboxTransport({ dir: join(base, "abs") });
    const handoff = fakeSealed();
    await transport.deliver(handoff);
    await Promise.all([transport.deliver(handoff), transport.deliver(handoff), transport.deliver(handoff)]);
    expect(await readdir(join(base, "abs"))).toEqual([`${handoff.caseId}.asc`]);
  });

  it("refuses to overwrite a different file for the same case id", async () => {
    const transport = new OutboxTransport({ dir: base });
    const caseId = randomUUID();
    await transport.deliver(fakeSealed(caseId));
    const other = sealed("-----BEGIN PGP MESSAGE-----\n\nother\n-----END PGP MESSAGE-----\n", caseId);
    const error = await transport.deliver(other).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(false);
    expect(await readFile(join(base, `${caseId}.asc`), "utf8")).toBe(fakeSealed(caseId).armored);
  });

  it("rejects a case id that is not a UUID (it becomes a file name) and a hash mismatch", async () => {
    const transport = new OutboxTransport({ dir: base });
    await expect(transport.deliver({ ...fakeSealed(), caseId: "../../etc/passwd" })).rejects.toThrow(
      "invalid case id",
    );
    await expect(transport.deliver({ ...fakeSealed(), sha256: "0".repeat(64) })).rejects.toThrow(
      "sha256 does not match",
    );
    expect(await readdir(base)).toEqual([]);
  });

  it("reports write failures as admin errors with only the error code", async () => {
    const blocker = join(base, "not-a-dir");
    await writeFile(blocker, "x");
    const transport = new OutboxTransport({ dir: join(blocker, "sub") });
    const error = (await transport.deliver(fakeSealed()).catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.message).toMatch(/^outbox write failed \(E[A-Z]+\)$/);
    expect(error.retryable).toBe(false);
  });

  it("checks: a group-readable directory and a non-directory are problems; a missing one is fine", async () => {
    expect(await new OutboxTransport({ dir: join(base, "later") }).check()).toEqual([]);
    const loose = join(base, "loose");
    await mkdir(loose);
    await chmod(loose, 0o755);
    expect(await new OutboxTransport({ dir: loose }).check()).toEqual([
      expect.stringMatching(/readable by others \(mode 0755\)/),
    ]);
    const tight = join(base, "tight");
    await mkdir(tight, { mode: 0o700 });
    expect(await new OutboxTransport({ dir: tight }).check()).toEqual([]);
    await writeFile(join(base, "file"), "x");
    expect(await new OutboxTransport({ dir: join(base, "file") }).check()).toEqual([
      expect.stringMatching(/not a directory/),
    ]);
  });
});
