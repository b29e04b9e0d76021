#!/usr/bin/env node
// The package's bin (and `npm start`): runs the JavaScript that `npm run build` compiled into
// dist/, so production runs no TypeScript loader. In development, `npm run dev -- <command>` runs
// the sources through tsx instead.
import { existsSync } from "node:fs";

const entry = new URL("../dist/src/cli/entry.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("vertrouwd: the built JavaScript (dist/) is missing; run npm run build first\n");
  process.exit(1);
}
await import(entry.href);
