/**
 * The terminal adapter: numbered choices, the form inline (between two marked lines), fields
 * asked one by one. Works interactively and with piped standard input. It translates only: no
 * flow decisions are made here.
 */
import type { Readable, Writable } from "node:stream";
import type { Locale } from "../../flows/domain.ts";
import type { FlowEvent } from "../../flows/model.ts";
import { parseCommand } from "../../flows/model.ts";
import { type RenderedChoice, type RenderedPrompt, renderPrompt, t } from "../../src/content/index.ts";
import type { ChatOutput, ConversationRuntime, FormOutput, Melder } from "../../src/conversation/types.ts";
import { formatText, wrapText } from "./format.ts";
import { type LineReader, fillFields, lineReader } from "./input.ts";

export interface ConsoleOptions {
  runtime: ConversationRuntime;
  input: Readable;
  output: Writable;
  /** Colour and bold only on a real terminal. */
  color: boolean;
  /**
   * Called once a form was sent, with the sealed case (the demo prints where the ciphertext
   * went and how to open it). The conversation ends after it.
   */
  onHandoff?: (sent: { caseId: string; form: FormOutput }) => Promise<void>;
  melder?: Melder;
}

type Print = (text?: string) => void;

/** The extra choice that closes the form in the terminal (a Slack modal has its own ×). */
const CLOSE_FORM = "__close_form";
/** The extra choice that starts filling in a step's fields. */
const FILL = "__fill";

export async function runConsole(options: ConsoleOptions): Promise<"handoff" | "ended"> {
  const { runtime, output } = options;
  const melder: Melder = options.melder ?? { platform: "console", tenant: "local", user: "terminal" };
  const lines = lineReader(options.input);
  // On a terminal, wrap at its width (at most 100 columns, easier to read); in a pipe, never.
  const columns = (output as NodeJS.WriteStream).columns;
  const width = options.color && columns ? Math.min(columns - 1, 100) : Number.POSITIVE_INFINITY;
  const print: Print = (text = "") => output.write(`${wrapText(formatText(text, options.color), width)}\n`);
  const end = (how: "handoff" | "ended", locale: Locale) => {
    if (how === "ended") {
      print();
      print(t(locale, "console.bye"));
    }
    lines.close();
    return how;
  };

  let chat = await runtime.chat({ melder, event: { type: "START" } });
  for (;;) {
    const choices = show(chat.locale, chat.prompts, print);
    const event = await ask(choices, chat.locale, lines, print);
    if (!event) return end("ended", chat.locale);
    chat = await runtime.chat({ melder, event, ...(chat.seq ? { answering: chat.seq } : {}) });
    if (!chat.form) continue;

    const result = await runForm(chat.form, { runtime, melder, lines, print, onHandoff: options.onHandoff });
    if (result.ended) return end(result.sent ? "handoff" : "ended", chat.locale);
    // Back in the chat: show what it says now (sent, stopped, closed) or where it was.
    chat = result.chat ?? (await runtime.chatView(melder));
  }
}

interface FormRun {
  runtime: ConversationRuntime;
  melder: Melder;
  lines: LineReader;
  print: Print;
  onHandoff: ConsoleOptions["onHandoff"];
}

/** One form, inline, until it is sent, stopped or closed. */
async function runForm(
  first: FormOutput,
  run: FormRun,
): Promise<{ ended: boolean; sent: boolean; chat?: ChatOutput }> {
  const { runtime, melder, lines, print } = run;
  let form = first;
  let chat: ChatOutput | undefined;
  print();
  print(t(form.locale, "console.formStart"));
  for (;;) {
    if (form.chat) chat = form.chat;
    if (form.sealedCase && run.onHandoff) {
      const delivered = await awaitDelivery(runtime, melder, form);
      showForm(delivered, print);
      await run.onHandoff({ caseId: form.sealedCase.caseId, form: delivered });
      print(t(form.locale, "console.formEnd"));
      return { ended: true, sent: true, chat };
    }
    const step = showForm(form, print);
    if (form.finished || form.status === "gone" || form.status === "forbidden") {
      print(t(form.locale, "console.formEnd"));
      return { ended: false, sent: false, chat };
    }
    const choices: RenderedChoice[] = [
      ...(step.input ? [{ id: FILL, label: t(form.locale, "console.fill"), style: "primary" as const }] : []),
      ...(step.options ?? []),
      ...(step.submit && !step.options && !step.input ? [step.submit] : []),
      ...step.choices,
      { id: CLOSE_FORM, label: t(form.locale, "console.closeForm") },
    ];
    numbered(choices, print);
    let event = await ask(choices, form.locale, lines, print);
    if (!event) return { ended: true, sent: false, chat };
    if (event.type === "CHOOSE" && event.choice === CLOSE_FORM) {
      const closed = token(form) ? await runtime.closeForm(melder, token(form)) : undefined;
      print(t(form.locale, "console.formEnd"));
      return { ended: false, sent: false, ...(closed ? { chat: closed } : chat ? { chat } : {}) };
    }
    if (event.type === "CHOOSE" && event.choice === FILL && step.input) {
      const values = await fillFields(step.input, form.locale, lines, print);
      if (values === null) return { ended: true, sent: false, chat };
      event = { type: "SUBMIT", form: step.input.form, values };
    }
    const next = await runtime.form({
      melder,
      token: token(form),
      event,
      ...(form.seq ? { answering: form.seq } : {}),
    });
    if (next.status === "invalid" || next.status === "unavailable") {
      for (const e of next.errors ?? [])
        print(t(form.locale, `notice.${errorId(e.error)}`, { field: e.field }));
      if (next.status === "unavailable") showForm({ ...next, prompts: next.prompts }, print);
      continue;
    }
    form = next;
  }
}

/** After sending: waits briefly for the worker, so the demo can say "delivered". */
async function awaitDelivery(
  runtime: ConversationRuntime,
  melder: Melder,
  form: FormOutput,
): Promise<FormOutput> {
  let current = form;
  for (let i = 0; i < 20 && !/delivered|failed/.test(JSON.stringify(current.prompts)); i++) {
    await new Promise((r) => setTimeout(r, 150));
    const next = await runtime.form({
      melder,
      token: token(current),
      event: { type: "CHOOSE", choice: "refresh" },
    });
    if (next.status !== "ok") break;
    current = { ...next, sealedCase: form.sealedCase };
  }
  return current;
}

const token = (form: FormOutput): string => form.token ?? "";
const errorId = (e: "tooLong" | "required" | "invalidOption") =>
  e === "tooLong" ? "fieldTooLong" : e === "required" ? "fieldRequired" : "fieldInvalid";

/** Prints a turn's texts; returns the last prompt's choices (where the buttons are). */
function show(locale: Locale, prompts: ChatOutput["prompts"], print: Print): RenderedChoice[] {
  let choices: RenderedChoice[] = [];
  for (const prompt of prompts) {
    const r = renderPrompt(locale, prompt);
    print();
    print(r.text);
    if (r.choices.length > 0) choices = r.choices;
  }
  // A link (the secure web page) is not a numbered choice: it is printed for the browser.
  const links = choices.filter((c) => c.url);
  choices = choices.filter((c) => !c.url);
  numbered(choices, print);
  for (const link of links) print(t(locale, "console.webLink", { url: link.url ?? "" }));
  return choices;
}

function showForm(form: FormOutput, print: Print): RenderedPrompt & { choices: RenderedChoice[] } {
  let last: RenderedPrompt = { text: "", choices: [], notice: false };
  for (const prompt of form.prompts) {
    const r = renderPrompt(form.locale, prompt);
    print();
    print(r.text);
    if (!r.notice) last = r;
  }
  return last;
}

function numbered(choices: RenderedChoice[], print: Print): void {
  if (choices.length === 0) return;
  print();
  for (const [i, c] of choices.entries()) print(`  ${i + 1}. ${c.label}`);
}

/** Reads until the melder picks something that becomes a flow event; null at end of input. */
async function ask(
  choices: RenderedChoice[],
  locale: Locale,
  lines: LineReader,
  print: Print,
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
    return { type: "CHOOSE", choice: picked.id };
  }
}
