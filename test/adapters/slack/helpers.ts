import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { FlowEvent, Prompt } from "../../../flows/model.ts";
import { Config } from "../../../src/config/schema.ts";
import type { ConversationRuntime, Melder, TurnInput, TurnOutput } from "../../../src/conversation/types.ts";
import { type Logger, createLogger } from "../../../src/log/logger.ts";

/** A pino logger whose lines are kept for "never logs X" assertions. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), lines };
}

export function testConfig(): Config {
  return Config.parse({
    organisation: { name: "Testorganisatie" },
    defaultLocale: "nl",
    counsellors: [
      {
        id: "anna",
        name: "Anna <Test> & Co",
        kind: "external",
        languages: ["nl", "en"],
        introduction: { nl: "Onafhankelijk vertrouwenspersoon.", en: "Independent counsellor." },
        key: { publicKeyPath: "unused.asc", fingerprint: "A".repeat(40) },
        delivery: { type: "outbox", dir: "outbox" },
      },
    ],
  });
}

export interface FakeRuntime extends ConversationRuntime {
  turns: TurnInput[];
  remembered: { melder: Melder; refs: string[] }[];
  /** What the next turns return (default: a simple prompt with one button). */
  reply: (input: TurnInput) => Partial<TurnOutput>;
}

/** A runtime stand-in that records turns and de-duplicates by event id like the real one. */
export function fakeRuntime(): FakeRuntime {
  const seen = new Set<string>();
  let seq = 0;
  const runtime: FakeRuntime = {
    turns: [],
    remembered: [],
    reply: (input) => ({ prompts: defaultPrompts(input.event) }),
    async handle(input) {
      if (input.eventId) {
        if (seen.has(input.eventId))
          return { status: "duplicate", locale: "nl", prompts: [], state: "unknown" };
        seen.add(input.eventId);
      }
      // Like the real runtime: an answer to an older prompt generation changes nothing.
      if (input.answering !== undefined && input.answering !== seq) {
        return {
          status: "stale",
          locale: "nl",
          prompts: [{ text: "notice.staleChoice" }],
          state: "unknown",
          seq,
        };
      }
      runtime.turns.push(input);
      seq++;
      return { status: "ok", locale: "nl", prompts: [], state: "welcome", seq, ...runtime.reply(input) };
    },
    async current(melder) {
      // Read-only: shows what the step would show, without recording a turn.
      return {
        status: "ok",
        locale: "nl",
        prompts: [],
        state: "welcome",
        seq,
        ...runtime.reply({ melder, event: { type: "HELP" } }),
      };
    },
    async remember(melder, refs) {
      runtime.remembered.push({ melder, refs });
    },
  };
  return runtime;
}

function defaultPrompts(event: FlowEvent): Prompt[] {
  const step: Prompt = {
    text: "need.question",
    choices: [
      { id: "info", label: "choice.info" },
      { id: "danger", label: "choice.danger", style: "danger" },
    ],
  };
  return event.type === "HELP" ? [{ text: "notice.help" }, step] : [step];
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
