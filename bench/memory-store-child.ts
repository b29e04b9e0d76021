/**
 * Heap cost of idle conversations in the embedded memory store, measured in a fresh process
 * (node --expose-gc): heap after M parked conversations minus heap before, divided by M.
 * Prints one JSON line. Usage: memory-store-child.ts <demo-home> <M>
 */
import path from "node:path";
import pino from "pino";
import { demoSetup } from "../src/cli/demo-setup.ts";
import { createApp } from "../src/cli/wiring.ts";
import { parkConversations } from "./lib/park.ts";

const [home, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!home || !gc || !Number.isInteger(count) || count <= 0) {
  process.stderr.write("usage: node --expose-gc --import tsx memory-store-child.ts <demo-home> <M>\n");
  process.exit(2);
}

const settle = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage();
};

const demo = await demoSetup(path.resolve(home));
const app = await createApp({
  config: demo.config,
  configDir: demo.baseDir,
  env: {},
  logger: pino({ level: "silent" }),
});
// Warm up every code path first, so compiled code and caches are not counted as conversation state.
await parkConversations(app.runtime, 50);
const before = await settle();
const states = await parkConversations(app.runtime, count);
const after = await settle();
process.stdout.write(
  `${JSON.stringify({
    event: "memory.result",
    conversations: count,
    parkedIn: [...new Set(states)],
    heapUsedDelta: after.heapUsed - before.heapUsed,
    externalDelta: after.external - before.external,
    bytesPerConversation: Math.round(
      (after.heapUsed - before.heapUsed + after.external - before.external) / count,
    ),
  })}\n`,
);
await app.close();
