/**
 * Metrics without data (Prometheus format, prom-client). Every label has a fixed, small set of
 * values named here: a surface, a status, an outcome, a platform method. Never an id, a choice,
 * a counsellor, a topic or any text — a metric is read by more people than a log.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type Surface = "chat" | "form";
export type TurnStatus =
  | "ok"
  | "duplicate"
  | "stale"
  | "unavailable"
  | "invalid"
  | "gone"
  | "forbidden"
  | "error";

/** What the runtime, the worker and the adapters report. The no-op default keeps tests quiet. */
export interface Metrics {
  turn(surface: Surface, status: TurnStatus, seconds: number): void;
  handoffQueued(): void;
  delivery(outcome: "delivered" | "failed", queuedSeconds: number): void;
  /** A failed call to Slack's or Microsoft's API, by method (e.g. chat.postMessage, send). */
  platformError(platform: "slack" | "teams", method: string): void;
}

export const noMetrics: Metrics = {
  turn: () => undefined,
  handoffQueued: () => undefined,
  delivery: () => undefined,
  platformError: () => undefined,
};

/** Slack and Bot Connector methods we call; anything else is counted as "other". */
const METHODS = new Set([
  "chat.postMessage",
  "chat.update",
  "chat.delete",
  "conversations.open",
  "conversations.history",
  "views.open",
  "views.update",
  "views.push",
  "views.publish",
  "response_url",
  "send",
  "update",
  "delete",
]);

export interface PrometheusMetrics extends Metrics {
  registry: Registry;
  /** Refreshes the queue gauges (called on each scrape). */
  setQueue(stats: { queued: number; failed: number; oldestSeconds: number }): void;
}

export function createMetrics(): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "vertrouwd_process_" });
  const turns = new Counter({
    name: "vertrouwd_turns_total",
    help: "Turns handled, by surface (chat or form) and outcome.",
    labelNames: ["surface", "status"] as const,
    registers: [registry],
  });
  const turnSeconds = new Histogram({
    name: "vertrouwd_turn_duration_seconds",
    help: "Time to handle a turn, by surface.",
    labelNames: ["surface"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({
    name: "vertrouwd_errors_total",
    help: "Turns that failed with an error, by surface.",
    labelNames: ["surface"] as const,
    registers: [registry],
  });
  const queued = new Counter({
    name: "vertrouwd_handoffs_queued_total",
    help: "Handoffs sealed and queued for delivery.",
    registers: [registry],
  });
  const delivered = new Counter({
    name: "vertrouwd_handoffs_delivered_total",
    help: "Handoffs the counsellor's transport confirmed.",
    registers: [registry],
  });
  const failed = new Counter({
    name: "vertrouwd_handoffs_failed_total",
    help: "Handoffs given up on after every retry (kept for `vertrouwd queue retry`).",
    registers: [registry],
  });
  const deliverySeconds = new Histogram({
    name: "vertrouwd_delivery_latency_seconds",
    help: "Time from queueing to the outcome of a delivery.",
    buckets: [0.1, 0.5, 1, 5, 30, 60, 300, 1800, 7200],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: "vertrouwd_queue_depth",
    help: "Handoffs waiting for delivery.",
    registers: [registry],
  });
  const queueFailed = new Gauge({
    name: "vertrouwd_queue_failed",
    help: "Handoffs that could not be delivered.",
    registers: [registry],
  });
  const queueAge = new Gauge({
    name: "vertrouwd_queue_oldest_seconds",
    help: "Age of the oldest handoff waiting for delivery.",
    registers: [registry],
  });
  const platformErrors = new Counter({
    name: "vertrouwd_platform_api_errors_total",
    help: "Failed calls to Slack's or Microsoft's API, by platform and method.",
    labelNames: ["platform", "method"] as const,
    registers: [registry],
  });
  return {
    registry,
    turn(surface, status, seconds) {
      turns.inc({ surface, status });
      if (status === "error") errors.inc({ surface });
      turnSeconds.observe({ surface }, seconds);
    },
    handoffQueued: () => queued.inc(),
    delivery(outcome, queuedSeconds) {
      (outcome === "delivered" ? delivered : failed).inc();
      deliverySeconds.observe(queuedSeconds);
    },
    platformError(platform, method) {
      platformErrors.inc({ platform, method: METHODS.has(method) ? method : "other" });
    },
    setQueue(stats) {
      queueDepth.set(stats.queued);
      queueFailed.set(stats.failed);
      queueAge.set(stats.oldestSeconds);
    },
  };
}
