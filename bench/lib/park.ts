/**
 * Parks conversations mid-flow through the real runtime (no Slack): first DM, the form opened
 * and filled to the review step with a ~1 KB report in the sealed draft — the state every idle
 * melder with a draft is in (a chat record plus a padded draft record).
 */
import { randomBytes } from "node:crypto";
import type { ConversationRuntime } from "../../src/conversation/types.ts";
import { formSession, openForm, reportSteps } from "../../test/support/conversation.ts";
import { REPORT_VALUES } from "./conversation.ts";

/** Parks `count` conversations, `parallel` at a time; returns the form state they ended in. */
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
      const form = formSession(runtime, melder, await openForm(runtime, melder));
      const out = await form.steps(reportSteps("demo-extern", REPORT_VALUES));
      states.push(out.state);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return states;
}
