import { z } from "zod";

/**
 * Which Redis the state store talks to, read from the environment: a single endpoint
 * (REDIS_URL), a Sentinel-monitored primary (REDIS_SENTINELS + REDIS_SENTINEL_NAME) or a Redis
 * Cluster (REDIS_CLUSTER_NODES). Exactly one of the three, or none (memory store).
 *
 * Errors are one admin-readable line that names the variable and, in a list, the entry's
 * position — never a value: any of them may hold a password typed in the wrong place.
 */

export type RedisTopologyKind = "single" | "sentinel" | "cluster";

export interface HostPort {
  host: string;
  port: number;
}

/** Credentials of the Redis nodes that hold the data (primary, replicas, cluster nodes). */
interface NodeAuth {
  username?: string;
  password?: string;
}

export type RedisTopology =
  | ({ kind: "single"; url: string } & NodeAuth)
  | ({
      kind: "sentinel";
      /** The master name of `sentinel monitor <name> …`. */
      name: string;
      sentinels: HostPort[];
      /** TLS to the sentinels and to the primary they name. */
      tls: boolean;
      sentinelUsername?: string;
      sentinelPassword?: string;
    } & NodeAuth)
  | ({ kind: "cluster"; nodes: HostPort[]; tls: boolean } & NodeAuth);

/** Every variable this module reads (the demo clears them all: it must never touch a Redis). */
export const REDIS_ENV_NAMES = [
  "REDIS_URL",
  "REDIS_SENTINELS",
  "REDIS_SENTINEL_NAME",
  "REDIS_SENTINEL_USERNAME",
  "REDIS_SENTINEL_PASSWORD",
  "REDIS_SENTINEL_TLS",
  "REDIS_CLUSTER_NODES",
  "REDIS_USERNAME",
  "REDIS_PASSWORD",
] as const;

export type RedisEnvName = (typeof REDIS_ENV_NAMES)[number];
export type RedisEnv = Partial<Record<RedisEnvName, string | undefined>>;

const TOPOLOGY_VARS = ["REDIS_URL", "REDIS_SENTINELS", "REDIS_CLUSTER_NODES"] as const;
const SENTINEL_ONLY = [
  "REDIS_SENTINEL_NAME",
  "REDIS_SENTINEL_USERNAME",
  "REDIS_SENTINEL_PASSWORD",
  "REDIS_SENTINEL_TLS",
] as const;

export class RedisConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RedisConfigError";
  }
}

/** Unset and blank are the same: `.env.example` lists every variable with an empty value. */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

const envSchema = z.object(Object.fromEntries(REDIS_ENV_NAMES.map((name) => [name, optionalText])));

const SENTINEL_NAME = /^[A-Za-z0-9._:-]{1,128}$/;
const HOST = /^[A-Za-z0-9.-]{1,253}$/;
const BRACKETED_IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;
const DEFAULT_SENTINEL_PORT = 26379;
const DEFAULT_REDIS_PORT = 6379;

/**
 * Reads the Redis topology from the environment; undefined when none is configured.
 * Throws RedisConfigError (one line, no values) when the variables contradict each other or
 * an entry is malformed.
 */
export function parseRedisTopology(rawEnv: RedisEnv): RedisTopology | undefined {
  const parsed = envSchema.safeParse(pick(rawEnv));
  // Only non-string values can fail here (the environment holds strings); name the variable only.
  if (!parsed.success) {
    const name = parsed.error.issues[0]?.path.join(".") ?? "a Redis variable";
    throw new RedisConfigError(`${name} must be a string`);
  }
  const env = parsed.data as Record<RedisEnvName, string | undefined>;
  const chosen = TOPOLOGY_VARS.filter((name) => env[name] !== undefined);
  if (chosen.length > 1) {
    throw new RedisConfigError(
      `set only one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES (found ${chosen.join(" and ")})`,
    );
  }
  const auth = nodeAuth(env);
  const topology = chosen[0];
  if (topology === undefined) {
    const stray = REDIS_ENV_NAMES.find((name) => env[name] !== undefined);
    if (stray) {
      throw new RedisConfigError(
        `${stray} is set but none of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES is: the state would stay in memory`,
      );
    }
    return undefined;
  }
  if (topology !== "REDIS_SENTINELS") {
    const stray = SENTINEL_ONLY.find((name) => env[name] !== undefined);
    if (stray) throw new RedisConfigError(`${stray} only applies with REDIS_SENTINELS, not with ${topology}`);
  }
  switch (topology) {
    case "REDIS_URL":
      return single(env.REDIS_URL as string, auth);
    case "REDIS_SENTINELS":
      return sentinel(env, auth);
    case "REDIS_CLUSTER_NODES":
      return cluster(env.REDIS_CLUSTER_NODES as string, auth);
  }
}

/** Only the Redis variables of a wider environment (e.g. process.env). */
export function pick(env: RedisEnv | NodeJS.ProcessEnv): RedisEnv {
  const out: RedisEnv = {};
  for (const name of REDIS_ENV_NAMES) {
    if (env[name] !== undefined) out[name] = env[name];
  }
  return out;
}

/** The environment without any Redis variable: the demo must run on a bare machine. */
export function withoutRedis(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of REDIS_ENV_NAMES) delete out[name];
  return out;
}

function nodeAuth(env: Record<RedisEnvName, string | undefined>): NodeAuth {
  if (env.REDIS_USERNAME !== undefined && env.REDIS_PASSWORD === undefined) {
    throw new RedisConfigError("REDIS_USERNAME is set without REDIS_PASSWORD");
  }
  return {
    ...(env.REDIS_USERNAME !== undefined ? { username: env.REDIS_USERNAME } : {}),
    ...(env.REDIS_PASSWORD !== undefined ? { password: env.REDIS_PASSWORD } : {}),
  };
}

function single(url: string, auth: NodeAuth): RedisTopology {
  assertRedisUrl(url);
  const parsed = new URL(url);
  if (auth.password !== undefined && parsed.password !== "") {
    throw new RedisConfigError(
      "REDIS_PASSWORD is set and REDIS_URL carries a password too: set it in one place",
    );
  }
  if (auth.username !== undefined && parsed.username !== "") {
    throw new RedisConfigError(
      "REDIS_USERNAME is set and REDIS_URL carries a user name too: set it in one place",
    );
  }
  return { kind: "single", url, ...auth };
}

function sentinel(env: Record<RedisEnvName, string | undefined>, auth: NodeAuth): RedisTopology {
  const name = env.REDIS_SENTINEL_NAME;
  if (name === undefined) {
    throw new RedisConfigError(
      "REDIS_SENTINEL_NAME is required with REDIS_SENTINELS (the <name> of `sentinel monitor <name> <ip> <port> <quorum>`)",
    );
  }
  if (!SENTINEL_NAME.test(name)) {
    throw new RedisConfigError("REDIS_SENTINEL_NAME may hold letters, digits and . _ : - only (max 128)");
  }
  if (env.REDIS_SENTINEL_USERNAME !== undefined && env.REDIS_SENTINEL_PASSWORD === undefined) {
    throw new RedisConfigError("REDIS_SENTINEL_USERNAME is set without REDIS_SENTINEL_PASSWORD");
  }
  const sentinels = list("REDIS_SENTINELS", env.REDIS_SENTINELS as string, (entry, where) => {
    if (/[/@\s]/.test(entry)) {
      throw new RedisConfigError(
        `${where} must be host:port, without a scheme or credentials (use REDIS_SENTINEL_PASSWORD)`,
      );
    }
    return hostPort(entry, where, DEFAULT_SENTINEL_PORT);
  });
  return {
    kind: "sentinel",
    name,
    sentinels,
    tls: flag("REDIS_SENTINEL_TLS", env.REDIS_SENTINEL_TLS),
    ...(env.REDIS_SENTINEL_USERNAME !== undefined ? { sentinelUsername: env.REDIS_SENTINEL_USERNAME } : {}),
    ...(env.REDIS_SENTINEL_PASSWORD !== undefined ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
    ...auth,
  };
}

function cluster(value: string, auth: NodeAuth): RedisTopology {
  const schemes = new Set<string>();
  const nodes = list("REDIS_CLUSTER_NODES", value, (entry, where) => {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new RedisConfigError(`${where} is not a URL (expected redis://host:port or rediss://host:port)`);
    }
    if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
      throw new RedisConfigError(`${where} must start with redis:// or rediss:// (TLS)`);
    }
    if (url.username !== "" || url.password !== "") {
      // The cluster client applies one set of credentials to every node it discovers; a password
      // in one seed URL would not reach the others.
      throw new RedisConfigError(
        `${where} carries credentials: put them in REDIS_USERNAME and REDIS_PASSWORD`,
      );
    }
    if ((url.pathname !== "" && url.pathname !== "/") || url.search !== "" || url.hash !== "") {
      throw new RedisConfigError(
        `${where} must be only scheme, host and port (a cluster has database 0 only)`,
      );
    }
    schemes.add(url.protocol);
    return hostPort(url.host, where, DEFAULT_REDIS_PORT);
  });
  if (schemes.size > 1) throw new RedisConfigError("REDIS_CLUSTER_NODES mixes redis:// and rediss://");
  return { kind: "cluster", nodes, tls: schemes.has("rediss:"), ...auth };
}

function list(name: string, value: string, parse: (entry: string, where: string) => HostPort): HostPort[] {
  const entries = value.split(",").map((entry) => entry.trim());
  const out: HostPort[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const where = `${name} entry ${index + 1} of ${entries.length}`;
    if (entry === "") throw new RedisConfigError(`${where} is empty (stray comma?)`);
    const node = parse(entry, where);
    const key = `${node.host.toLowerCase()}:${node.port}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new RedisConfigError(`${where} repeats entry ${earlier}`);
    seen.set(key, index + 1);
    out.push(node);
  });
  return out;
}

function hostPort(text: string, where: string, defaultPort: number): HostPort {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(text);
  const host = match?.[1] ?? "";
  if (!match || !(HOST.test(host) || BRACKETED_IPV6.test(host))) {
    throw new RedisConfigError(`${where} is not a valid host:port`);
  }
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RedisConfigError(`${where} has a port outside 1–65535`);
  }
  // node:net wants an IPv6 address without the brackets.
  return { host: host.startsWith("[") ? host.slice(1, -1) : host, port };
}

function flag(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new RedisConfigError(`${name} must be true or false`);
}

/** Validates REDIS_URL's scheme without ever echoing the URL (it may carry a password). */
export function assertRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError("REDIS_URL is not a valid URL (expected redis://[user:password@]host:port)");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new RangeError("REDIS_URL must start with redis:// or rediss:// (TLS)");
  }
  if (!parsed.hostname) throw new RangeError("REDIS_URL has no host");
}
