/**
 * `npm run docs:privacy`: rewrites the table in docs/privacy.md from src/content/privacy.ts, the
 * source the privacy page is rendered from, so the page and the doc cannot drift (a test fails
 * when they do). Only the region between the markers is touched.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withGeneratedTable } from "./privacy.ts";

export const PRIVACY_DOC = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../docs/privacy.md",
);

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const doc = await readFile(PRIVACY_DOC, "utf8");
    const next = withGeneratedTable(doc);
    if (next !== doc) await writeFile(PRIVACY_DOC, next);
    process.stdout.write(
      next === doc ? "docs/privacy.md is up to date\n" : "docs/privacy.md: table regenerated\n",
    );
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
