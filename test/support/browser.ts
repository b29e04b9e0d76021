/**
 * One way to start the machine's Chromium for tests (playwright-core drives it; no browser is
 * downloaded): headless, no sandbox (containers), and every background service that would make
 * a network request of its own switched off, so a test that records requests sees only the
 * page's. Reused by every browser test.
 */
import { type Browser, type BrowserContext, type LaunchOptions, type Page, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
] as const;

export async function launchBrowser(
  options: Omit<LaunchOptions, "executablePath" | "headless"> = {},
): Promise<Browser> {
  return chromium.launch({
    ...options,
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

/** Every URL the page or context asks for, in order (the document itself included). */
export function recordRequests(target: Page | BrowserContext): string[] {
  const urls: string[] = [];
  target.on("request", (r) => urls.push(r.url()));
  return urls;
}
