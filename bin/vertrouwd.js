#!/usr/bin/env node
// The package's bin (and `npm start`): runs the JavaScript that `npm run build` compiled into
// dist/, so production runs no TypeScript loader. In development, `npm run dev -- <command>` runs
// the sources through tsx instead.
import { existsSync } from "node:fs";

// npm only warns about `engines`; an operator on an old Node gets one clear line instead of an
// obscure failure later. Keep in step with package.json's engines.node.
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `vertrouwd: Node.js 22.12 or newer is needed (24 LTS recommended), this is ${process.version}; see README.md, "Node.js"\n`,
  );
  process.exit(1);
}

const entry = new URL("../dist/src/cli/entry.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("vertrouwd: the built JavaScript (dist/) is missing; run npm run build first\n");
  process.exit(1);
}
await import(entry.href);
