/** Builds and checks the transport each counsellor's delivery settings name. */
import type { WebClient } from "@slack/web-api";
import type { Delivery, Locale } from "../config/schema.ts";
import type { Logger } from "../log/logger.ts";
import { OutboxTransport } from "./outbox.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.ts";
import { SlackFileTransport, createSlackDeliveryClient } from "./slack-file.ts";
import { SmtpTransport } from "./smtp.ts";
import type { Transport } from "./transport.ts";
import { MIN_WEBHOOK_SECRET_LENGTH, WebhookTransport, webhookUrlProblems } from "./webhook.ts";

export interface TransportDeps {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Relative outbox directories resolve against this (the config file's directory); default cwd. */
  baseDir?: string;
  /** A client made with createSlackDeliveryClient (its own retries off); default: one from SLACK_BOT_TOKEN. */
  slackClient?: WebClient;
  /** Language of counsellor-facing notices (the Slack file message); default nl. */
  locale?: Locale;
}

/** A transport cannot be built from the config and environment. Admin-facing. */
export class TransportConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransportConfigError";
  }
}

/** Builds the transport for one counsellor's delivery settings; throws TransportConfigError early. */
export function createTransport(delivery: Delivery, deps: TransportDeps): Transport {
  try {
    switch (delivery.type) {
      case "outbox":
        return new OutboxTransport({ dir: delivery.dir, baseDir: deps.baseDir });
      case "smtp":
        return new SmtpTransport({
          to: delivery.to,
          from: delivery.from,
          subject: delivery.subject,
          smtpUrl: requireEnv(deps.env, "SMTP_URL", "smtp delivery"),
        });
      case "webhook":
        return new WebhookTransport({
          url: delivery.url,
          secret: requireEnv(deps.env, delivery.secretEnv, "webhook delivery"),
          timeoutMs: delivery.timeoutMs,
        });
      case "slack":
        return new SlackFileTransport({
          client:
            deps.slackClient ??
            createSlackDeliveryClient(requireEnv(deps.env, "SLACK_BOT_TOKEN", "slack delivery")),
          userId: delivery.userId,
          locale: deps.locale ?? "nl",
        });
    }
  } catch (err) {
    if (err instanceof TransportConfigError) throw err;
    throw new TransportConfigError(
      `${delivery.type} delivery: ${err instanceof Error ? err.message : "invalid"}`,
    );
  }
}

/** The retry policy configured for a delivery, or the defaults. */
export function retryPolicyFor(delivery: Delivery): RetryPolicy {
  return ("retry" in delivery && delivery.retry) || DEFAULT_RETRY_POLICY;
}

export interface TransportCheck {
  counsellorId: string;
  transport: Delivery["type"];
  /** Empty when everything is fine. Admin-facing; secrets are never quoted. */
  problems: string[];
}

/**
 * For `vertrouwd doctor`: settings and env secrets for every counsellor's transport and, with
 * network on, a live check (SMTP EHLO/AUTH via verify(), webhook HEAD, Slack auth.test).
 */
export async function checkTransports(
  counsellors: ReadonlyArray<{ id: string; delivery: Delivery; languages?: readonly Locale[] }>,
  deps: TransportDeps,
  options: { network: boolean },
): Promise<TransportCheck[]> {
  return Promise.all(
    counsellors.map(async ({ id, delivery, languages }) => {
      const problems = staticProblems(delivery, deps.env);
      if (problems.length > 0) return { counsellorId: id, transport: delivery.type, problems };
      try {
        const transport = createTransport(delivery, { ...deps, locale: languages?.[0] ?? deps.locale });
        problems.push(...(await transport.check(options)));
      } catch (err) {
        problems.push(err instanceof Error ? err.message : "transport could not be created");
      }
      deps.logger.info({
        event: "handoff.transport.checked",
        transport: delivery.type,
        ok: problems.length === 0,
      });
      return { counsellorId: id, transport: delivery.type, problems };
    }),
  );
}

function staticProblems(delivery: Delivery, env: NodeJS.ProcessEnv): string[] {
  switch (delivery.type) {
    case "outbox":
      return [];
    case "smtp":
      return env.SMTP_URL ? [] : ["SMTP_URL is not set (needed for smtp delivery)"];
    case "webhook": {
      const problems = webhookUrlProblems(delivery.url);
      const secret = env[delivery.secretEnv];
      if (!secret) problems.push(`${delivery.secretEnv} is not set (the webhook's HMAC secret)`);
      else if (secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
        problems.push(`${delivery.secretEnv} is shorter than ${MIN_WEBHOOK_SECRET_LENGTH} characters`);
      }
      return problems;
    }
    case "slack":
      return [];
  }
}

function requireEnv(env: NodeJS.ProcessEnv, name: string, purpose: string): string {
  const value = env[name];
  if (!value) throw new TransportConfigError(`${name} is not set (needed for ${purpose})`);
  return value;
}
