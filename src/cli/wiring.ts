/**
 * The composition root: config + environment → state store, drafts, delivery queue and worker,
 * handoff service, conversation runtime. Adapters and commands get an App and never build these
 * pieces themselves.
 */
import path from "node:path";
import type * as openpgp from "openpgp";
import { type Config, type Counsellor, followUpEnabled } from "../config/schema.ts";
import { directoryFrom } from "../conversation/directory.ts";
import { createRuntime } from "../conversation/runtime.ts";
import type { ConversationRuntime } from "../conversation/types.ts";
import { KeyProblemError, loadCounsellorKey, loadSigningKey } from "../crypto/keys.ts";
import { type Transport, createTransport, retryPolicyFor } from "../delivery/index.ts";
import { type DeliveryQueue, createDeliveryQueue } from "../delivery/queue.ts";
import { type DeliveryWorker, createDeliveryWorker } from "../delivery/worker.ts";
import { LINK_TOKEN_TTL_MS, type LinkTarget, createLinkToken } from "../followup/link-token.ts";
import { type HandoffDeps, createHandoffService } from "../handoff/service.ts";
import type { Logger } from "../log/logger.ts";
import { type PrometheusMetrics, createMetrics } from "../metrics/metrics.ts";
import { createDraftVault } from "../store/drafts.ts";
import { type StateStore, createStateStore, stateStoreEnv } from "../store/index.ts";
import { VAULT_DEFAULTS } from "../store/index.ts";
import type { KeyValueStore } from "../store/types.ts";
import { environmentValue } from "./environment.ts";

export interface AppOptions {
  config: Config;
  /** Relative paths in the config resolve against this directory. */
  configDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Test hooks: replace transports, sleeping between retries, the clock. */
  handoff?: Pick<HandoffDeps, "now"> & {
    transportFor?: (counsellor: Counsellor) => Transport;
    sleep?: (ms: number) => Promise<void>;
  };
  keyPrefix?: string;
  /** Test hook: an idle TTL shorter than the config's whole minutes. */
  idleTtlMs?: number;
  /** How often the delivery worker looks at the queue (default 1 s; the demo and tests use less). */
  deliveryPollMs?: number;
  /** Start the delivery worker (default true). Tests of the queue itself turn it off. */
  deliver?: boolean;
  random?: () => number;
}

export interface App {
  runtime: ConversationRuntime;
  vault: StateStore;
  queue: DeliveryQueue;
  worker: DeliveryWorker;
  metrics: PrometheusMetrics;
  config: Config;
  /** Relative paths in the config (key files) resolve against this directory. */
  configDir: string;
  logger: Logger;
  /** Admin-facing key problems found at start (the affected counsellors fail closed per handoff). */
  keyProblems: string[];
  /** A handoff was queued from outside the runtime (the web page): deliver it now, not at the next poll. */
  deliverSoon(): void;
  /** Stops the worker (handing queued work to other replicas) and closes the store. */
  close(graceMs?: number): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, configDir, env, logger } = options;
  const idleTtlMs = options.idleTtlMs ?? config.idleTimeoutMinutes * 60_000;
  const vault = await createStateStore(stateStoreEnv(env), {
    idleTtlMs,
    logger,
    keyPrefix: options.keyPrefix,
  });
  const drafts = createDraftVault({
    store: vault.store,
    idleTtlMs,
    lockTtlMs: VAULT_DEFAULTS.lockTtlMs,
    lockWaitMs: VAULT_DEFAULTS.lockWaitMs,
    dedupTtlMs: VAULT_DEFAULTS.dedupTtlMs,
    logger,
  });
  const leaseMs = deliveryLeaseMs(env);
  const queue = createDeliveryQueue({ store: vault.store, ...(leaseMs ? { leaseMs } : {}) });
  const keyProblems = await validateKeys(config, configDir, logger);
  let signingKey: openpgp.PrivateKey | undefined;
  if (config.handoff.signingKeyPath) {
    const passphraseEnv = config.handoff.signingPassphraseEnv;
    signingKey = await loadSigningKey(
      path.resolve(configDir, config.handoff.signingKeyPath),
      passphraseEnv ? env[passphraseEnv] : undefined,
    );
  }
  const handoff = createHandoffService({
    config,
    baseDir: configDir,
    logger,
    signingKey,
    ...(options.handoff?.now ? { now: options.handoff.now } : {}),
  });

  const transports = new Map<string, Transport>();
  const transportFor =
    options.handoff?.transportFor ??
    ((c: Counsellor) => {
      let t = transports.get(c.id);
      if (!t) {
        t = createTransport(c.delivery, { env, logger, baseDir: configDir, locale: c.languages[0] });
        transports.set(c.id, t);
      }
      return t;
    });
  const metrics = createMetrics();
  const worker = createDeliveryWorker({
    queue,
    logger,
    onOutcome: (outcome, queuedForMs) => metrics.delivery(outcome, queuedForMs / 1000),
    pollMs: options.deliveryPollMs,
    ...(leaseMs ? { leaseMs } : {}),
    ...(options.handoff?.sleep ? { sleep: options.handoff.sleep } : {}),
    route(counsellorId) {
      const c = config.counsellors.find((x) => x.id === counsellorId);
      return c ? { transport: transportFor(c), policy: retryPolicyFor(c.delivery) } : undefined;
    },
  });
  if (options.deliver !== false) worker.start();

  // The receipt's "open an anonymous mailbox" link, when the web page (where mailboxes live) runs.
  const mailboxPage = followUpEnabled(config) ? config.web.publicUrl : undefined;
  const deliverSoon = () => {
    if (options.deliver !== false) void worker.runOnce().catch(() => undefined);
  };
  const runtime = createRuntime({
    vault,
    drafts,
    queue,
    handoff,
    config,
    directory: directoryFrom(config),
    logger,
    metrics,
    // A handoff is delivered right after it was queued, not at the worker's next poll.
    onQueued: deliverSoon,
    ...(options.random ? { random: options.random } : {}),
    ...(mailboxPage ? { mailboxLink: receiptMailboxLink(vault.store, mailboxPage) } : {}),
  });
  return {
    runtime,
    vault,
    queue,
    worker,
    metrics,
    config,
    configDir,
    logger,
    keyProblems,
    deliverSoon,
    async close(graceMs) {
      await worker.stop(graceMs);
      await vault.close();
      logger.info({ event: "store.closed" });
    },
  };
}

/**
 * `<web page>#mailbox/open?t=<token>`: the token in the fragment (browsers never send it to a
 * server or in a Referer), single-use, for minutes, naming the case and never a user.
 */
export function receiptMailboxLink(store: KeyValueStore, page: string) {
  return async (target: LinkTarget) => ({
    url: `${page}#mailbox/open?t=${await createLinkToken(store, target)}`,
    validMinutes: Math.round(LINK_TOKEN_TTL_MS / 60_000),
  });
}

/** Validates every counsellor (and deputy) key; logs and returns problems and warnings. */
export async function validateKeys(config: Config, baseDir: string, logger: Logger): Promise<string[]> {
  const problems: string[] = [];
  for (const c of config.counsellors) {
    for (const [ref, role] of [
      [c.key, "counsellor"],
      [c.deputy, "deputy"],
    ] as const) {
      if (!ref) continue;
      try {
        const k = await loadCounsellorKey(ref, c.id, { baseDir, role });
        for (const w of k.warnings) logger.warn({ event: "key.warning", counsellor: c.id, warning: w });
      } catch (err) {
        if (!(err instanceof KeyProblemError)) throw err;
        logger.error({ event: "key.refused", counsellor: c.id, reason: err.reason });
        problems.push(err.message);
      }
    }
  }
  return problems;
}

/** VERTROUWD_DELIVERY_LEASE_SECONDS: how soon another replica takes over a dead worker's delivery. */
function deliveryLeaseMs(env: NodeJS.ProcessEnv): number | undefined {
  const seconds = environmentValue(env, "VERTROUWD_DELIVERY_LEASE_SECONDS");
  return seconds === undefined ? undefined : seconds * 1000;
}
