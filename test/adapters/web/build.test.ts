/**
 * The page's bundle: built reproducibly (two builds, byte-identical files, no path of this
 * machine inside), described by its manifest, and refused with one clear line when it is
 * missing in production.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebBundleError, bundleInfo, loadWebBundle } from "../../../adapters/web/server/bundle.ts";
import { buildWeb } from "../../../scripts/build-web.ts";
import { ROOT } from "../../support/spawn.ts";

let a: string;
let b: string;
beforeAll(async () => {
  [a, b] = await Promise.all([
    mkdtemp(path.join(tmpdir(), "vt-web-a-")),
    mkdtemp(path.join(tmpdir(), "vt-web-b-")),
  ]);
});
afterAll(async () => {
  await rm(a, { recursive: true, force: true });
  await rm(b, { recursive: true, force: true });
});

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("the web page's bundle", () => {
  it("is byte-identical when built twice, and its manifest tells the truth", async () => {
    const [first, second] = [await buildWeb(a), await buildWeb(b)];
    expect(second.files).toEqual(first.files);
    for (const name of ["app.js", "app.css"] as const) {
      const [x, y] = [await readFile(path.join(a, name)), await readFile(path.join(b, name))];
      expect(x.equals(y)).toBe(true);
      expect(first.files[name]).toMatchObject({ bytes: x.length, sha256: sha256(x) });
    }
    expect(first.inputs).toContain("adapters/web/page/main.ts");
    expect(first.inputs).toContain("src/crypto/seal.ts");
    expect(first.inputs).toContain("src/handoff/document.ts");
    expect(first.inputs.every((i) => !path.isAbsolute(i))).toBe(true);
    const js = await readFile(path.join(a, "app.js"), "utf8");
    expect(js).not.toContain(ROOT);
    expect(js).not.toMatch(/localStorage|sessionStorage|indexedDB|document\.cookie/);
  });

  it("is what the server serves and doctor describes", async () => {
    const bundle = await loadWebBundle({ env: {} });
    const info = await bundleInfo();
    for (const name of ["app.js", "app.css"] as const) {
      const file = bundle.files[name];
      expect(info?.files.find((f) => f.name === name)?.sha256).toBe(file.sha256);
      expect(file.integrity).toBe(`sha384-${createHash("sha384").update(file.body).digest("base64")}`);
    }
  });

  it("is a clear start-up error when it is missing in production", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "vt-web-root-"));
    try {
      await writeFile(path.join(root, "package.json"), JSON.stringify({ name: "vertrouwd" }));
      const err = await loadWebBundle({ env: { NODE_ENV: "production" }, root }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WebBundleError);
      expect((err as Error).message).toMatch(
        /^web\.enabled is true but the page's bundle .*app\.js is missing; run "npm run build:web"/,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
