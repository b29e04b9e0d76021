/** The Teams app package: a valid ZIP with the manifest filled in from the environment and both icons. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import {
  PackageConfigError,
  TEAMS_DIR,
  buildPackage,
  fillManifest,
  packageInputFromEnv,
  pngHeader,
} from "../../../manifest/teams/package.ts";

const run = promisify(execFile);
const APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("Teams app package", () => {
  it("builds a zip that unzip lists and whose manifest names the bot and the domain", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "vt-pkg-"));
    dirs.push(out);
    const file = await buildPackage(
      packageInputFromEnv({ MicrosoftAppId: APP_ID, VERTROUWD_PUBLIC_HOST: "Vertrouwd.Example.org" }),
      out,
    );
    expect(path.basename(file)).toBe("vertrouwd-teams.zip");

    const listing = await run("unzip", ["-l", file]);
    for (const name of ["manifest.json", "color.png", "outline.png"]) expect(listing.stdout).toContain(name);
    await run("unzip", ["-t", file]);

    const entries = unzipSync(await readFile(file));
    expect(Object.keys(entries).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    const manifest = JSON.parse(Buffer.from(entries["manifest.json"] ?? []).toString("utf8"));
    expect(manifest.manifestVersion).toBe("1.17");
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.bots[0].scopes).toEqual(["personal"]);
    expect(manifest.validDomains).toEqual(["vertrouwd.example.org"]);
    expect(manifest.developer.privacyUrl).toBe("https://vertrouwd.example.org/privacy");
    expect(JSON.stringify(manifest)).not.toContain("{{");
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);

    // The icons go in unchanged, and the same inputs give the same bytes.
    expect(Buffer.from(entries["color.png"] ?? [])).toEqual(
      await readFile(path.join(TEAMS_DIR, "color.png")),
    );
    expect(pngHeader(entries["color.png"] ?? new Uint8Array())).toMatchObject({ width: 192, height: 192 });
    expect(pngHeader(entries["outline.png"] ?? new Uint8Array())).toMatchObject({
      width: 32,
      height: 32,
      colorType: 6,
    });
    const again = await mkdtemp(path.join(tmpdir(), "vt-pkg-"));
    dirs.push(again);
    const second = await buildPackage({ appId: APP_ID, host: "vertrouwd.example.org" }, again);
    expect(await readFile(second)).toEqual(await readFile(file));
  });

  it("refuses a missing or malformed bot id or host with errors that say what to set", () => {
    expect(() => packageInputFromEnv({})).toThrow(
      /MicrosoftAppId is not set[\s\S]*VERTROUWD_PUBLIC_HOST is not set/,
    );
    expect(() => packageInputFromEnv({ MicrosoftAppId: "my-bot", VERTROUWD_PUBLIC_HOST: "x.org" })).toThrow(
      /GUID/,
    );
    for (const host of ["https://x.org", "x.org:443", "x.org/api", "localhost", "x..org"]) {
      expect(() => packageInputFromEnv({ MicrosoftAppId: APP_ID, VERTROUWD_PUBLIC_HOST: host })).toThrow(
        PackageConfigError,
      );
    }
    expect(() => fillManifest('{"a":"{{OTHER}}"}', { appId: APP_ID, host: "x.org" })).toThrow(/placeholder/);
  });

  it("refuses icons of the wrong size or without transparency, and files that are not PNGs", async () => {
    const input = { appId: APP_ID, host: "vertrouwd.example.org" };
    const color = await readFile(path.join(TEAMS_DIR, "color.png"));
    const outline = await readFile(path.join(TEAMS_DIR, "outline.png"));
    const withIcons = async (icons: { color: Buffer; outline: Buffer }) => {
      const dir = await mkdtemp(path.join(tmpdir(), "vt-pkg-icons-"));
      dirs.push(dir);
      await writeFile(path.join(dir, "manifest.json"), await readFile(path.join(TEAMS_DIR, "manifest.json")));
      await writeFile(path.join(dir, "color.png"), icons.color);
      await writeFile(path.join(dir, "outline.png"), icons.outline);
      return buildPackage(input, path.join(dir, "build"), dir);
    };
    // The outline icon's header rewritten to RGB (colour type 2): Teams needs transparency.
    const rgb = Buffer.from(outline);
    rgb[25] = 2;
    await expect(withIcons({ color, outline: rgb })).rejects.toThrow(/outline.png must be RGBA/);
    await expect(withIcons({ color: outline, outline })).rejects.toThrow(/color.png must be 192x192 pixels/);
    await expect(withIcons({ color, outline: Buffer.from("GIF89a, not a PNG at all") })).rejects.toThrow(
      /outline.png is not a PNG file/,
    );
    await expect(withIcons({ color, outline })).resolves.toMatch(/vertrouwd-teams\.zip$/);
  });

  it("finds the template and icons in manifest/teams (also when run compiled, from dist/)", () => {
    expect(TEAMS_DIR).toBe(path.resolve("manifest/teams"));
  });
});
