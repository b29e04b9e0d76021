/**
 * `npm run build:web`: the secure web page's bundle, built reproducibly into dist/web/.
 *
 *   app.js        the page: flows, catalogs, handoff document, padding and OpenPGP.js (browser build)
 *   app.css       its style sheet
 *   manifest.json sizes and SHA-256 of both, the esbuild version and the inputs (for auditors)
 *
 * The same commit, the same package-lock.json and this script give byte-identical files on any
 * machine: no timestamps, no absolute paths, no source maps, a pinned esbuild. docs/web.md tells
 * an auditor how to rebuild and compare with what `vertrouwd doctor` prints and the server serves.
 *
 * Usage: tsx scripts/build-web.ts [--out <dir>] [--quiet]
 */
import { createHash } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { build, version } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
export const DEFAULT_OUT = path.join(ROOT, "dist/web");

export interface WebBuildFile {
  bytes: number;
  gzipBytes: number;
  sha256: string;
}

export interface WebBuildManifest {
  esbuild: string;
  files: Record<"app.js" | "app.css", WebBuildFile>;
  /** Every source file that went into the bundle, relative to the repository. */
  inputs: string[];
}

export async function buildWeb(outDir = DEFAULT_OUT): Promise<WebBuildManifest> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [
      { in: "adapters/web/page/main.ts", out: "app" },
      { in: "adapters/web/page/style.css", out: "app" },
    ],
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    // Browsers with Web Crypto, ES2022 and module scripts with integrity (2022 and later).
    target: ["es2022", "chrome109", "firefox115", "safari16"],
    minify: true,
    sourcemap: false,
    legalComments: "eof",
    charset: "utf8",
    define: { "process.env.NODE_ENV": '"production"' },
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  await mkdir(outDir, { recursive: true });
  const files: Partial<WebBuildManifest["files"]> = {};
  for (const file of result.outputFiles) {
    const name = path.basename(file.path) as "app.js" | "app.css";
    await writeAtomically(file.path, file.contents);
    files[name] = {
      bytes: file.contents.length,
      gzipBytes: gzipSync(file.contents, { level: 9 }).length,
      sha256: createHash("sha256").update(file.contents).digest("hex"),
    };
  }
  if (!files["app.js"] || !files["app.css"]) throw new Error("esbuild did not write app.js and app.css");
  const manifest: WebBuildManifest = {
    esbuild: version,
    files: files as WebBuildManifest["files"],
    inputs: Object.keys(result.metafile.inputs).sort(),
  };
  // Written last: a manifest means the files beside it are complete.
  await writeAtomically(path.join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Another process may be building at the same time (tests): each file appears whole or not at all. */
async function writeAtomically(file: string, contents: Uint8Array | string): Promise<void> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, contents);
  await rename(temp, file);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: "string" }, quiet: { type: "boolean" } } });
  const out = values.out ? path.resolve(values.out) : DEFAULT_OUT;
  try {
    const manifest = await buildWeb(out);
    // `npm run build --silent` (as `npm run demo` calls it) prints nothing.
    if (!values.quiet && process.env.npm_config_loglevel !== "silent") {
      for (const [name, f] of Object.entries(manifest.files)) {
        process.stdout.write(
          `${path.relative(process.cwd(), path.join(out, name))}: ${f.bytes} bytes (${f.gzipBytes} gzip), sha256 ${f.sha256}\n`,
        );
      }
    }
  } catch (err) {
    process.stderr.write(`build:web: ${err instanceof Error ? err.message.split("\n")[0] : "failed"}\n`);
    process.exit(1);
  }
}
