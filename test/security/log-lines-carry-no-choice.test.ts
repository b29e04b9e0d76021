/**
 * Promise: logs hold coarse, matter-free events only (invariant 2, issue 11 item 6). The set of
 * log lines of conversations that differ only in the matter is the same, once times, latencies
 * and random ids are set aside: no state name, topic, counsellor or anonymity ever shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackRig, type Variant, formVariants, playForm, slackRig, toForm } from "./helpers.ts";

let rig: SlackRig;
let variants: Variant[];
beforeAll(async () => {
  rig = await slackRig();
  variants = formVariants(rig.t.app.config).filter(
    (v, i) =>
      i % 3 === 0 ||
      v.name.startsWith("mode=") ||
      v.name.startsWith("counsellor=") ||
      v.name.startsWith("identity="),
  );
});
afterAll(async () => rig?.close());

/** A log line without what varies between any two runs: time, latency, random ids, pid. */
const shape = (line: string): string => {
  const entry = JSON.parse(line) as Record<string, unknown>;
  for (const key of ["time", "ms", "conv", "pid", "hostname", "durationMs", "delayMs"]) delete entry[key];
  return JSON.stringify(entry);
};

describe("log lines", () => {
  it("are the same set for conversations that differ only in the matter", async () => {
    const sets: { name: string; lines: string[] }[] = [];
    for (const v of variants) {
      const from = rig.t.logs.length;
      const m = rig.melder();
      await toForm(m);
      await playForm(m, v.events);
      await m.settle();
      await rig.t.drain();
      sets.push({ name: v.name, lines: [...new Set(rig.t.logs.slice(from).map(shape))].sort() });
    }
    const [reference] = sets;
    expect(reference?.lines.some((l) => l.includes("form.sent"))).toBe(true);
    for (const s of sets) expect(s.lines, s.name).toEqual(reference?.lines);
    const all = rig.t.logs.join("\n");
    for (const word of [
      "bullying",
      "aggression",
      "demo-intern",
      "demo-extern",
      "anonymous",
      "named",
      "topicReferral",
      "contactHow",
      "review",
    ]) {
      expect(all, word).not.toContain(`"${word}"`);
    }
  }, 120_000);
});
