/** The Teams app package: a valid ZIP with the manifest filled in from the environment and both icons. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import {
  PackageConfigError,
  buildPackage,
  fillManifest,
  packageInputFromEnv,
} from "../../../manifest/teams/package.ts";
import { pngInfo } from "../../../manifest/teams/png.ts";
import { readZip, writeZip } from "../../../manifest/teams/zip.ts";

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

    const entries = readZip(await readFile(file));
    const manifest = JSON.parse(
      entries.find((e) => e.name === "manifest.json")?.data.toString("utf8") ?? "{}",
    );
    expect(manifest.manifestVersion).toBe("1.17");
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.bots[0].scopes).toEqual(["personal"]);
    expect(manifest.validDomains).toEqual(["vertrouwd.example.org"]);
    expect(manifest.developer.privacyUrl).toBe("https://vertrouwd.example.org/privacy");
    expect(JSON.stringify(manifest)).not.toContain("{{");
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);

    const color = pngInfo(entries.find((e) => e.name === "color.png")?.data ?? Buffer.alloc(0));
    const outline = pngInfo(entries.find((e) => e.name === "outline.png")?.data ?? Buffer.alloc(0));
    expect(color).toMatchObject({ width: 192, height: 192 });
    expect(outline).toMatchObject({ width: 32, height: 32, colorType: 6 });
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

  it("round-trips the zip writer, CRCs included", () => {
    const entries = [
      { name: "a.txt", data: Buffer.from("hello") },
      { name: "dir/ü.bin", data: Buffer.from([0, 1, 2, 255]) },
    ];
    const back = readZip(writeZip(entries));
    expect(back.map((e) => [e.name, e.data.toString("hex")])).toEqual(
      entries.map((e) => [e.name, e.data.toString("hex")]),
    );
    const broken = writeZip(entries);
    // Flip a byte of the first entry's data (after its 30-byte header and 5-byte name).
    broken.writeUInt8((broken.readUInt8(35) ^ 0xff) & 0xff, 35);
    expect(() => readZip(broken)).toThrow(/CRC/);
  });
});
