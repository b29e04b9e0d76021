import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoKeys } from "../../src/crypto/demo-keys.ts";
import { loadCounsellorKey, loadSigningKey } from "../../src/crypto/keys.ts";
import { openHandoff } from "../../src/handoff/open.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { CANARY, makeDoc } from "./helpers.ts";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "vt-demo-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("ensureDemoKeys", () => {
  it("generates two counsellors and a bot once, private files 0600, and reuses them", async () => {
    const dir = path.join(root, "a", ".vertrouwd", "demo-keys");
    const first = await ensureDemoKeys(dir);
    expect(first.counsellors.map((c) => c.id)).toEqual(["demo-intern", "demo-extern"]);
    for (const pair of [...first.counsellors, first.bot]) {
      expect(pair.fingerprint).toMatch(/^[0-9A-F]{40}$/);
      expect((await stat(pair.privateKeyPath)).mode & 0o777).toBe(0o600);
      expect(await readFile(pair.publicKeyPath, "utf8")).toContain("BEGIN PGP PUBLIC KEY BLOCK");
    }
    expect(new Set([...first.counsellors, first.bot].map((p) => p.fingerprint)).size).toBe(3);

    const second = await ensureDemoKeys(dir);
    expect(second).toEqual(first);
    expect((await readdir(path.dirname(dir))).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("produces keys that pass counsellor validation, seal, sign and open", async () => {
    const dir = path.join(root, "b");
    const keys = await ensureDemoKeys(dir);
    const intern = keys.counsellors[0];
    if (!intern) throw new Error("no demo-intern");
    const loaded = await loadCounsellorKey(
      { publicKeyPath: intern.publicKeyPath, fingerprint: intern.fingerprint },
      "demo-intern",
    );
    const signingKey = await loadSigningKey(keys.bot.privateKeyPath);
    const { armored } = await sealHandoff(makeDoc({ counsellorId: "demo-intern" }), {
      recipients: [loaded.key],
      signingKey,
    });
    const opened = await openHandoff(armored, {
      privateKeyArmored: await readFile(intern.privateKeyPath, "utf8"),
    });
    expect(opened.text).toContain(CANARY);
  });

  it("is safe when two processes race on first run: one consistent set wins", async () => {
    const dir = path.join(root, "race", "demo-keys");
    const script = fileURLToPath(new URL("./demo-keys-child.ts", import.meta.url));
    const runChild = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", script, dir], {
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
        });
        child.stderr.on("data", (c: Buffer) => {
          err += c.toString();
        });
        child.on("close", (code) =>
          code === 0 ? resolve(out.trim()) : reject(new Error(`child failed: ${err}`)),
        );
      });
    const [a, b] = await Promise.all([runChild(), runChild()]);
    expect(a).toMatch(/^[0-9A-F]{40}(,[0-9A-F]{40}){2}$/);
    expect(b).toBe(a);
    const local = await ensureDemoKeys(dir);
    expect([...local.counsellors, local.bot].map((p) => p.fingerprint).join(",")).toBe(a);
    // Every private key matches its public key.
    for (const pair of [...local.counsellors, local.bot]) {
      const signing = await loadSigningKey(pair.privateKeyPath);
      expect(signing.getFingerprint().toUpperCase()).toBe(pair.fingerprint);
    }
    expect((await readdir(path.dirname(dir))).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("fills an empty existing directory and reports an incomplete one clearly", async () => {
    const empty = path.join(root, "empty");
    await mkdir(empty, { recursive: true });
    const keys = await ensureDemoKeys(empty);
    expect(keys.counsellors).toHaveLength(2);

    await unlink(keys.bot.publicKeyPath);
    await expect(ensureDemoKeys(empty)).rejects.toThrow(
      /incomplete .*bot\.public\.asc.*delete the directory/,
    );
  });
});
