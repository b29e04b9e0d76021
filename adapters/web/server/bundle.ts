/**
 * The page's bundle as the server serves it: dist/web/app.js and app.css, read once at start,
 * with their SHA-256 (what `vertrouwd doctor` prints), their Subresource Integrity hashes (in the
 * page's HTML) and a gzip copy.
 *
 * `npm run build` makes the bundle. In a development checkout (the build script and tsx are
 * there, NODE_ENV is not production) a missing or outdated bundle is built on demand; in
 * production a missing bundle is a clear start-up error, never a silent rebuild.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

export class WebBundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebBundleError";
  }
}

export interface BundleFile {
  name: "app.js" | "app.css";
  contentType: string;
  body: Buffer;
  gzip: Buffer;
  /** Hex SHA-256 of the file: compare with a rebuild (docs/web.md). */
  sha256: string;
  /** "sha384-…" for the page's integrity attributes. */
  integrity: string;
}

export interface WebBundle {
  dir: string;
  files: Record<BundleFile["name"], BundleFile>;
}

/** The package's root: the nearest directory up from here with vertrouwd's package.json. */
export function packageRoot(from = import.meta.dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        // Synchronous, once at start-up, before anything is served.
        const json = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
        if (json.name === "vertrouwd") return dir;
      } catch {
        // Not ours; keep looking.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new WebBundleError("cannot find the vertrouwd package root");
    dir = parent;
  }
}

export const bundleDir = (root = packageRoot()) => path.join(root, "dist", "web");

const FILES = [
  { name: "app.js", contentType: "text/javascript; charset=utf-8" },
  { name: "app.css", contentType: "text/css; charset=utf-8" },
] as const;

/**
 * Loads the bundle; in a development checkout builds it first when it is missing or older than
 * one of its sources. Throws WebBundleError with a one-line admin message otherwise.
 */
export async function loadWebBundle(options: { env: NodeJS.ProcessEnv; root?: string }): Promise<WebBundle> {
  const root = options.root ?? packageRoot();
  const dir = bundleDir(root);
  const script = path.join(root, "scripts", "build-web.ts");
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const development = options.env.NODE_ENV !== "production" && existsSync(script) && existsSync(tsx);
  if (development && (await outdated(root, dir))) await runBuild(tsx, script, root);
  const files = {} as WebBundle["files"];
  for (const { name, contentType } of FILES) {
    let body: Buffer;
    try {
      body = await readFile(path.join(dir, name));
    } catch {
      throw new WebBundleError(
        `web.enabled is true but the page's bundle ${path.join(dir, name)} is missing; run "npm run build:web" (part of "npm run build") before starting`,
      );
    }
    files[name] = {
      name,
      contentType,
      body,
      gzip: gzipSync(body, { level: 9 }),
      sha256: createHash("sha256").update(body).digest("hex"),
      integrity: `sha384-${createHash("sha384").update(body).digest("base64")}`,
    };
  }
  return { dir, files };
}

/** Sizes and SHA-256 of the bundle on disk, for `vertrouwd doctor`; undefined when it is missing. */
export async function bundleInfo(
  root = packageRoot(),
): Promise<{ dir: string; files: { name: string; bytes: number; sha256: string }[] } | undefined> {
  const dir = bundleDir(root);
  const files = [];
  for (const { name } of FILES) {
    const body = await readFile(path.join(dir, name)).catch(() => undefined);
    if (!body) return undefined;
    files.push({ name, bytes: body.length, sha256: createHash("sha256").update(body).digest("hex") });
  }
  return { dir, files };
}

/** Missing, or a source listed in the manifest changed after the bundle was written. */
async function outdated(root: string, dir: string): Promise<boolean> {
  const built = await stat(path.join(dir, "manifest.json")).catch(() => undefined);
  if (!built) return true;
  let inputs: string[];
  try {
    inputs = (JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as { inputs: string[] })
      .inputs;
  } catch {
    return true;
  }
  for (const input of inputs) {
    const s = await stat(path.join(root, input)).catch(() => undefined);
    if (!s || s.mtimeMs > built.mtimeMs) return true;
  }
  return false;
}

function runBuild(tsx: string, script: string, root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(tsx, [script, "--quiet"], { cwd: root, timeout: 180_000 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const line = stderr.split("\n").find((l) => l.trim() !== "") ?? err.message.split("\n")[0];
      reject(new WebBundleError(`building the web page's bundle failed: ${line}`));
    });
  });
}
