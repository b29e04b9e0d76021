/**
 * Reading the terminal: a pull-based line reader (a TTY and a pipe alike) and a form's fields
 * asked one by one. A field over its limit is asked again at once, so nothing already entered
 * in other fields is lost and the runtime never receives a value the field cannot hold.
 */
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { Locale } from "../../flows/domain.ts";
import { type RenderedField, type RenderedInput, t } from "../../src/content/index.ts";

export interface LineReader {
  next(prompt: string): Promise<string | null>;
  close(): void;
}

type Print = (text?: string) => void;

export async function fillFields(
  input: RenderedInput,
  locale: Locale,
  lines: LineReader,
  print: Print,
): Promise<Record<string, string> | null> {
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
  print: Print,
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

/** A pull-based line reader that works the same for a TTY and for piped input. */
export function lineReader(input: Readable): LineReader {
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
