/**
 * `vertrouwd serve`: one HTTP server with the platform adapters that are configured
 * (Slack when its secrets are set, Teams when an app id or the local-dev setting is set), the
 * health checks and the privacy page.
 * Each adapter is imported only when it is configured: @slack/bolt and botbuilder are the
 * largest parts of start-up time and memory (docs/benchmarks.md, "Start-up").
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { WebAdapterDeps } from "../../adapters/web/index.ts";
import { healthRoutes } from "../server/health.ts";
import { type Route, type ShutdownResult, createHttpServer } from "../server/http.ts";
import { privacyRoutes } from "../server/privacy.ts";
import type { App } from "./wiring.ts";

export interface RunningServer {
  server: Server;
  url: string;
  adapters: string[];
  /**
   * Stops accepting and lets the turns in flight finish within `graceMs` (HTTP requests and
   * Socket Mode events alike), then closes the adapters. The App (worker, store) stays open:
   * the caller closes it after, so a turn that queued a handoff can still reach the queue.
   */
  close(graceMs?: number): Promise<ShutdownResult>;
}

export interface ServeOptions {
  port: number;
  host?: string;
  /** Tests point the Slack client at a fake Web API. */
  slackApiUrl?: string;
  /** Test hook: every request body the web page's API received (see adapters/web). */
  onWebBody?: WebAdapterDeps["onBody"];
}

export async function startServer(
  app: App,
  env: NodeJS.ProcessEnv,
  options: ServeOptions,
): Promise<RunningServer> {
  const routes: Route[] = [
    ...healthRoutes({
      vault: app.vault,
      queue: app.queue,
      metrics: app.metrics,
      keyProblems: () => app.keyProblems,
    }),
    // The page the Teams app's privacy and terms links point to (manifest/teams/package.ts).
    ...privacyRoutes({ organisation: app.config.organisation.name, defaultLocale: app.config.defaultLocale }),
  ];
  const closers: ((graceMs: number) => Promise<void>)[] = [];
  const adapters: string[] = [];
  const deps = { runtime: app.runtime, config: app.config, logger: app.logger, env, metrics: app.metrics };

  if (env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN) {
    const { createSlackAdapter } = await import("../../adapters/slack/index.ts");
    // SLACK_API_URL: an API proxy, or a loopback fake Web API for tests and benchmarks.
    const slack = await createSlackAdapter({
      ...deps,
      slackApiUrl: options.slackApiUrl ?? env.SLACK_API_URL,
    });
    routes.push(...slack.routes);
    closers.push(slack.close);
    adapters.push(slack.socketMode ? "slack (socket mode)" : "slack");
  }
  if (env.MicrosoftAppId || env.VERTROUWD_TEAMS_DEV_NO_AUTH) {
    const { createTeamsAdapter } = await import("../../adapters/teams/index.ts");
    const teams = await createTeamsAdapter(deps);
    routes.push(...teams.routes);
    closers.push(teams.close);
    adapters.push("teams");
  }

  if (app.config.web.enabled) {
    // The page's bundle first: a missing bundle in production is a start-up error, not a 404 later.
    const { loadWebBundle } = await import("../../adapters/web/server/bundle.ts");
    const { createWebAdapter } = await import("../../adapters/web/index.ts");
    const bundle = await loadWebBundle({ env });
    const web = createWebAdapter({
      config: app.config,
      configDir: app.configDir,
      queue: app.queue,
      store: app.vault.store,
      hash: (scope, window, value) => app.vault.keyFor(scope, window, value),
      deliverSoon: app.deliverSoon,
      metrics: app.metrics,
      bundle,
      logger: app.logger,
      ...(options.onWebBody ? { onBody: options.onWebBody } : {}),
    });
    routes.push(...web.routes);
    adapters.push("web");
  }

  const server = createHttpServer(routes, app.logger);
  // Slack retries after 3 s; a slow client must not hold sockets for minutes.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host === "127.0.0.1" ? "127.0.0.1" : "localhost"}:${port}`;
  app.logger.info({ event: "server.listening", port, adapters });
  return {
    server,
    url,
    adapters,
    async close(graceMs = 10_000) {
      const [result] = await Promise.all([
        server.shutdown(graceMs),
        ...closers.map((close) => close(graceMs)),
      ]);
      return result;
    },
  };
}
