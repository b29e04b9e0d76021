/**
 * `vertrouwd <command>`: demo, serve, doctor, open, desk, reply, queue, state-key. Errors are one
 * admin-readable line (never a stack trace, never user input) and a non-zero exit code.
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../config/load.ts";
import { createLogger } from "../log/logger.ts";
import { generateStateKey } from "../store/index.ts";
import { runDemo } from "./demo.ts";
import { runDesk } from "./desk.ts";
import { runDoctor } from "./doctor.ts";
import {
  EnvironmentError,
  environmentValue,
  namedByConfig,
  readEnvironment,
  unknownVariables,
} from "./environment.ts";
import { runOpen } from "./open.ts";
import { QueueCommandError, runQueue } from "./queue.ts";
import { runReply } from "./reply.ts";
import { DemoRefusedError, appFromEnvironment } from "./setup.ts";

const HELP = `vertrouwd — confidential intake for the vertrouwenspersoon

Commands:
  demo [--lang nl|en] [--web [--port N]]
                                 chat in the terminal on embedded defaults (demo counsellors,
                                 generated keys, memory store, outbox in .vertrouwd/outbox);
                                 --web serves the secure web page on http://localhost:N/web/ instead
  serve [--port N] [--demo]      HTTP server: POST /slack/events, POST /api/messages,
                                 GET /healthz, GET /readyz (PORT, default 3978). Needs a config
                                 file; --demo serves the demo counsellors (no platform, not in production)
  doctor [--check-network]       validate config, keys, transports and state store; exit 1 on problems
  open <file> --key <private-key> [--verify <bot-public-key>] [--json]
                                 counsellor side: decrypt and print a handoff
  desk <import|list|due|show|ack|feedback|status|note|follow-up|annual-report|check|rekey>
                                 counsellor side: the encrypted register, deadlines, annual report
                                 ("vertrouwd desk help"; docs/counsellor.md)
  reply --case <code> --key <private-key> [--file <msg.txt>] [--url <page-url>] | reply --retry
                                 counsellor side: answer an anonymous melder through their
                                 mailbox ("vertrouwd reply --help"; docs/counsellor.md)
  queue [list [--json] | retry <case id>… | retry --all]
                                 admin: handoffs waiting for delivery or failed (Redis only),
                                 and putting failed ones back in the queue
  state-key                      print a new random VERTROUWD_STATE_KEY / server secret value

Configuration: VERTROUWD_CONFIG=<file> or ./vertrouwd.config.yaml. See README.md.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "demo": {
      const { values } = parseArgs({
        args: rest,
        options: { lang: { type: "string" }, web: { type: "boolean" }, port: { type: "string" } },
        strict: true,
      });
      const lang = values.lang === "en" ? "en" : values.lang === "nl" || !values.lang ? "nl" : undefined;
      if (!lang) throw new UsageError("--lang must be nl or en");
      if (values.port !== undefined && !values.web) throw new UsageError("--port goes with --web");
      if (values.web) {
        const port = portOf(values.port, env);
        const { runWebDemo } = await import("./demo-web.ts");
        return runWebDemo({ lang, port, env });
      }
      return runDemo({ lang, env });
    }
    case "serve":
      return serve(rest, env);
    case "doctor": {
      const { values } = parseArgs({
        args: rest,
        options: { "check-network": { type: "boolean" }, config: { type: "string" } },
        strict: true,
      });
      return runDoctor({ env, configFile: values.config, network: values["check-network"] === true });
    }
    case "open":
      return runOpen(rest, terminal(), env);
    case "desk":
      return runDesk(rest, terminal(), env);
    case "reply":
      return runReply(rest, terminal(), env);
    case "queue":
      return runQueue(rest, env, { stdout: process.stdout });
    case "state-key":
      process.stdout.write(`${generateStateKey()}\n`);
      return 0;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(`${HELP}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command "${command.slice(0, 40)}"; see "vertrouwd help"`);
  }
}

export class UsageError extends Error {}

/** The counsellor-side commands read keys and passphrases from the terminal they run in. */
const terminal = () => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  isTTY: process.stdin.isTTY === true,
});

async function serve(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: "string" }, demo: { type: "boolean" } },
    strict: true,
  });
  const port = portOf(values.port, env);
  // Every variable at once, each problem naming its variable, before anything connects.
  const environment = readEnvironment(env);
  const logger = createLogger();
  const app = await appFromEnvironment(env, logger, { demo: values.demo === true });
  for (const warning of unknownVariables(env, namedByConfig(app.config)))
    logger.warn({ event: "startup.unknown_variable", warning });
  for (const problem of app.keyProblems) logger.error({ event: "startup.key_problem", problem });
  const { startServer } = await import("./serve.ts");
  const running = await startServer(app, env, { port });
  if (running.adapters.length === 0) {
    logger.warn(
      { event: "startup.no_adapters" },
      "no platform configured: set the Slack or Teams variables (see README)",
    );
  }
  const graceMs = (environment.VERTROUWD_SHUTDOWN_GRACE_SECONDS ?? 10) * 1000;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // A second signal while draining: the admin wants out now. Queued ciphertext is safe in
      // the store; a lease held here runs out and another replica takes the delivery over.
      logger.warn({ event: "server.stop_forced", signal });
      process.exit(1);
    }
    stopping = true;
    logger.info({ event: "server.stopping", signal, graceMs });
    // Bounded as a whole: turns, then deliveries, each get the grace; closing the store a few seconds.
    setTimeout(
      () => {
        logger.error({ event: "server.stop_timeout" });
        process.exit(1);
      },
      graceMs * 2 + 5_000,
    ).unref();
    const http = await running.close(graceMs);
    logger.info({ event: "server.drained", finished: http.finished, abandoned: http.abandoned });
    await app.close(graceMs);
    logger.info({ event: "server.stopped" });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  return new Promise<number>(() => {});
}

/** --port, else PORT, else 3978. VERTROUWD_SHUTDOWN_GRACE_SECONDS etc. are read by the schema. */
function portOf(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  if (flag === undefined) return environmentValue(env, "PORT") ?? 3978;
  const port = Number(flag);
  if (!/^\d+$/.test(flag) || port > 65535) throw new UsageError("--port must be a number from 0 to 65535");
  return port;
}

/** Entry point: maps every failure to one clear line. */
export async function run(argv: string[]): Promise<void> {
  // A crash must never print report text: reduce anything unexpected to its class name.
  const fatal = (kind: string) => (err: unknown) => {
    const name = err instanceof Error ? err.name : typeof err;
    process.stderr.write(`vertrouwd: unexpected ${kind} (${name}); nothing was written to disk\n`);
    process.exit(70);
  };
  process.on("uncaughtException", fatal("error"));
  process.on("unhandledRejection", fatal("rejection"));
  try {
    process.exitCode = await main(argv, process.env);
  } catch (err) {
    process.stderr.write(`vertrouwd: ${describe(err)}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  }
}

function describe(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  if (err instanceof DemoRefusedError) return err.message;
  if (err instanceof UsageError) return err.message;
  if (err instanceof QueueCommandError) return err.message;
  if (err instanceof EnvironmentError) return err.message;
  if (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))
    return err.message;
  // Our own errors carry admin-facing messages; anything else is named but not quoted.
  if (err instanceof Error && /Error$/.test(err.name) && err.name !== "Error" && err.name !== "TypeError") {
    return `${err.name}: ${err.message.split("\n")[0]}`;
  }
  return `failed (${err instanceof Error ? err.name : typeof err})`;
}
