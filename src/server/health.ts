import type { ServerResponse } from "node:http";
import type { DeliveryQueue } from "../delivery/queue.ts";
import type { PrometheusMetrics } from "../metrics/metrics.ts";
import type { StateStore } from "../store/index.ts";
import { checkStore } from "../store/index.ts";
import type { Route } from "./http.ts";

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
};

export interface HealthDeps {
  vault: StateStore;
  queue: DeliveryQueue;
  metrics: PrometheusMetrics;
  keyProblems(): string[];
}

/**
 * /healthz: the process answers. /readyz: it can serve a turn (the state store answers), with
 * the delivery queue's state for the admin — a handoff that could not be delivered is shown
 * here, never silently dropped, but does not make the replica unready (others still get through).
 * /metrics: Prometheus text, no ids, no choices, no text (src/metrics).
 */
export function healthRoutes(deps: HealthDeps): Route[] {
  return [
    { method: "GET", path: "/healthz", handle: (_req, res) => json(res, 200, { ok: true }) },
    {
      method: "GET",
      path: "/readyz",
      handle: async (_req, res) => {
        const store = await checkStore(deps.vault);
        const delivery = store.ok ? await deps.queue.stats().catch(() => undefined) : undefined;
        json(res, store.ok ? 200 : 503, {
          ok: store.ok,
          store,
          keyProblems: deps.keyProblems().length,
          ...(delivery ? { delivery } : {}),
        });
      },
    },
    {
      method: "GET",
      path: "/metrics",
      handle: async (_req, res) => {
        const stats = await deps.queue.stats().catch(() => undefined);
        if (stats) deps.metrics.setQueue(stats);
        const body = await deps.metrics.registry.metrics();
        res.writeHead(200, {
          "content-type": deps.metrics.registry.contentType,
          "cache-control": "no-store",
        });
        res.end(body);
      },
    },
  ];
}
