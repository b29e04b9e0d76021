/** The form dialog (task module invokes) over real HTTP: authentication and failure answers. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Bench,
  Dialog,
  type SentCard,
  TeamsUser,
  invokeAnswer,
  lastCard,
  startBench,
} from "./harness.ts";

let bench: Bench;
beforeAll(async () => {
  bench = await startBench();
});
afterAll(async () => bench?.close());

async function card(activity: Record<string, unknown>): Promise<SentCard> {
  const from = bench.calls.length;
  expect((await bench.post(activity)).status).toBe(200);
  return lastCard(bench, from);
}

async function toReportForm(user: TeamsUser): Promise<SentCard> {
  let c = await card(user.install());
  for (const choice of ["continue", "ack", "report", "bullying", "counsellor:demo-extern", "anonymous"])
    c = await card(user.click(c, choice));
  return c;
}

describe("task module invokes", () => {
  it("authenticates invokes like any activity: 401 without a valid token, and no dialog", async () => {
    const user = new TeamsUser(bench);
    const form = await toReportForm(user);
    const missing = await bench.post(user.openForm(form), { token: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: "unauthorized" });
    const otherBot = await bench.post(user.openForm(form), {
      token: await bench.token({ audience: "00000000-0000-0000-0000-000000000000" }),
    });
    expect(otherBot.status).toBe(401);
    const ok = await invokeAnswer(await bench.post(user.openForm(form)));
    expect(ok.status).toBe(200);
    expect(ok.body?.task?.type).toBe("continue");
  });

  it("answers in the dialog when the chat cannot be updated, and never quotes the input", async () => {
    const user = new TeamsUser(bench, "en-US");
    const form = await toReportForm(user);
    const dialog = Dialog.of(await invokeAnswer(await bench.post(user.openForm(form))));
    const canary = `CANARY-${randomUUID()}`;
    const logsBefore = bench.logs.length;
    // Collapsing the form card and posting the review both fail (500 is not retried).
    bench.failNext({ status: 500 }, { status: 500 });
    const answer = await invokeAnswer(await bench.post(user.submitDialog(dialog, { what: canary })));
    expect(answer.status).toBe(200);
    expect(answer.body?.task).toEqual({
      type: "message",
      value: expect.stringContaining("temporary problem"),
    });
    expect(answer.raw).not.toContain(canary);
    const logs = bench.logs.slice(logsBefore).join("");
    expect(logs).toContain("teams.turn.error");
    expect(logs).not.toContain(canary);
    // No card with the canary was ever sent.
    expect(bench.calls.some((c) => c.raw.includes(canary))).toBe(false);
  });
});
