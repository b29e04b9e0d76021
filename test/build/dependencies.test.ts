/**
 * Every package the code imports is declared in package.json: what production code imports is a
 * production dependency (so `npm ci --omit=dev` runs it), what tests and benchmarks import is
 * declared at all (no reliance on a package that happens to be hoisted from someone else's tree).
 * Imports are read with TypeScript's own pre-processor, dynamic `import()` included.
 */
import { readFile, readdir } from "node:fs/promises";
import { builtinModules } from "node:module";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BUILTINS = new Set(builtinModules);

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(?:ts|js|mjs)$/.test(e.name) && !e.parentPath.includes("node_modules"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Package name → files importing it (bare specifiers only; node: and relative imports skipped). */
async function packagesImportedBy(dirs: string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const dir of dirs) {
    for (const file of await sourceFiles(dir)) {
      const info = ts.preProcessFile(await readFile(path.join(ROOT, file), "utf8"), true, true);
      for (const { fileName: spec } of info.importedFiles) {
        if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:")) continue;
        const parts = spec.split("/");
        const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
        if (BUILTINS.has(name)) continue;
        found.set(name, [...(found.get(name) ?? []), file]);
      }
    }
  }
  return found;
}

const undeclared = (imported: Map<string, string[]>, declared: Set<string>) =>
  [...imported]
    .filter(([name]) => !declared.has(name))
    .map(([name, files]) => `${name} (${files.join(", ")})`);

describe("package.json declares what the code imports", async () => {
  const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const production = new Set(Object.keys(pkg.dependencies));
  const all = new Set([...production, ...Object.keys(pkg.devDependencies)]);

  it("production code (src, flows, adapters, manifest, bin) imports only production dependencies", async () => {
    const imported = await packagesImportedBy(["src", "flows", "adapters", "manifest", "bin"]);
    expect(imported.size).toBeGreaterThan(5);
    expect(undeclared(imported, production)).toEqual([]);
  });

  it("tests and benchmarks import only declared packages", async () => {
    const imported = await packagesImportedBy(["test", "bench"]);
    expect(undeclared(imported, all)).toEqual([]);
  });
});
