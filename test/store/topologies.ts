/**
 * Real Redis topologies on loopback for the HA tests, started from Debian's `redis-server`:
 * a Sentinel set (one primary, one replica, three sentinels) and a three-primary Cluster.
 * Free ports, a temp dir per node, no persistence; `stop()` SIGKILLs everything and removes
 * the dirs. A missing binary fails loudly: nothing is skipped.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { createClient } from "redis";
import { freePort } from "./helpers.ts";

const run = promisify(execFile);

/** Fails with a clear message when the Redis binaries are not installed (CI installs redis-server). */
export function requireRedisBinaries(): void {
  for (const bin of ["redis-server", "redis-cli"]) {
    const found = spawnSync(bin, ["--version"], { stdio: "ignore" });
    if (found.error || found.status !== 0) {
      throw new Error(
        `${bin} not found: the Sentinel and Cluster tests start real Redis processes (apt-get install redis-server)`,
      );
    }
  }
}

export interface RedisNode {
  port: number;
  child: ChildProcess;
  dir: string;
}

/** Loopback node; the sentinel mode is `redis-server --sentinel`, so `redis-sentinel` need not exist. */
async function startNode(port: number, config: string[], mode: "server" | "sentinel" = "server") {
  const dir = await mkdtemp(path.join(tmpdir(), `vt-redis-${port}-`));
  const file = path.join(dir, "redis.conf");
  // Sentinel rewrites its config file, so each node gets its own writable one.
  await writeFile(
    file,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      "daemonize no",
      "logfile redis.log",
      // No persistence, and a replica syncs at once (the diskless default waits 5 s for more replicas).
      ...(mode === "server" ? ['save ""', "appendonly no", "repl-diskless-sync-delay 0"] : []),
      ...config,
      "",
    ].join("\n"),
  );
  const child = spawn("redis-server", [file, ...(mode === "sentinel" ? ["--sentinel"] : [])], {
    stdio: "ignore",
  });
  const node: RedisNode = { port, child, dir };
  await waitFor(`redis on port ${port}`, 5000, async () => (await command(port, ["PING"])) === "PONG");
  return node;
}

/** One command on a short-lived connection; null when the node does not answer within 1 s. */
export async function command(port: number, args: string[]): Promise<unknown> {
  const client = createClient({
    socket: { host: "127.0.0.1", port, connectTimeout: 500, reconnectStrategy: false },
  });
  client.on("error", () => {});
  let timer: NodeJS.Timeout | undefined;
  // A frozen (SIGSTOPped) node accepts the connection but never answers.
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), 1000);
  });
  try {
    const reply = client.connect().then(() => client.sendCommand(args));
    reply.catch(() => {});
    return await Promise.race([reply, timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    if (client.isOpen) client.destroy();
  }
}

export async function waitFor(what: string, withinMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
}

async function kill(node: RedisNode): Promise<void> {
  const { child } = node;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}

async function remove(node: RedisNode): Promise<void> {
  await kill(node);
  await rm(node.dir, { recursive: true, force: true });
}

/** A field map from a RESP2 flat list or a RESP3 map (node-redis 6 speaks RESP3 by default). */
const fieldsOf = (reply: unknown): Record<string, string> => {
  if (!Array.isArray(reply))
    return Object.fromEntries(Object.entries((reply ?? {}) as object).map(([k, v]) => [k, String(v)]));
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
};

export interface SentinelTopology {
  name: string;
  primary: RedisNode;
  replica: RedisNode;
  sentinels: RedisNode[];
  /** The environment a replica of the bot would get: REDIS_SENTINELS and REDIS_SENTINEL_NAME. */
  env: { REDIS_SENTINELS: string; REDIS_SENTINEL_NAME: string };
  /** Port of the node the sentinels currently name as primary. */
  currentPrimaryPort(): Promise<number | null>;
  /** SIGKILLs the current primary (as named by the sentinels from `askingSentinel` on) and returns its port. */
  killPrimary(options?: { askingSentinel?: number }): Promise<number>;
  /** Resolves once the sentinels name `oldPort`'s successor as primary and it accepts writes. */
  waitForPromotion(oldPort: number, withinMs: number): Promise<number>;
  /** Starts the killed primary's node again, as a replica of the new primary, and waits until the sentinels see it healthy. */
  restartOldPrimaryAsReplica(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One primary, one replica, three sentinels (quorum 2), tuned for a fast failover:
 * down-after-milliseconds 1000, failover-timeout 3000.
 */
export async function startSentinelTopology(
  options: { name?: string; serverConfig?: string[]; sentinelConfig?: string[] } = {},
): Promise<SentinelTopology> {
  requireRedisBinaries();
  const name = options.name ?? "vtmain";
  const started: RedisNode[] = [];
  try {
    const primary = await startNode(await freePort(), options.serverConfig ?? []);
    started.push(primary);
    const replica = await startNode(await freePort(), [
      ...(options.serverConfig ?? []),
      `replicaof 127.0.0.1 ${primary.port}`,
    ]);
    started.push(replica);
    await waitFor("the replica to sync", 10_000, async () =>
      String(await command(replica.port, ["INFO", "replication"])).includes("master_link_status:up"),
    );
    // Each sentinel starts knowing the others and the replica (ids fixed here), so there is no
    // wait for hello messages (every 2 s) before a failover can reach its quorum.
    const ports = [await freePort(), await freePort(), await freePort()];
    const ids = ports.map(() => randomBytes(20).toString("hex"));
    const sentinels: RedisNode[] = [];
    for (const [i, port] of ports.entries()) {
      const sentinel = await startNode(
        port,
        [
          `sentinel myid ${ids[i]}`,
          `sentinel monitor ${name} 127.0.0.1 ${primary.port} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 3000`,
          `sentinel parallel-syncs ${name} 1`,
          `sentinel known-replica ${name} 127.0.0.1 ${replica.port}`,
          ...ports.flatMap((other, j) =>
            j === i ? [] : [`sentinel known-sentinel ${name} 127.0.0.1 ${other} ${ids[j]}`],
          ),
          ...(options.sentinelConfig ?? []),
        ],
        "sentinel",
      );
      started.push(sentinel);
      sentinels.push(sentinel);
    }
    await waitFor("the sentinels to know each other and the replica", 10_000, async () => {
      for (const s of sentinels) {
        const others = (await command(s.port, ["SENTINEL", "SENTINELS", name])) as unknown[] | null;
        const replicas = (await command(s.port, ["SENTINEL", "REPLICAS", name])) as unknown[] | null;
        if (!others || others.length < 2 || !replicas || replicas.length < 1) return false;
      }
      return true;
    });

    const nodes = [primary, replica];
    const currentPrimaryPort = async (from = 0) => {
      for (const s of sentinels.slice(from)) {
        if (s.child.exitCode !== null) continue;
        const reply = (await command(s.port, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", name])) as
          | string[]
          | null;
        if (reply?.[1]) return Number(reply[1]);
      }
      return null;
    };
    let killed: RedisNode | undefined;
    return {
      name,
      primary,
      replica,
      sentinels,
      env: {
        REDIS_SENTINELS: sentinels.map((s) => `127.0.0.1:${s.port}`).join(","),
        REDIS_SENTINEL_NAME: name,
      },
      currentPrimaryPort: () => currentPrimaryPort(),
      async killPrimary(options = {}) {
        const port = await currentPrimaryPort(options.askingSentinel ?? 0);
        const node = nodes.find((n) => n.port === port);
        if (!node) throw new Error("no primary to kill");
        await kill(node);
        killed = node;
        return node.port;
      },
      async waitForPromotion(oldPort, withinMs) {
        let promoted = 0;
        await waitFor("the sentinels to promote the replica", withinMs, async () => {
          const port = await currentPrimaryPort();
          if (!port || port === oldPort) return false;
          if (!String(await command(port, ["INFO", "replication"])).includes("role:master")) return false;
          promoted = port;
          return true;
        });
        return promoted;
      },
      async restartOldPrimaryAsReplica() {
        if (!killed) throw new Error("no primary was killed");
        const port = killed.port;
        const primaryPort = await currentPrimaryPort();
        await rm(killed.dir, { recursive: true, force: true });
        const node = await startNode(port, [
          ...(options.serverConfig ?? []),
          `replicaof 127.0.0.1 ${primaryPort}`,
        ]);
        nodes[nodes.indexOf(killed)] = node;
        started.push(node);
        killed = undefined;
        await waitFor("the old primary to rejoin as a healthy replica", 15_000, async () => {
          if (!String(await command(port, ["INFO", "replication"])).includes("master_link_status:up"))
            return false;
          for (const s of sentinels) {
            const replicas = (await command(s.port, ["SENTINEL", "REPLICAS", name])) as unknown[] | null;
            const entry = (replicas ?? []).map(fieldsOf).find((r) => r.port === String(port));
            if (entry?.flags !== "slave" || entry["master-link-status"] !== "ok") return false;
          }
          return true;
        });
      },
      async stop() {
        await Promise.all(started.map(remove));
      },
    };
  } catch (err) {
    await Promise.all(started.map(remove));
    throw err;
  }
}

export interface ClusterTopology {
  /** Every node, primaries and replicas, in start order. */
  nodes: RedisNode[];
  /** REDIS_CLUSTER_NODES for the bot (every node as a seed). */
  env: { REDIS_CLUSTER_NODES: string };
  /** Ports of the current primaries, from the slot map. */
  primaryPorts(): Promise<number[]>;
  /** Port of the primary serving `key`'s hash slot. */
  portForKey(key: string): Promise<number>;
  stop(): Promise<void>;
}

type SlotRange = [number, number, [string, number, ...unknown[]], ...unknown[]];

/**
 * Three primaries, all 16384 slots assigned by `redis-cli --cluster create`, with one replica
 * each (six nodes) or none. cluster-node-timeout 1000: a dead primary's replica takes over in
 * about three seconds.
 */
export async function startCluster(
  options: { replicas?: 0 | 1; serverConfig?: string[] } = {},
): Promise<ClusterTopology> {
  requireRedisBinaries();
  const replicas = options.replicas ?? 0;
  const nodes: RedisNode[] = [];
  try {
    for (let i = 0; i < 3 * (1 + replicas); i++) {
      nodes.push(
        await startNode(await freePort(), [
          "cluster-enabled yes",
          "cluster-config-file nodes.conf",
          "cluster-node-timeout 1000",
          ...(options.serverConfig ?? []),
        ]),
      );
    }
    await run(
      "redis-cli",
      [
        "--cluster",
        "create",
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        "--cluster-replicas",
        String(replicas),
        "--cluster-yes",
      ],
      { timeout: 20_000 },
    );
    const live = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    const slotMap = async () => {
      for (const n of live()) {
        const slots = (await command(n.port, ["CLUSTER", "SLOTS"])) as SlotRange[] | null;
        if (slots) return slots;
      }
      throw new Error("no cluster node answers");
    };
    await waitFor("cluster_state:ok on every node, every replica in sync", 15_000, async () => {
      for (const n of nodes) {
        if (!String(await command(n.port, ["CLUSTER", "INFO"])).includes("cluster_state:ok")) return false;
        const info = String(await command(n.port, ["INFO", "replication"]));
        if (info.includes("role:slave") && !info.includes("master_link_status:up")) return false;
      }
      // (CLUSTER SLOTS lists a replica only once gossip has spread it, seconds later; the
      // failover does not need that: the replica asks the primaries for their votes itself.)
      return true;
    });
    return {
      nodes,
      env: { REDIS_CLUSTER_NODES: nodes.map((n) => `redis://127.0.0.1:${n.port}`).join(",") },
      async primaryPorts() {
        return [...new Set((await slotMap()).map((range) => Number(range[2][1])))];
      },
      async portForKey(key) {
        const asked = live()[0];
        if (!asked) throw new Error("no cluster node alive");
        const slot = Number(await command(asked.port, ["CLUSTER", "KEYSLOT", key]));
        const range = (await slotMap()).find(([from, to]) => slot >= from && slot <= to);
        if (!range) throw new Error(`no node serves slot ${slot}`);
        return Number(range[2][1]);
      },
      async stop() {
        await Promise.all(nodes.map(remove));
      },
    };
  } catch (err) {
    await Promise.all(nodes.map(remove));
    throw err;
  }
}

export type AclRole = "data" | "cluster" | "sentinel";

/**
 * The ACL lines docs/redis.md tells an admin to install, with a test password and the tests' key
 * pattern: the HA tests run with exactly these users, so the documentation cannot drift.
 */
export async function documentedAcl(role: AclRole, password: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const docs = await readFile(path.resolve(import.meta.dirname, "../../docs/redis.md"), "utf8");
  const marker = { data: "+zcard", cluster: "+cluster|slots", sentinel: "+sentinel|master" }[role];
  const line = docs
    .split("\n")
    .find(
      (l) =>
        l.startsWith("user vertrouwd on ") &&
        l.includes(marker) &&
        (role !== "data" || !l.includes("+cluster|")),
    );
  if (!line) throw new Error(`docs/redis.md has no ACL line for ${role}`);
  return line.replace(/ >\S+/, ` >${password}`).replace(" ~vt:* ", " ~vt-test:* ");
}
