/**
 * The terminal adapter: numbered choices, forms asked field by field, works interactively and
 * with piped standard input. It translates only: no flow decisions are made here.
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { FlowEvent } from "../../flows/model.ts";
import { parseCommand } from "../../flows/model.ts";
import type { Locale } from "../../src/config/schema.ts";
import {
  type RenderedChoice,
  type RenderedField,
  type RenderedInput,
  renderPrompt,
  t,
} from "../../src/content/index.ts";
import type { ConversationRuntime, Melder, TurnOutput } from "../../src/conversation/types.ts";
import { formatText, wrapText } from "./format.ts";

export interface ConsoleOptions {
  runtime: ConversationRuntime;
  input: Readable;
  output: Writable;
  /** Colour and bold only on a real terminal. */
  color: boolean;
  /** Called with the turn that completed a handoff, e.g. to print how to open it. */
  onHandoff?: (turn: TurnOutput) => Promise<void>;
  melder?: Melder;
}

/** Marker id of the extra choice that opens a form in the terminal. */
const OPEN_FORM = "__open_form";

export async function runConsole(options: ConsoleOptions): Promise<"handoff" | "ended"> {
  const { runtime, output } = options;
  const melder: Melder = options.melder ?? { platform: "console", tenant: "local", user: "terminal" };
  const lines = lineReader(options.input);
  // On a terminal, wrap at its width (at most 100 columns, easier to read); in a pipe, never.
  const columns = (output as NodeJS.WriteStream).columns;
  const width = options.color && columns ? Math.min(columns - 1, 100) : Number.POSITIVE_INFINITY;
  const print = (text = "") => output.write(`${wrapText(formatText(text, options.color), width)}\n`);

  let turn = await runtime.handle({ melder, event: { type: "START" } });
  for (;;) {
    const view = show(turn, print, turn.receipt === undefined);
    if (turn.receipt) {
      await options.onHandoff?.(turn);
      lines.close();
      return "handoff";
    }
    const event = await ask(view.choices, view.input, turn.locale, lines, print);
    if (!event) {
      print();
      print(t(turn.locale, "console.bye"));
      lines.close();
      return "ended";
    }
    turn = await runtime.handle({ melder, event });
  }
}

interface View {
  choices: RenderedChoice[];
  input?: RenderedInput;
}

function show(turn: TurnOutput, print: (s?: string) => void, withChoices: boolean): View {
  let choices: RenderedChoice[] = [];
  let input: RenderedInput | undefined;
  for (const prompt of turn.prompts) {
    const r = renderPrompt(turn.locale, prompt);
    print();
    print(r.text);
    if (r.choices.length > 0) choices = r.choices;
    if (r.input) input = r.input;
  }
  if (input) choices = [{ id: OPEN_FORM, label: input.open, style: "primary" }, ...choices];
  if (withChoices && choices.length > 0) {
    print();
    for (const [i, c] of choices.entries()) print(`  ${i + 1}. ${c.label}`);
  }
  return { choices, input };
}

/** Reads until the melder picks something that becomes a flow event; null at end of input. */
async function ask(
  choices: RenderedChoice[],
  input: RenderedInput | undefined,
  locale: Locale,
  lines: LineReader,
  print: (s?: string) => void,
): Promise<FlowEvent | null> {
  for (;;) {
    const line = await lines.next(`${t(locale, "console.choose")} > `);
    if (line === null) return null;
    if (line.trim() === "") continue;
    const command = parseCommand(line);
    if (command) return command;
    const n = Number.parseInt(line.trim(), 10);
    const picked = Number.isInteger(n) && String(n) === line.trim() ? choices[n - 1] : undefined;
    if (!picked) {
      print(t(locale, "console.invalidChoice"));
      continue;
    }
    if (picked.id === OPEN_FORM && input) {
      const values = await fillForm(input, locale, lines, print);
      if (values === null) return null;
      return { type: "SUBMIT", form: input.form, values };
    }
    return { type: "CHOOSE", choice: picked.id };
  }
}

/**
 * Asks each field in turn. A field over its limit is asked again at once, so nothing already
 * entered in other fields is lost and the flow never receives an invalid form.
 */
async function fillForm(
  input: RenderedInput,
  locale: Locale,
  lines: LineReader,
  print: (s?: string) => void,
): Promise<Record<string, string> | null> {
  print();
  print(`*${input.title}*`);
  if (input.intro) print(input.intro);
  const values: Record<string, string> = {};
  for (const field of input.fields) {
    const value = await askField(field, locale, lines, print);
    if (value === null) return null;
    if (value !== "") values[field.id] = value;
  }
  return values;
}

async function askField(
  field: RenderedField,
  locale: Locale,
  lines: LineReader,
  print: (s?: string) => void,
): Promise<string | null> {
  for (;;) {
    print();
    print(`*${field.label}*${field.hint ? ` — ${field.hint}` : ""}`);
    if (field.initial) print(`[${field.initial}]`);
    let value: string | null;
    if (field.options) {
      for (const [i, o] of field.options.entries()) print(`  ${i + 1}. ${o.label}`);
      if (!field.required) print(t(locale, "console.skipHint"));
      const line = await lines.next("> ");
      if (line === null) return null;
      const n = Number.parseInt(line.trim(), 10);
      if (line.trim() === "") value = field.initial ?? "";
      else if (field.options[n - 1]) value = field.options[n - 1]?.id ?? "";
      else {
        print(t(locale, "notice.fieldInvalid", { field: field.id }));
        continue;
      }
    } else if (field.multiline) {
      print(t(locale, "console.multilineHint"));
      value = await readMultiline(lines);
      if (value === null) return null;
      if (value === "" && field.initial) value = field.initial;
    } else {
      if (!field.required) print(t(locale, "console.skipHint"));
      const line = await lines.next("> ");
      if (line === null) return null;
      value = line.trim() === "" ? (field.initial ?? "") : line.trim();
    }
    if (value.length > field.maxLength) {
      print(t(locale, "notice.fieldTooLong", { field: field.id, max: field.maxLength }));
      continue;
    }
    if (field.required && value === "") {
      print(t(locale, "notice.fieldRequired", { field: field.id }));
      continue;
    }
    return value;
  }
}

/** Lines until an empty line or a lone "."; an empty first line means "skip". */
async function readMultiline(lines: LineReader): Promise<string | null> {
  const collected: string[] = [];
  for (;;) {
    const line = await lines.next(collected.length === 0 ? "> " : "… ");
    if (line === null) return collected.length > 0 ? collected.join("\n").trim() : null;
    if (line.trim() === "" || line.trim() === ".") return collected.join("\n").trim();
    collected.push(line);
  }
}

interface LineReader {
  next(prompt: string): Promise<string | null>;
  close(): void;
}

/** A pull-based line reader that works the same for a TTY and for piped input. */
function lineReader(input: Readable): LineReader {
  const rl = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  const buffered: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let ended = false;
  rl.on("line", (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else buffered.push(line);
  });
  rl.on("close", () => {
    ended = true;
    for (const w of waiting.splice(0)) w(null);
  });
  const interactive = (input as NodeJS.ReadStream).isTTY === true;
  return {
    next(prompt) {
      if (interactive) process.stdout.write(prompt);
      const line = buffered.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (ended) return Promise.resolve(null);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close() {
      rl.close();
    },
  };
}
