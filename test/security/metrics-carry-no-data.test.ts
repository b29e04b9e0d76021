/**
 * Promise: metrics carry no data (invariant 2, issue 15 item 6). A metric is read by more people
 * than a log: GET /metrics after canary conversations shows no id, no choice, no text, and two
 * conversations that differ only in the matter move the same series by the same amounts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOPICS, WISHES } from "../../flows/domain.ts";
import { CANARY, type SlackRig, type Variant, formVariants, playForm, slackRig, toForm } from "./helpers.ts";

let rig: SlackRig;
let variants: Variant[];
beforeAll(async () => {
  rig = await slackRig();
  variants = formVariants(rig.t.app.config);
});
afterAll(async () => rig?.close());

async function scrape(): Promise<string> {
  const res = await fetch(`${rig.server.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  return res.text();
}

/** Our own series (not the process defaults) as `name{labels}` → value. */
function series(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("vertrouwd_") || line.startsWith("vertrouwd_process_")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** What a conversation changed: counters and histogram counts (not durations, they vary). */
function delta(before: Map<string, number>, after: Map<string, number>): string[] {
  const changed: string[] = [];
  for (const [key, value] of after) {
    if (/_sum\{|_sum$|_bucket\{|oldest_seconds/.test(key)) continue;
    const d = value - (before.get(key) ?? 0);
    if (d !== 0) changed.push(`${key} +${d}`);
  }
  return changed.sort();
}

/** Every label value our metrics may carry: fixed, small sets named in src/metrics. */
const ALLOWED_LABELS: Record<string, RegExp> = {
  surface: /^(chat|form)$/,
  status: /^(ok|duplicate|stale|unavailable|invalid|gone|forbidden|error)$/,
  platform: /^(slack|teams)$/,
  method:
    /^(chat\.postMessage|chat\.update|chat\.delete|conversations\.open|conversations\.history|views\.open|views\.update|views\.push|views\.publish|response_url|send|update|delete|other)$/,
  outcome: /^(delivered|failed)$/,
  le: /^(\+Inf|[0-9.e+-]+)$/,
};

describe("GET /metrics", () => {
  it("moves the same series by the same amounts for conversations that differ only in the matter", async () => {
    // One conversation to warm every series up, then a pair per variant compared to the first.
    // Each kind of path once: every counsellor, identity and mode, an in-scope and an out-of-scope
    // topic (the transcripts test walks every topic), an empty and a long report.
    const pick = [
      variants[0],
      ...variants.filter((v) =>
        /^(counsellor|identity|mode)=|^topic=(aggression|performance)$|^report=(empty|long)$/.test(v.name),
      ),
    ];
    const deltas: { name: string; changed: string[] }[] = [];
    for (const v of pick) {
      if (!v) continue;
      const before = series(await scrape());
      const m = rig.melder();
      await toForm(m);
      await playForm(m, v.events);
      await m.settle();
      await rig.t.drain();
      deltas.push({ name: v.name, changed: delta(before, series(await scrape())) });
    }
    const [reference] = deltas;
    expect(reference?.changed.some((l) => l.startsWith("vertrouwd_turns_total"))).toBe(true);
    // The number of form steps follows the path (an out-of-scope topic adds its referral, a
    // contact route its form): counted as form turns here, as it is in the HTTP requests every
    // proxy in front of the server sees (docs/privacy.md, "Counts"). So form turns are compared
    // by series, everything else by amount too — the chat's amounts above all.
    const formTurns = (l: string) => l.includes('surface="form"') && /^vertrouwd_turn/.test(l);
    const shape = (changed: string[]) => changed.map((l) => (formTurns(l) ? l.replace(/ \+\d+$/, "") : l));
    const sent = (changed: string[] | undefined) => changed?.some((l) => l.includes("handoffs_queued"));
    for (const d of deltas.slice(1)) {
      // A sent report and a discarded draft differ by design (queued, delivered): like with like.
      if (sent(d.changed) !== sent(reference?.changed)) continue;
      expect(shape(d.changed), d.name).toEqual(shape(reference?.changed ?? []));
    }
  }, 180_000);

  it("shows no id, no choice and no text, and only label values from fixed sets", async () => {
    const m = rig.melder();
    // A failing Web API call too (marking the first answered message): counted by method, never
    // with its channel or error text.
    rig.fake.failNext("chat.update", { error: "channel_not_found" });
    await toForm(m);
    await playForm(m, variants[0]?.events ?? []);
    await m.settle();
    await rig.t.drain();
    const text = await scrape();

    const forbidden = [
      CANARY,
      m.user,
      m.channel,
      "T0TEAM",
      "channel_not_found",
      ...rig.t.app.config.counsellors.flatMap((c) => [c.id, c.name]),
      ...TOPICS,
      ...WISHES.filter((w) => w !== "advice"),
      "anonymous",
      "named",
    ];
    for (const word of forbidden) expect(text, word).not.toContain(`"${word}"`);
    // The failed chat.update is counted, by platform and method only.
    expect(text).toMatch(
      /^vertrouwd_platform_api_errors_total\{platform="slack",method="chat\.update"\} [1-9]\d*$/m,
    );
    expect(text).not.toMatch(/VT-[0-9A-Z]{4}-[0-9A-Z]{4}/);

    for (const line of text.split("\n")) {
      if (!line.startsWith("vertrouwd_") || line.startsWith("vertrouwd_process_")) continue;
      const labels = /\{(.*)\}/.exec(line)?.[1];
      if (!labels) continue;
      for (const [, name, value] of labels.matchAll(/(\w+)="([^"]*)"/g)) {
        const allowed = ALLOWED_LABELS[name ?? ""];
        expect(allowed, `label ${name} in ${line}`).toBeDefined();
        expect(value, line).toMatch(allowed as RegExp);
      }
    }
  }, 60_000);
});
