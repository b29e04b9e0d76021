/**
 * The register on disk: only OpenPGP messages (gpg says so), names that reveal nothing, readable
 * with GnuPG itself, unreadable with another key, idempotent import, and robust against a
 * planted file, a damaged file, a lost file, an interrupted write and concurrent commands.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seal } from "../../src/crypto/seal.ts";
import { loadCases, readOpening, recordEvent } from "../../src/desk/actions.ts";
import { DeskError } from "../../src/desk/errors.ts";
import { LOCK_FILE, withLock } from "../../src/desk/files.ts";
import { importMessages } from "../../src/desk/import.ts";
import { DeskKey } from "../../src/desk/key.ts";
import {
  ENTRIES_DIR,
  INDEX_FILE,
  type RegisterContext,
  checkRegister,
  loadRegister,
  updateRegister,
} from "../../src/desk/register.ts";
import { rekeyRegister } from "../../src/desk/rekey.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { createGnupgHome } from "../crypto/helpers.ts";
import { CANARY, type DeskFixture, buildFixture } from "./fixture.ts";

let fx: DeskFixture;
let other: DeskKey;

beforeAll(async () => {
  fx = await buildFixture({ count: 12 });
  const fpr = await fx.gpg.generate("Someone Else <else@example.org>", "ed25519", "cv25519");
  other = await DeskKey.unlock(await fx.gpg.exportSecret(fpr));
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
});

async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else
        out.set(
          path.relative(dir, p),
          createHash("sha256")
            .update(await readFile(p))
            .digest("hex"),
        );
    }
  };
  await walk(dir);
  return out;
}

/** A copy of the fixture's register to damage. */
async function copyRegister(name: string): Promise<RegisterContext> {
  const dir = path.join(fx.root, name);
  await mkdir(path.join(dir, ENTRIES_DIR), { recursive: true });
  await copyFile(path.join(fx.registerDir, INDEX_FILE), path.join(dir, INDEX_FILE));
  for (const f of await readdir(path.join(fx.registerDir, ENTRIES_DIR))) {
    await copyFile(path.join(fx.registerDir, ENTRIES_DIR, f), path.join(dir, ENTRIES_DIR, f));
  }
  return { ...fx.ctx, dir };
}

describe("the register on disk", () => {
  it("holds only OpenPGP messages, under names that reveal nothing", async () => {
    const files = [...(await snapshot(fx.registerDir)).keys()].sort();
    expect(files).toContain(INDEX_FILE);
    for (const f of files) {
      expect(f === INDEX_FILE || /^entries\/[0-9a-f]{32}\.asc$/.test(f), f).toBe(true);
    }
    // 18 handoffs (12 in the year and 6 around it) and their events.
    expect(files.length).toBeGreaterThan(18);
    for (const f of files) {
      const listing = await fx.gpg.gpg(["--list-packets", path.join(fx.registerDir, f)]);
      expect(listing.code, `${f}: ${listing.stderr}`).toBe(0);
      // Encrypted to the counsellor's key, integrity-protected, signed inside by the same key.
      expect(listing.stdout).toMatch(/^:pubkey enc packet:/m);
      expect(listing.stdout).toMatch(/^:encrypted data packet:/m);
      expect(listing.stdout).toMatch(/mdc_method: 2/);
      expect(listing.stdout).toMatch(/^:signature packet:/m);
      expect(listing.stdout).toMatch(/^:literal data packet:/m);
      expect(listing.stdout).not.toContain(CANARY);
    }
  });

  it("is private to the counsellor's user account", async () => {
    if (process.platform === "win32") return;
    expect((await stat(fx.registerDir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(fx.registerDir, INDEX_FILE))).mode & 0o777).toBe(0o600);
  });

  it("can be read with GnuPG alone (no lock-in), and GnuPG verifies the counsellor's signature", async () => {
    const [first] = (await readdir(path.join(fx.registerDir, ENTRIES_DIR))).sort();
    const out = await fx.gpg.gpg([
      "--status-fd",
      "2",
      "--decrypt",
      path.join(fx.registerDir, ENTRIES_DIR, first as string),
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain(`VALIDSIG ${fx.fingerprint}`);
    const record = JSON.parse(out.stdout) as { register: number; caseId: string };
    expect(record.register).toBe(1);
    const index = await fx.gpg.gpg(["--decrypt", path.join(fx.registerDir, INDEX_FILE)]);
    expect(JSON.parse(index.stdout).registerIndex).toBe(1);
    // The index holds no report text and no note text.
    expect(index.stdout).not.toContain(CANARY);
  });

  it("cannot be read with another key", async () => {
    const ctx: RegisterContext = { ...fx.ctx, key: other };
    await expect(loadRegister(ctx)).rejects.toThrow(/encrypted to another key/);
    await expect(importMessages(ctx, [fx.inbox])).rejects.toThrow(/encrypted to another key/);
    const [first] = await readdir(path.join(fx.registerDir, ENTRIES_DIR));
    await expect(
      other.openEntry(await readFile(path.join(fx.registerDir, ENTRIES_DIR, first as string), "utf8")),
    ).rejects.toMatchObject({
      reason: "wrong-key",
    });
    // And a GnuPG without the key cannot either.
    const stranger = await createGnupgHome();
    try {
      const r = await stranger.gpg(["--decrypt", path.join(fx.registerDir, INDEX_FILE)]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/No secret key|decryption failed/);
    } finally {
      await stranger.cleanup();
    }
  });

  it("imports the same handoffs again as a no-op: not one byte changes", async () => {
    const before = await snapshot(fx.registerDir);
    const result = await importMessages(fx.ctx, [fx.inbox, fx.inbox]);
    expect(result.outcomes.filter((o) => o.kind === "imported")).toHaveLength(0);
    expect(result.outcomes.filter((o) => o.kind === "duplicate")).toHaveLength(2 * fx.docs.length);
    expect(await snapshot(fx.registerDir)).toEqual(before);
  });
});

describe("a register that was tampered with, damaged or interrupted", () => {
  it("ignores a file planted by someone who has only the public key", async () => {
    const ctx = await copyRegister("planted");
    const { cases } = await loadCases(ctx);
    const victim = cases[0];
    const forged = JSON.stringify({
      register: 1,
      kind: "event",
      caseId: victim?.caseId,
      recordedAt: new Date().toISOString(),
      seq: 9999,
      event: { type: "status", status: "closed", reason: "resolved", date: "2027-01-15" },
    });
    const publicKey = await openpgp.readKey({ armoredKey: await readFile(fx.publicKeyFile, "utf8") });
    const { armored } = await seal(new TextEncoder().encode(forged), {
      recipients: [publicKey],
      day: "2027-01-15",
    });
    await writeFile(path.join(ctx.dir, ENTRIES_DIR, `${"ab".repeat(16)}.asc`), armored);
    const after = await loadCases(ctx);
    expect(after.state.unreadable).toEqual([`${"ab".repeat(16)}.asc`]);
    expect(after.state.warnings.join("\n")).toMatch(/not written by the desk/);
    expect(after.cases.find((c) => c.caseId === victim?.caseId)?.status).toBe(victim?.status);
    const check = await checkRegister(ctx);
    expect(check.unreadable).toHaveLength(1);
  });

  it("rebuilds the index from the entries when the index is damaged", async () => {
    const ctx = await copyRegister("bad-index");
    const expected = (await loadCases(ctx)).cases.map((c) => [c.facts.caseCode, c.status, c.ackDate]);
    const text = await readFile(path.join(ctx.dir, INDEX_FILE), "utf8");
    const lines = text.split("\n");
    lines[5] = `${(lines[5] as string).slice(0, 10)}AAAA${(lines[5] as string).slice(14)}`;
    await writeFile(path.join(ctx.dir, INDEX_FILE), lines.join("\n"));
    const damaged = await loadCases(ctx);
    expect(damaged.state.rebuilt).toBe(true);
    expect(damaged.cases.map((c) => [c.facts.caseCode, c.status, c.ackDate])).toEqual(expected);
    // The next write puts a good index back.
    await updateRegister(ctx, async () => undefined);
    const healed = await loadRegister(ctx);
    expect(healed.rebuilt).toBe(false);
    expect(healed.warnings).toEqual([]);
  });

  it("ignores an index signed by another key and rebuilds it from the entries", async () => {
    const ctx = await copyRegister("forged-index");
    const honest = (await loadCases(ctx)).cases.map((c) => [c.caseId, c.status]);
    const forged = JSON.stringify({ registerIndex: 1, entries: [] });
    const publicKey = await openpgp.readKey({ armoredKey: await readFile(fx.publicKeyFile, "utf8") });
    const otherPrivate = await openpgp.readPrivateKey({
      armoredKey: await fx.gpg.exportSecret(other.fingerprint),
    });
    const { armored } = await seal(new TextEncoder().encode(forged), {
      recipients: [publicKey],
      day: new Date().toISOString().slice(0, 10),
      signingKey: otherPrivate,
    });
    await writeFile(path.join(ctx.dir, INDEX_FILE), armored);
    const state = await loadCases(ctx);
    expect(state.state.warnings).toContain(
      "the index was not signed by your key; it was ignored and rebuilt from the entries",
    );
    expect(state.cases.map((c) => [c.caseId, c.status])).toEqual(honest);
  });

  it("notices a lost entry, keeps showing its case, and is whole again once it is restored", async () => {
    const ctx = await copyRegister("lost");
    const before = await loadCases(ctx);
    const c = before.cases[0] as (typeof before.cases)[0];
    const victim = c.openingFile;
    const file = path.join(ctx.dir, ENTRIES_DIR, victim);
    const saved = await readFile(file);
    await rm(file);
    const lost = await loadCases(ctx);
    expect(lost.state.missing).toEqual([victim]);
    expect(lost.state.warnings.join("\n")).toMatch(/missing; restore/);
    expect(lost.cases).toHaveLength(before.cases.length);
    await expect(readOpening(ctx, c)).rejects.toThrow(
      /is missing \(entries\/[0-9a-f]{32}\.asc\); restore it from a backup/,
    );
    await writeFile(file, saved);
    const restored = await checkRegister(ctx);
    expect(restored.missing).toEqual([]);
    expect(restored.unreadable).toEqual([]);
    expect(restored.indexDiffers).toBe(false);
    expect(restored.verified).toBe(restored.files);
    expect(await readOpening(ctx, c)).toContain(c.facts.caseCode);
  });

  it("picks up an entry whose index update was interrupted, and cleans half-written files", async () => {
    const ctx = await copyRegister("interrupted");
    const oldIndex = await readFile(path.join(ctx.dir, INDEX_FILE));
    const { cases } = await loadCases(ctx);
    const target = cases.find((c) => c.status !== "closed") ?? (cases[0] as (typeof cases)[0]);
    await recordEvent(ctx, target.facts.caseCode, () => ({ type: "follow_up", date: "2027-02-01" }));
    // As if the machine stopped after writing the entry and before replacing the index.
    await writeFile(path.join(ctx.dir, INDEX_FILE), oldIndex);
    await writeFile(path.join(ctx.dir, ENTRIES_DIR, ".tmp-0123456789abcdef"), "half a message");
    const state = await loadCases(ctx);
    expect(state.state.unindexed).toBe(1);
    expect(state.cases.find((c) => c.caseId === target.caseId)?.followUp).toBe("2027-02-01");
    await updateRegister(ctx, async () => undefined);
    expect(await readdir(path.join(ctx.dir, ENTRIES_DIR))).not.toContain(".tmp-0123456789abcdef");
    expect((await loadRegister(ctx)).unindexed).toBe(0);
  });

  it("merges two copies of the register that were used apart (two computers)", async () => {
    const a = await copyRegister("merge-a");
    const b = await copyRegister("merge-b");
    const doc = fx.docs[0] as (typeof fx.docs)[0];
    const extra = { ...doc, caseId: "0b0b0b0b-1111-4222-8333-444444444444", caseCode: "VT-MRGE-0001" };
    const publicKey = await openpgp.readKey({ armoredKey: await readFile(fx.publicKeyFile, "utf8") });
    const file = path.join(fx.root, "merge-handoff.asc");
    await writeFile(file, (await sealHandoff(extra, { recipients: [publicKey] })).armored);
    await importMessages(a, [file]);
    await importMessages(b, [file]);
    await recordEvent(b, "VT-MRGE-0001", () => ({
      type: "note",
      date: "2027-01-15",
      text: "op de andere computer",
    }));
    for (const f of await readdir(path.join(b.dir, ENTRIES_DIR))) {
      await copyFile(path.join(b.dir, ENTRIES_DIR, f), path.join(a.dir, ENTRIES_DIR, f));
    }
    const merged = await loadCases(a);
    const c = merged.cases.filter((x) => x.facts.caseCode === "VT-MRGE-0001");
    expect(c).toHaveLength(1);
    expect(c[0]?.notes).toBe(1);
    expect(c[0]?.timeline.filter((t) => t.what.kind === "message")).toHaveLength(1);
    expect(merged.cases).toHaveLength(fx.docs.length + 1);
    await updateRegister(a, async () => undefined, { rewriteIndex: true });
    expect((await checkRegister(a)).indexDiffers).toBe(false);
  });

  it("serialises concurrent writers: every change lands, none is lost", async () => {
    const ctx = await copyRegister("concurrent");
    const { cases } = await loadCases(ctx);
    const code = (cases[0] as (typeof cases)[0]).facts.caseCode;
    const notesBefore = (cases[0] as (typeof cases)[0]).notes;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        recordEvent(ctx, code, () => ({ type: "note", date: "2027-01-15", text: `note ${i}` })),
      ),
    );
    const after = await loadCases(ctx);
    expect(after.state.unindexed).toBe(0);
    expect(after.cases.find((c) => c.facts.caseCode === code)?.notes).toBe(notesBefore + 6);
    expect(await readdir(ctx.dir)).not.toContain(LOCK_FILE);
  });

  it("moves to a new key: the same cases, and the old key cannot read the copy", async () => {
    const to: RegisterContext = { ...fx.ctx, dir: path.join(fx.root, "rekeyed"), key: other };
    const { copied } = await rekeyRegister(fx.ctx, to);
    expect(copied).toBe((await readdir(path.join(fx.registerDir, ENTRIES_DIR))).length);
    const view = (cs: Awaited<ReturnType<typeof loadCases>>["cases"]) =>
      cs
        .map((c) => ({
          caseId: c.caseId,
          facts: c.facts,
          status: c.status,
          ackDate: c.ackDate,
          feedbackDate: c.feedbackDate,
          followUp: c.followUp,
          notes: c.notes,
          timeline: c.timeline.map((t) => t.what),
        }))
        .sort((a, b) => a.caseId.localeCompare(b.caseId));
    expect(view((await loadCases(to)).cases)).toEqual(view((await loadCases(fx.ctx)).cases));
    await expect(loadRegister({ ...to, key: fx.ctx.key })).rejects.toThrow(/encrypted to another key/);
    await expect(rekeyRegister(fx.ctx, to)).rejects.toThrow(/already holds a register/);
    const check = await checkRegister(to);
    expect(check.verified).toBe(copied);
    expect(check.indexDiffers).toBe(false);
  });

  it("takes over a lock left by a crashed command, and waits for a live one", async () => {
    const dir = path.join(fx.root, "locks");
    await mkdir(dir, { recursive: true });
    const { hostname } = await import("node:os");
    // A pid that cannot be running (above the kernel's maximum).
    await writeFile(path.join(dir, LOCK_FILE), `99999999 ${hostname()}\n`);
    expect(await withLock(dir, async () => "ran")).toBe("ran");
    await writeFile(path.join(dir, LOCK_FILE), `${process.pid} ${hostname()}\n`);
    await expect(withLock(dir, async () => "ran", { waitMs: 200, pollMs: 20 })).rejects.toThrow(DeskError);
    await expect(withLock(dir, async () => "ran", { waitMs: 200, pollMs: 20 })).rejects.toThrow(
      /in use by another desk command/,
    );
  });
});
