/**
 * Platform conformance: every view of both flows, in both languages, rendered through the Slack
 * and Teams adapters for the demo config and for configs at the schema's bounds, checked against
 * Block Kit's limits (block-kit.ts) and the Adaptive Cards 1.5 schema and Teams' size limits
 * (adaptive-cards.ts). Danger and stop must be in every chat message and every form view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatMachine } from "../../flows/chat/machine.ts";
import { intakeMachine } from "../../flows/intake/machine.ts";
import { directoryFrom } from "../../src/conversation/directory.ts";
import { TEAMS } from "./adaptive-cards.ts";
import { type NamedConfig, PLAIN, configs } from "./configs.ts";
import { type Report, renderAll } from "./render.ts";
import { chatViews, formViews } from "./walk.ts";

let all: NamedConfig[] = [];
const reports: Report[] = [];

beforeAll(async () => {
  all = await configs();
});

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

afterAll(() => {
  const total = reports.reduce((n, r) => n + r.payloads, 0);
  const slack = reports.reduce((n, r) => n + r.slackPayloads, 0);
  const teams = reports.reduce((n, r) => n + r.teamsPayloads, 0);
  const lines = [`platform conformance: ${total} payloads checked (${slack} Slack, ${teams} Teams)`];
  for (const r of reports) {
    lines.push(
      `  largest Teams chat card ${kb(r.largestTeamsCard.size)} (${r.largestTeamsCard.label.slice(0, 90)})`,
      `  largest Teams dialog ${kb(r.largestTeamsDialog.size)} (${r.largestTeamsDialog.label.slice(0, 90)})`,
      `  largest Teams counsellor step ${kb(r.largestTeamsCounsellorDialog.size)} (${r.largestTeamsCounsellorDialog.label.slice(0, 60)})`,
      `  largest Slack modal ${r.largestSlackModal.size} blocks (${r.largestSlackModal.label.slice(0, 90)})`,
      `  largest Slack message ${r.largestSlackMessage.size} blocks (${r.largestSlackMessage.label.slice(0, 90)})`,
      `  largest Slack Home tab ${r.largestSlackHome.size} blocks (${r.largestSlackHome.label})`,
    );
  }
  const warnings = reports.flatMap((r) => r.warnings);
  if (warnings.length > 0) {
    lines.push(`  WARNING: ${warnings.length} Teams payload(s) over ${kb(TEAMS.warnBytes)}:`);
    for (const w of warnings.slice(0, 12)) lines.push(`    ${w.slice(0, 140)}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
});

describe("platform conformance", () => {
  it("walks every state of both flows, in both languages", async () => {
    const dir = directoryFrom((all.find((c) => c.name === "demo") ?? all[0])!.config);
    const chat = chatViews(dir);
    const form = formViews(dir);
    const chatStates = Object.keys(chatMachine.config.states ?? {});
    const formStates = Object.keys(intakeMachine.config.states ?? {}).filter((s) => s !== "afterContact");
    for (const locale of ["nl", "en"]) {
      expect(new Set(chat.filter((v) => v.locale === locale).map((v) => v.state))).toEqual(
        new Set([...chatStates, "unavailable"]),
      );
      expect(new Set(form.filter((v) => v.locale === locale).map((v) => v.state))).toEqual(
        new Set([...formStates, "gone", "unavailable"]),
      );
    }
    // Every notice either flow can raise is among the views.
    const notices = new Set(
      [...chat, ...form].flatMap((v) => v.prompts.filter((p) => p.notice).map((p) => p.text)),
    );
    for (const n of [
      "notice.danger",
      "notice.help",
      "notice.formHelp",
      "notice.typed",
      "notice.staleChoice",
      "notice.resumed",
      "notice.formClosed",
      "notice.stopAfterSend",
      "notice.timedOutKept",
      "notice.handoffKeyProblem",
      "notice.handoffInternalError",
      "notice.timedOut",
      "notice.unavailable",
      "notice.formUnavailable",
      "notice.formGone",
    ]) {
      expect(notices, n).toContain(n);
    }
    expect(form.some((v) => v.errors)).toBe(true);
  });

  for (const name of ["demo", "max-plain", "max", "max-escape"]) {
    it(`renders every view within Slack's and Teams' limits: ${name} config`, async () => {
      const named = all.find((c) => c.name === name);
      if (!named) throw new Error(`no config ${name}`);
      const report = await renderAll(name, named.config, {
        // The demo config and plain writing: every backtick would be the catalogs'.
        ...(name === "demo" ? { catalogOnly: true, melderPattern: PLAIN } : {}),
        ...(name === "max-plain" ? { melderPattern: PLAIN } : {}),
      });
      reports.push(report);
      expect(report.violations.slice(0, 25)).toEqual([]);
      // Only the store-outage notice (Slack keeps the form on screen with its buttons; Teams adds
      // them) and the instant of sealing may lack the danger button.
      expect(report.withoutDanger.filter((l) => !/ (unavailable|sending) /.test(l))).toEqual([]);
      expect(report.payloads).toBeGreaterThan(500);
      if (name === "max-plain") {
        // The bounds are chosen so that, with ordinary writing, every chat message Teams gets
        // stays under the 28 KB card warning even at the bounds (see src/config/bounds.ts).
        expect(report.largestTeamsCard.size).toBeLessThan(TEAMS.warnBytes);
      }
    }, 120_000);
  }
});
