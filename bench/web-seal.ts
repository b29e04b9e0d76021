/**
 * `npm run bench:web`: what the secure web page costs a melder's browser.
 *
 *   - the bundle: bytes on the wire (raw and gzip), as the server sends it;
 *   - sealing a 10 KB report in Chromium: check the pinned keys, build the document, pad to its
 *     bucket and encrypt — the page's own performance.measure("vt:seal"), median of 7 runs in
 *     fresh browser contexts after a warm-up, and the time from pressing send to the receipt.
 *
 * Runs the real server (demo counsellors, memory store, outbox in a temp dir) and Debian's
 * Chromium through playwright-core, like the browser tests. Prints a table; writes nothing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type Page, chromium } from "playwright-core";
import { demoSetup } from "../src/cli/demo-setup.ts";
import { startServer } from "../src/cli/serve.ts";
import { createApp } from "../src/cli/wiring.ts";
import { silentLogger } from "../src/log/logger.ts";
import { summarize } from "./lib/stats.ts";

const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
/** 10,000 characters of report text over two fields: a long first report. */
const REPORT = {
  what: "Wat er gebeurde, in eigen woorden. ".repeat(200).slice(0, 7000),
  impact: "Gevolgen. ".repeat(300),
};

const log = (line: string) => process.stdout.write(`${line}\n`);

async function next(page: Page, act: () => Promise<void>): Promise<void> {
  const before = await page.$eval("section.step", (el) => Number((el as HTMLElement).dataset.step));
  await act();
  await page.waitForFunction(
    (b) => {
      const el = document.querySelector<HTMLElement>("section.step");
      return el !== null && Number(el.dataset.step) > b && el.getAttribute("aria-busy") !== "true";
    },
    before,
    { timeout: 30_000 },
  );
}

/** One report from the first screen to the receipt; returns the seal time and send-to-receipt time. */
async function oneReport(page: Page, url: string): Promise<{ sealMs: number; sendMs: number }> {
  await page.goto(url);
  await page.waitForSelector("section.step");
  for (const id of ["continue", "ack", "form"])
    await next(page, () => page.click(`button[data-choice="${id}"]`));
  for (const option of ["report", "bullying", "counsellor:demo-extern", "anonymous"]) {
    await page.check(`input[name="option"][value="${option}"]`);
    await next(page, () => page.click('form.answer button[type="submit"]'));
  }
  await page.fill('[name="what"]', REPORT.what);
  await page.fill('[name="impact"]', REPORT.impact);
  await next(page, () => page.click('form.answer button[type="submit"]'));
  // The anonymous follow-up mailbox is offered first (docs/follow-up.md): declined here.
  await next(page, () => page.click('button[data-choice="send"]'));
  const started = performance.now();
  await next(page, () => page.click('button[data-mailbox="mailbox.offerNo"]'));
  const sendMs = performance.now() - started;
  const sealMs = await page.evaluate(
    () => performance.getEntriesByName("vt:seal").at(-1)?.duration ?? Number.NaN,
  );
  return { sealMs, sendMs };
}

async function main(): Promise<void> {
  const home = await mkdtemp(path.join(tmpdir(), "vt-bench-web-"));
  const demo = await demoSetup(home);
  const config = {
    ...demo.config,
    web: {
      ...demo.config.web,
      enabled: true,
      publicUrl: "http://localhost:3978/web/",
      rateLimit: { ...demo.config.web.rateLimit, handoffsPerClient: 1000 },
    },
  };
  const app = await createApp({
    config,
    configDir: demo.baseDir,
    env: {},
    logger: silentLogger(),
    deliveryPollMs: 100,
  });
  const server = await startServer(app, {}, { port: 0, host: "127.0.0.1" });
  const url = `${server.url}/web/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const sizes: string[] = [];
    for (const name of ["app.js", "app.css"]) {
      const raw = await fetch(`${url}${name}`, { headers: { "accept-encoding": "identity" } });
      const gz = await fetch(`${url}${name}`, {
        headers: { "accept-encoding": "gzip" },
        decompress: false,
      } as RequestInit);
      sizes.push(
        `${name}: ${(await raw.arrayBuffer()).byteLength} bytes, ${gz.headers.get("content-length")} gzip`,
      );
    }
    const seal: number[] = [];
    const send: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const context = await browser.newContext();
      const result = await oneReport(await context.newPage(), url);
      await context.close();
      if (i === 0) continue; // warm-up: the first run also compiles the bundle
      seal.push(result.sealMs);
      send.push(result.sendMs);
    }
    const s = summarize(seal);
    const t = summarize(send);
    const min = Math.min(...seal);
    log(`Bundle (as served): ${sizes.join("; ")}`);
    log(
      `Seal a 10 KB report in Chromium (${RUNS} runs): median ${s.p50.toFixed(0)} ms, min ${min.toFixed(0)} ms, max ${s.max.toFixed(0)} ms`,
    );
    log(
      `Send to receipt (keys fetched, sealed, posted, queued): median ${t.p50.toFixed(0)} ms, max ${t.max.toFixed(0)} ms`,
    );
  } finally {
    await browser.close();
    await server.close();
    await app.close();
    await rm(home, { recursive: true, force: true });
  }
}

await main();
