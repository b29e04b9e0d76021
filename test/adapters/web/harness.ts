/**
 * The secure web page under test: `vertrouwd serve`'s real HTTP server (startServer) with the web
 * adapter on, the demo counsellors with fresh keys, the real delivery queue and outbox, and a
 * record of every request body the API parsed (the adapter's test hook).
 */
import { type RunningServer, startServer } from "../../../src/cli/serve.ts";
import type { AppOptions } from "../../../src/cli/wiring.ts";
import type { Config } from "../../../src/config/schema.ts";
import { freePort } from "../../store/helpers.ts";
import { type TestApp, testApp } from "../../support/app.ts";

export interface WebHarness extends TestApp {
  server: RunningServer;
  /** The page's address: http://127.0.0.1:<port>/web/ */
  pageUrl: string;
  origin: string;
  /** Every request body the web API received: the route, the raw bytes, and what was parsed. */
  bodies: { route: string; raw: string; parsed: unknown }[];
}

export async function webHarness(
  options: {
    web?: Partial<Omit<Config["web"], "rateLimit">> & { rateLimit?: Partial<Config["web"]["rateLimit"]> };
    config?: (c: Config) => Config;
    env?: NodeJS.ProcessEnv;
    keyPrefix?: string;
    handoff?: AppOptions["handoff"];
    port?: number;
  } = {},
): Promise<WebHarness> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const pageUrl = `${origin}/web/`;
  const t = await testApp({
    env: options.env ?? {},
    ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
    ...(options.handoff ? { handoff: options.handoff } : {}),
    config: (c) => {
      const base: Config = {
        ...c,
        web: {
          ...c.web,
          enabled: true,
          publicUrl: pageUrl,
          ...options.web,
          rateLimit: { ...c.web.rateLimit, ...options.web?.rateLimit },
        },
      };
      return options.config ? options.config(base) : base;
    },
  });
  const bodies: WebHarness["bodies"] = [];
  const server = await startServer(
    t.app,
    {},
    {
      port,
      host: "127.0.0.1",
      onWebBody: (route, raw, parsed) => bodies.push({ route, raw: raw.toString("utf8"), parsed }),
    },
  );
  return {
    ...t,
    server,
    pageUrl,
    origin,
    bodies,
    async cleanup() {
      await server.close();
      await t.cleanup();
    },
  };
}
