import type { FlowEvent } from "../../flows/model.ts";
import type { ConversationRuntime, Melder, TurnOutput } from "../../src/conversation/types.ts";

export const CANARY = "CANARY-9d41-wat-er-gebeurde";

export const choose = (choice: string): FlowEvent => ({ type: "CHOOSE", choice });

/** The events of an anonymous first report to the external demo counsellor, up to the review. */
export function reportEvents(
  counsellor = "demo-extern",
  values: Record<string, string> = { what: CANARY, when: "vorige week", wishes: "heard" },
): FlowEvent[] {
  return [
    { type: "START" },
    choose("continue"),
    choose("ack"),
    choose("report"),
    choose("bullying"),
    choose(`counsellor:${counsellor}`),
    choose("anonymous"),
    { type: "SUBMIT", form: "report", values },
  ];
}

export async function play(
  runtime: ConversationRuntime,
  melder: Melder,
  events: FlowEvent[],
): Promise<TurnOutput[]> {
  const outs: TurnOutput[] = [];
  for (const event of events) outs.push(await runtime.handle({ melder, event }));
  return outs;
}

export const texts = (turn: TurnOutput) => turn.prompts.map((p) => p.text);
