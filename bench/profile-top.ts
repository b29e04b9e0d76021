/**
 * Summarises a V8 .cpuprofile (from BENCH_CPU_PROF=<dir> npm run bench): the functions with the
 * most self time, and time per package/source area. Usage: tsx bench/profile-top.ts <file> [count]
 */
import { readFile } from "node:fs/promises";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const [file, countArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: tsx bench/profile-top.ts <file.cpuprofile> [count]\n");
  process.exit(2);
}
const profile = JSON.parse(await readFile(file, "utf8")) as { nodes: Node[]; samples: number[] };
const total = profile.samples.length;
const self = new Map<string, number>();
const areas = new Map<string, number>();
const short = (url: string) => url.replace(/^file:\/\/.*?\/(node_modules|src|adapters|flows)\//, "$1/");
const areaOf = (url: string, fn: string) => {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  if (url.startsWith("node:")) return url.split("/")[0] ?? url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  return /\/(src\/[^/]+|adapters\/[^/]+|flows)\//.exec(url)?.[1] ?? "other";
};
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (!hits) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || "(anonymous)"} ${short(url)}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + hits);
  const area = areaOf(url, functionName);
  areas.set(area, (areas.get(area) ?? 0) + hits);
}
const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`.padStart(6);
process.stdout.write(`${total} samples\n\nby area (self time):\n`);
for (const [k, v] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 20))
  process.stdout.write(`${pct(v)}  ${k}\n`);
process.stdout.write("\ntop functions (self time):\n");
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(countArg ?? 30)))
  process.stdout.write(`${pct(v)}  ${k}\n`);
