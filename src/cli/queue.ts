/**
 * `vertrouwd queue [list] [--json]` and `vertrouwd queue retry <case id>… | --all`: the admin's
 * view of the delivery queue in Redis. It shows facts only — case id, counsellor, day, attempts,
 * the transport's reason — never ciphertext, and nothing that names a melder (there is nothing).
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { type DeliveryQueue, type QueueEntry, createDeliveryQueue } from "../delivery/queue.ts";
import { silentLogger } from "../log/logger.ts";
import { type StateStore, createStateStore, stateStoreEnv } from "../store/index.ts";

export class QueueCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueueCommandError";
  }
}

const CaseId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const LIST_LIMIT = 200;

export interface QueueIo {
  stdout: NodeJS.WritableStream;
  now?: () => number;
}

export async function runQueue(args: string[], env: NodeJS.ProcessEnv, io: QueueIo): Promise<number> {
  const [sub = "list", ...rest] = args;
  const say = (line: string) => io.stdout.write(`${line}\n`);
  if (sub !== "list" && sub !== "retry") {
    throw new QueueCommandError(`unknown queue command "${sub.slice(0, 20)}"; use "list" or "retry"`);
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: { json: { type: "boolean" }, all: { type: "boolean" } },
    allowPositionals: sub === "retry",
    strict: true,
  });
  const ids = positionals.map((id) => id.trim().toLowerCase());
  if (sub === "retry") {
    const all = values.all === true;
    if (all === ids.length > 0) {
      throw new QueueCommandError("queue retry needs case ids or --all (not both)");
    }
    const bad = ids.find((id) => !CaseId.safeParse(id).success);
    if (bad !== undefined) throw new QueueCommandError(`"${bad.slice(0, 40)}" is not a case id (a UUID)`);
  }

  const vault = await openStore(env);
  try {
    const queue = createDeliveryQueue({ store: vault.store });
    if (sub === "retry") return await retry(queue, values.all ? undefined : ids, say);
    return await list(queue, values.json === true, say, io.now ?? Date.now);
  } finally {
    await vault.close();
  }
}

async function openStore(env: NodeJS.ProcessEnv): Promise<StateStore> {
  const vault = await createStateStore(stateStoreEnv(env), {
    idleTtlMs: 60_000,
    logger: silentLogger(),
    connectWaitMs: 3000,
  });
  if (vault.kind !== "redis") {
    await vault.close();
    throw new QueueCommandError(
      "no Redis configured (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES): without Redis the queue lives in the server's memory and only the server itself delivers it",
    );
  }
  try {
    await vault.ping();
  } catch {
    await vault.close();
    throw new QueueCommandError("Redis does not answer; check it with `vertrouwd doctor`");
  }
  return vault;
}

async function list(
  queue: DeliveryQueue,
  json: boolean,
  say: (line: string) => void,
  now: () => number,
): Promise<number> {
  const [stats, waiting, failed] = await Promise.all([
    queue.stats(),
    queue.list("queued", LIST_LIMIT),
    queue.list("failed", LIST_LIMIT),
  ]);
  if (json) {
    say(JSON.stringify({ ...stats, waiting, failed }, null, 2));
    return 0;
  }
  say(
    `delivery queue: ${stats.queued} waiting${stats.queued ? ` (oldest ${age(stats.oldestSeconds)})` : ""}, ${stats.failed} failed`,
  );
  const line = (e: QueueEntry) =>
    `  ${e.caseId}  to ${e.counsellorId}  sent ${e.day}  queued ${age((now() - e.queuedAt) / 1000)} ago  attempts ${e.claims}`;
  if (waiting.length) {
    say("waiting (a running server delivers these; nothing to do unless they stay):");
    for (const e of waiting) say(line(e));
  }
  if (failed.length) {
    say("failed (no transport took them; fix the cause, then retry):");
    for (const e of failed) say(`${line(e)}\n    reason: ${e.failure ?? "unknown"}`);
    say("retry with: vertrouwd queue retry --all   (or: vertrouwd queue retry <case id> …)");
  }
  if (stats.queued > waiting.length || stats.failed > failed.length)
    say(`(showing at most ${LIST_LIMIT} of each)`);
  return 0;
}

async function retry(
  queue: DeliveryQueue,
  ids: string[] | undefined,
  say: (line: string) => void,
): Promise<number> {
  const failed = new Set(await queue.failedIds(10_000));
  const chosen = ids ?? [...failed];
  const notFailed = chosen.filter((id) => !failed.has(id));
  for (const id of notFailed) say(`! ${id}: not among the failed handoffs (delivered, waiting, or expired)`);
  const moved = await queue.retry(chosen.filter((id) => failed.has(id)));
  say(
    moved === 0
      ? "nothing to retry"
      : `${moved} handoff(s) back in the queue; a running server delivers them within seconds (watch with: vertrouwd queue list)`,
  );
  return notFailed.length > 0 ? 1 : 0;
}

/** "42 s", "7 min", "3 h", "2 d": enough for an admin, no exact times. */
function age(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}
