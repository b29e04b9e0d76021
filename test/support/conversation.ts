/**
 * Driving the runtime as an adapter would: the chat up to the form, then form steps with the
 * token and step number the form carries.
 */
import type { FlowEvent } from "../../flows/model.ts";
import type { ChatOutput, ConversationRuntime, FormOutput, Melder } from "../../src/conversation/types.ts";

export const CANARY = "CANARY-9d41-wat-er-gebeurde";

export const choose = (choice: string): FlowEvent => ({ type: "CHOOSE", choice });

/** Chat events from the first contact to the opened form. */
export const TO_FORM: FlowEvent[] = [{ type: "START" }, choose("continue"), choose("ack"), choose("form")];

/** Form events of an anonymous first report, up to the review. */
export function reportSteps(
  counsellor = "demo-extern",
  values: Record<string, string> = { what: CANARY, when: "vorige week", wishes: "heard" },
  topic = "bullying",
): FlowEvent[] {
  return [
    choose("report"),
    choose(topic),
    choose(`counsellor:${counsellor}`),
    choose("anonymous"),
    { type: "SUBMIT", form: "report", values },
  ];
}

/** Runs chat events, answering each time the newest prompt. Returns every output. */
export async function chatSteps(
  runtime: ConversationRuntime,
  melder: Melder,
  events: FlowEvent[],
): Promise<ChatOutput[]> {
  const outs: ChatOutput[] = [];
  let seq: number | undefined;
  for (const event of events) {
    const out = await runtime.chat({
      melder,
      event,
      ...(event.type === "CHOOSE" && seq ? { answering: seq } : {}),
    });
    if (out.seq) seq = out.seq;
    outs.push(out);
  }
  return outs;
}

/** The chat up to an open form. */
export async function openForm(runtime: ConversationRuntime, melder: Melder): Promise<FormOutput> {
  const outs = await chatSteps(runtime, melder, TO_FORM);
  const form = outs[outs.length - 1]?.form;
  if (!form?.token) throw new Error(`no form opened (last status ${outs[outs.length - 1]?.status})`);
  return form;
}

/** A form session: each step carries the newest token and step number, like a modal does. */
export function formSession(runtime: ConversationRuntime, melder: Melder, first: FormOutput) {
  let current = first;
  const outs: FormOutput[] = [first];
  return {
    get current() {
      return current;
    },
    outs,
    async step(event: FlowEvent, extra: { eventId?: string } = {}): Promise<FormOutput> {
      const out = await runtime.form({
        melder,
        token: current.token ?? "",
        event,
        ...(current.seq ? { answering: current.seq } : {}),
        ...extra,
      });
      outs.push(out);
      if (out.token) current = out;
      return out;
    },
    async steps(events: FlowEvent[]): Promise<FormOutput> {
      let out = current;
      for (const e of events) out = await this.step(e);
      return out;
    },
  };
}

/** Opens a form and plays the given form events. */
export async function report(
  runtime: ConversationRuntime,
  melder: Melder,
  events: FlowEvent[] = reportSteps(),
): Promise<ReturnType<typeof formSession>> {
  const session = formSession(runtime, melder, await openForm(runtime, melder));
  await session.steps(events);
  return session;
}

export const texts = (out: { prompts: { text: string }[] }) => out.prompts.map((p) => p.text);
