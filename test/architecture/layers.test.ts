/**
 * Dependencies point down only (issue 14 item 1): every import between folders goes to a lower
 * layer, and no module imports itself back through others. The graph is read with TypeScript's
 * own pre-processor (static imports, re-exports and dynamic `import()` alike).
 *
 *   npx vitest run test/architecture   — prints the folder graph and fails on an upward edge or a cycle
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Lower numbers are lower layers. A folder may import its own files and any folder of a lower
 * layer; folders of one layer know nothing of each other.
 */
const LAYERS: Record<string, number> = {
  flows: 0, // the conversation as pure data: no I/O, no strings, no src/
  "src/time": 1,
  "src/log": 1,
  "src/config": 2,
  "src/content": 2, // every word a melder or counsellor reads
  "src/crypto": 2, // seals and opens bytes; knows no domain type
  "src/store": 2,
  "src/metrics": 2,
  "src/resilience": 2,
  "src/delivery": 3, // moves ciphertext
  "src/handoff": 4, // the document, its plaintext, sealing it
  "src/conversation": 5, // the runtime adapters call
  "src/desk": 5, // the counsellor's side
  "src/followup": 5, // the anonymous mailbox: link tokens, the mailbox store and its rules
  "src/server": 6, // the HTTP router, health, privacy page
  "adapters/console": 7,
  "adapters/slack": 7,
  "adapters/teams": 7,
  "adapters/web": 7,
  "src/cli": 8, // the composition root
};

function folderOf(file: string): string {
  const parts = path.relative(ROOT, file).split(path.sep);
  return parts[0] === "flows" ? "flows" : parts.slice(0, 2).join("/");
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory())
      return name === "node_modules" || name === "results" ? [] : tsFiles(full);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [full] : [];
  });
}

/** file → the project files it imports (relative specifiers only; packages are not ours). */
function importGraph(roots: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of roots.flatMap((r) => tsFiles(path.join(ROOT, r)))) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    graph.set(
      file,
      info.importedFiles
        .map((f) => f.fileName)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => path.resolve(path.dirname(file), spec)),
    );
  }
  return graph;
}

/** Every cycle's files (Tarjan's strongly connected components larger than one file). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w) {
          on.delete(w);
          component.push(path.relative(ROOT, w));
        }
      } while (w && w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

describe("the import graph", () => {
  const product = importGraph(["flows", "src", "adapters"]);

  it("has a layer for every folder", () => {
    const folders = new Set([...product.keys()].map(folderOf));
    expect([...folders].filter((f) => LAYERS[f] === undefined)).toEqual([]);
  });

  it("points down only: no import reaches a folder of the same or a higher layer", () => {
    const folderEdges = new Map<string, Set<string>>();
    const upward: string[] = [];
    for (const [file, targets] of product) {
      const from = folderOf(file);
      for (const target of targets) {
        const to = folderOf(target);
        if (to === from) continue;
        if (!folderEdges.has(from)) folderEdges.set(from, new Set());
        folderEdges.get(from)?.add(to);
        if ((LAYERS[to] ?? 99) >= (LAYERS[from] ?? -1)) {
          upward.push(`${path.relative(ROOT, file)} → ${path.relative(ROOT, target)}`);
        }
      }
    }
    const lines = [...folderEdges]
      .sort(([a], [b]) => (LAYERS[b] ?? 0) - (LAYERS[a] ?? 0) || a.localeCompare(b))
      .map(([from, to]) => `  ${from} (${LAYERS[from]}) → ${[...to].sort().join(", ")}`);
    console.log(`folder imports, highest layer first:\n${lines.join("\n")}`);
    expect(upward).toEqual([]);
  });

  it("has no cycle between files, in the product or the benchmark", () => {
    expect(cycles(product)).toEqual([]);
    expect(cycles(importGraph(["bench"]))).toEqual([]);
  });

  it("keeps flows free of src/ and crypto free of the domain", () => {
    for (const [file, targets] of product) {
      const from = path.relative(ROOT, file);
      for (const target of targets.map((t) => path.relative(ROOT, t))) {
        if (from.startsWith("flows/")) expect(target, from).toMatch(/^flows\//);
        if (from.startsWith("src/crypto/")) expect(target, from).toMatch(/^src\/(crypto|time)\//);
      }
    }
  });
});
