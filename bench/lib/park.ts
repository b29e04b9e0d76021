/**
 * Parks conversations mid-flow through the real runtime (no Slack): first DM to the review step
 * with a ~1 KB report in the sealed draft, the state every idle melder with a draft is in.
 */
import { randomBytes } from "node:crypto";
import type { FlowEvent } from "../../flows/model.ts";
import type { ConversationRuntime } from "../../src/conversation/types.ts";
import { REPORT_VALUES } from "./conversation.ts";

const TO_REVIEW: FlowEvent[] = [
  { type: "START" },
  { type: "CHOOSE", choice: "continue" },
  { type: "CHOOSE", choice: "ack" },
  { type: "CHOOSE", choice: "report" },
  { type: "CHOOSE", choice: "bullying" },
  { type: "CHOOSE", choice: "counsellor:demo-extern" },
  { type: "CHOOSE", choice: "anonymous" },
  { type: "SUBMIT", form: "report", values: REPORT_VALUES },
];

/** Parks `count` conversations, `parallel` at a time; returns the state they ended in. */
export async function parkConversations(
  runtime: ConversationRuntime,
  count: number,
  parallel = 20,
): Promise<string[]> {
  const states: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const melder = {
        platform: "slack" as const,
        tenant: "T0BENCH",
        user: `U${randomBytes(5).toString("hex")}`,
      };
      let state = "";
      for (const event of TO_REVIEW) {
        // Event ids as the Slack adapter passes them: their de-duplication markers are part of the footprint.
        const out = await runtime.handle({ melder, event, eventId: `Ev${randomBytes(6).toString("hex")}` });
        state = out.state;
      }
      states.push(state);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return states;
}
