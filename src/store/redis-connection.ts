import { setTimeout as sleep } from "node:timers/promises";
import { createClient, createCluster, createSentinel } from "redis";
import type { RedisTopology, RedisTopologyKind } from "./redis-config.ts";

/**
 * One connection to Redis, whatever the topology, built from node-redis's own clients:
 * `createClient` (one endpoint), `createSentinel` (primary found and followed through Sentinel)
 * and `createCluster` (slots routed to their primary). RedisStore sees the same few commands
 * and one readiness flag on all three.
 *
 * The rules are the same everywhere: no offline queue (a command is refused at once while its
 * node is unreachable, rather than held until a reconnect or failover has finished — by then
 * the melder has given up, and a late write would land after we answered "unavailable"), no
 * per-command timeout signal from node-redis (RedisStore's own deadline bounds every call),
 * reconnecting forever in the background with capped, jittered backoff.
 */

type SingleClient = ReturnType<typeof createClient>;

/** The commands RedisStore uses; node-redis gives the three clients the same signatures. */
export type RedisCommands = Pick<
  SingleClient,
  "get" | "set" | "eval" | "del" | "pExpire" | "zRange" | "zRem" | "zCard"
>;

export interface RedisConnection {
  readonly topology: RedisTopologyKind;
  readonly commands: RedisCommands;
  /** True when a command can be sent now; false means refuse it at once. */
  readonly isReady: boolean;
  /** Resolves once the first connection is ready; never rejects (retries go on in the background). */
  readonly connected: Promise<void>;
  /** Single: the server. Sentinel: the current primary. Cluster: every primary (PING goes to all shards). */
  ping(): Promise<unknown>;
  /** A reply said the topology changed under us (READONLY from a demoted primary): find the primary again. */
  suspect(): void;
  destroy(): Promise<void>;
}

export interface ConnectionOptions {
  connectTimeoutMs: number;
  maxReconnectDelayMs: number;
  /** Sentinel: how long the primary may stay unreachable before we rediscover it ourselves. */
  rediscoverAfterMs?: number;
  onError(err: unknown): void;
  onReady(): void;
  onPrimaryChange(): void;
}

export function openConnection(topology: RedisTopology, options: ConnectionOptions): RedisConnection {
  switch (topology.kind) {
    case "single":
      return new SingleConnection(topology, options);
    case "sentinel":
      return new SentinelConnection(topology, options);
    case "cluster":
      return new ClusterConnection(topology, options);
  }
}

/** Capped exponential backoff with jitter, never giving up: giving up would leave a dead client. */
function backoff(maxDelayMs: number): (retries: number) => number {
  return (retries) => Math.min(50 * 2 ** Math.min(retries, 10), maxDelayMs) + Math.floor(Math.random() * 100);
}

/**
 * A backoff sleep that ends early (without throwing) when the store is closed. It keeps the
 * process alive like node-redis's own reconnect timer does, and no longer than that.
 */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** What every data-node client gets, whatever the topology. */
function nodeClientOptions(
  auth: { username?: string; password?: string },
  options: ConnectionOptions,
  tls: boolean,
) {
  return {
    disableOfflineQueue: true,
    // No CLIENT SETINFO / maintenance handshake: keeps the ACL down to the data commands.
    disableClientInfo: true,
    maintNotifications: "disabled" as const,
    ...(auth.username !== undefined ? { username: auth.username } : {}),
    ...(auth.password !== undefined ? { password: auth.password } : {}),
    socket: {
      connectTimeout: options.connectTimeoutMs,
      reconnectStrategy: backoff(options.maxReconnectDelayMs),
      ...(tls ? { tls: true as const } : {}),
    },
  };
}

/**
 * node-redis adds a 5 s per-command timeout unless told otherwise: an `AbortSignal.timeout()`
 * plus listeners on every command (≈2% of the server's CPU in a profile; 7.3 → 3.0 µs of CPU per
 * GET with 100 in flight once off, bench/redis-command-cpu.ts). RedisStore's own deadline
 * already bounds every call, so it is switched off.
 */
const NO_COMMAND_TIMEOUT = { timeout: 0 };

class SingleConnection implements RedisConnection {
  readonly topology = "single" as const;
  readonly commands: RedisCommands;
  readonly connected: Promise<void>;
  readonly #client: SingleClient;

  constructor(topology: Extract<RedisTopology, { kind: "single" }>, options: ConnectionOptions) {
    this.#client = createClient({
      url: topology.url,
      ...nodeClientOptions(topology, options, false),
      commandOptions: NO_COMMAND_TIMEOUT,
    });
    this.#client.on("error", options.onError);
    this.#client.on("ready", options.onReady);
    this.commands = this.#client;
    this.connected = this.#client.connect().then(
      () => undefined,
      // Only reachable when destroy() runs while still connecting; failures are reported via "error".
      () => undefined,
    );
  }

  get isReady(): boolean {
    return this.#client.isReady;
  }

  ping(): Promise<unknown> {
    return this.#client.ping();
  }

  suspect(): void {}

  async destroy(): Promise<void> {
    // destroy() drops the socket and fails pending commands at once; close() would wait for them.
    this.#client.destroy();
  }
}

/**
 * Sentinel: node-redis asks the sentinels for the primary, keeps one connection to it and one
 * subscription on a sentinel, and moves to the new primary on `+switch-master`.
 *
 * Two settings keep it fail-fast. `maxCommandRediscovers: 0`: by default a command that finds
 * the primary gone waits inside node-redis while it rediscovers (retrying once a second, up to 16
 * times, and re-sending commands whose reply was lost — a lock taken twice); with 0 it fails at
 * once. And isReady also asks whether the primary's connection is up, so commands are refused
 * during a failover instead of entering that wait at all.
 *
 * What node-redis then no longer does — retry a failed rediscovery — we do, with a fresh client
 * per attempt: while the primary stays unreachable longer than `rediscoverAfterMs` (a missed
 * `+switch-master`, a subscription on a sentinel that died), or a write was refused with
 * READONLY, the client is rebuilt from the sentinels, with backoff, until one names a primary.
 * Each attempt is bounded, and a rebuild or a timed-out attempt starts at the next sentinel of
 * the list: a sentinel that accepts connections but never answers (a frozen process) would
 * otherwise hold node-redis's discovery, which asks the sentinels in order and waits, forever.
 */
class SentinelConnection implements RedisConnection {
  readonly topology = "sentinel" as const;
  readonly connected: Promise<void>;
  readonly #topology: Extract<RedisTopology, { kind: "sentinel" }>;
  readonly #options: ConnectionOptions;
  readonly #watchdog: NodeJS.Timeout;
  #sentinel: Sentinel;
  /** Which sentinel of the list discovery asks first. */
  #rotation = 0;
  #destroyed = false;
  /** Ends a backoff sleep at once when the store is closed. */
  readonly #stop = new AbortController();
  #connecting = true;
  #suspect = false;
  #primaryLostAt: number | undefined;
  #lastPrimary: string | undefined;

  constructor(topology: Extract<RedisTopology, { kind: "sentinel" }>, options: ConnectionOptions) {
    this.#topology = topology;
    this.#options = options;
    this.#sentinel = this.#create();
    this.connected = this.#connectLoop(this.#sentinel);
    this.#watchdog = setInterval(() => this.#check(), 500);
    this.#watchdog.unref();
  }

  get commands(): RedisCommands {
    return this.#sentinel;
  }

  get isReady(): boolean {
    // getMasterNode() is defined only while a connection to the primary is ready.
    return this.#sentinel.isReady && this.#sentinel.getMasterNode() !== undefined;
  }

  ping(): Promise<unknown> {
    return this.#sentinel.ping();
  }

  suspect(): void {
    this.#suspect = true;
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    this.#stop.abort();
    clearInterval(this.#watchdog);
    // Bounded: node-redis waits for a discovery in progress before it lets go.
    await Promise.race([
      this.#sentinel.destroy().catch(() => undefined),
      sleep(this.#options.connectTimeoutMs, undefined, { ref: false }),
    ]);
  }

  #create(): Sentinel {
    const options = this.#options;
    const sentinel = buildSentinel(this.#topology, options, this.#rotation);
    // Only the current client speaks for the store; an abandoned one may still report its end.
    const current = () => sentinel === this.#sentinel && !this.#destroyed;
    sentinel.on("error", (err: unknown) => {
      if (current()) options.onError(err);
    });
    sentinel.on("ready", () => {
      if (!current()) return;
      // Whether node-redis followed a +switch-master or our watchdog rebuilt the client.
      const node = sentinel.getMasterNode();
      const primary = node ? `${node.host}:${node.port}` : undefined;
      if (primary && this.#lastPrimary && primary !== this.#lastPrimary) options.onPrimaryChange();
      if (primary) this.#lastPrimary = primary;
      options.onReady();
    });
    return sentinel;
  }

  /**
   * Connects `first`, or fresh clients after it, until one is ready. A failed connect() tears
   * its client down itself; one that hangs past the bound is abandoned (and destroyed, which
   * completes once its stuck request does).
   */
  async #connectLoop(first: Sentinel): Promise<void> {
    this.#connecting = true;
    const delay = backoff(this.#options.maxReconnectDelayMs);
    // Discovery may try every sentinel, then opens the primary and a subscription.
    const bound = this.#options.connectTimeoutMs * (this.#topology.sentinels.length + 2);
    let sentinel = first;
    try {
      for (let attempt = 0; !this.#destroyed; attempt++) {
        if (attempt > 0) sentinel = this.#sentinel = this.#create();
        const outcome = await within(sentinel.connect(), bound);
        if (this.#destroyed) {
          void sentinel.destroy().catch(() => undefined);
          return;
        }
        if (outcome.ok) return;
        if (outcome.timedOut) {
          void sentinel.destroy().catch(() => undefined);
          // Most likely the first sentinel asked never answered: start at the next one.
          this.#rotation++;
          this.#options.onError(new SentinelDiscoveryTimeoutError());
        } else {
          this.#options.onError(outcome.error);
        }
        await pause(delay(attempt), this.#stop.signal);
      }
    } finally {
      this.#connecting = false;
    }
  }

  #check(): void {
    if (this.#destroyed || this.#connecting) return;
    if (this.isReady && !this.#suspect) {
      this.#primaryLostAt = undefined;
      return;
    }
    const now = Date.now();
    this.#primaryLostAt ??= now;
    const after = this.#options.rediscoverAfterMs ?? 5000;
    if (!this.#suspect && now - this.#primaryLostAt < after) return;
    this.#suspect = false;
    this.#primaryLostAt = undefined;
    // The sentinel we listened to missed the switch (or died): ask the next one first.
    this.#rotation++;
    const old = this.#sentinel;
    this.#sentinel = this.#create();
    void old.destroy().catch(() => undefined);
    void this.#connectLoop(this.#sentinel);
  }
}

/** A node-redis Sentinel client whose discovery asks the `rotation`-th sentinel of the list first. */
function buildSentinel(
  topology: Extract<RedisTopology, { kind: "sentinel" }>,
  options: ConnectionOptions,
  rotation: number,
) {
  const sentinelAuth = {
    ...(topology.sentinelUsername !== undefined ? { username: topology.sentinelUsername } : {}),
    ...(topology.sentinelPassword !== undefined ? { password: topology.sentinelPassword } : {}),
  };
  const shift = rotation % topology.sentinels.length;
  return createSentinel({
    name: topology.name,
    sentinelRootNodes: [...topology.sentinels.slice(shift), ...topology.sentinels.slice(0, shift)],
    maxCommandRediscovers: 0,
    // Errors of the primary's and the sentinels' connections reach our "error" listener too.
    passthroughClientErrorEvents: true,
    // Writes only: a replica may lag, and a stale read of a lock or de-duplication set is a bug.
    replicaPoolSize: 0,
    commandOptions: NO_COMMAND_TIMEOUT,
    nodeClientOptions: nodeClientOptions(topology, options, topology.tls),
    sentinelClientOptions: {
      ...nodeClientOptions(sentinelAuth, options, topology.tls),
      // Sentinel connections never reconnect on their own; node-redis replaces them.
      socket: {
        connectTimeout: options.connectTimeoutMs,
        ...(topology.tls ? { tls: true as const } : {}),
      },
    },
  });
}

type Sentinel = ReturnType<typeof buildSentinel>;

/** No sentinel answered within the bound of one discovery attempt (e.g. a frozen sentinel). */
export class SentinelDiscoveryTimeoutError extends Error {
  constructor() {
    super("sentinel discovery timed out");
    this.name = "SentinelDiscoveryTimeoutError";
  }
}

type Outcome = { ok: true } | { ok: false; timedOut: true } | { ok: false; timedOut: false; error: unknown };

async function within(promise: Promise<unknown>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, timedOut: true }), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      promise.then(
        (): Outcome => ({ ok: true }),
        (error: unknown): Outcome => ({ ok: false, timedOut: false, error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Cluster: node-redis reads the slot map from a seed node, keeps a connection per primary, and
 * follows MOVED/ASK. Each node client refuses commands while it is down (no offline queue); the
 * slot map is refreshed 1 s after a node starts reconnecting, so a promoted replica is found
 * quickly. Only primaries are used (no reads from replicas: a stale lock read is a bug).
 */
class ClusterConnection implements RedisConnection {
  readonly topology = "cluster" as const;
  readonly commands: RedisCommands;
  readonly connected: Promise<void>;
  readonly #cluster: ReturnType<typeof createCluster>;
  readonly #options: ConnectionOptions;
  #destroyed = false;
  readonly #stop = new AbortController();

  constructor(topology: Extract<RedisTopology, { kind: "cluster" }>, options: ConnectionOptions) {
    this.#options = options;
    this.#cluster = createCluster({
      rootNodes: topology.nodes.map((node) => ({
        socket: { host: node.host, port: node.port, ...(topology.tls ? { tls: true as const } : {}) },
      })),
      // Everything a discovered node's connection needs must be in `defaults`: rootNodes are only seeds.
      defaults: nodeClientOptions(topology, options, topology.tls),
      useReplicas: false,
      commandOptions: NO_COMMAND_TIMEOUT,
      topologyRefreshOnReconnectionAttemptStrategy: 1000,
    });
    this.#cluster.on("error", options.onError);
    this.#cluster.on("node-error", options.onError);
    this.#cluster.on("connect", options.onReady);
    // A node back after an outage; during the first discovery the cluster itself is not ready yet.
    this.#cluster.on("node-ready", () => {
      if (this.#cluster.isReady) options.onReady();
    });
    this.commands = this.#cluster;
    this.connected = this.#connectLoop();
  }

  get isReady(): boolean {
    return this.#cluster.isReady;
  }

  ping(): Promise<unknown> {
    return this.#cluster.ping();
  }

  suspect(): void {}

  async destroy(): Promise<void> {
    this.#destroyed = true;
    this.#stop.abort();
    // Synchronous in node-redis: closes every node's socket and fails pending commands at once.
    this.#cluster.destroy();
  }

  /** connect() reads the slot map once and rejects when no seed answers; it may be called again. */
  async #connectLoop(): Promise<void> {
    const delay = backoff(this.#options.maxReconnectDelayMs);
    for (let attempt = 0; !this.#destroyed; attempt++) {
      try {
        await this.#cluster.connect();
        // Closed while discovering: drop the node connections the discovery has just opened.
        if (this.#destroyed) this.#cluster.destroy();
        return;
      } catch (err) {
        if (this.#destroyed) return;
        this.#options.onError(err);
        await pause(delay(attempt), this.#stop.signal);
      }
    }
  }
}
