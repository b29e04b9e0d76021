/**
 * The catalogs, read as a melder reads them: complete in both languages, plain (short
 * sentences, jargon explained where it is used), labels that fit, no ISO dates, honest limits,
 * and every referral with its source.
 */
import { describe, expect, it } from "vitest";
import { getShortestPaths } from "xstate/graph";
import { chatView } from "../../flows/chat/api.ts";
import { chatMachine } from "../../flows/chat/machine.ts";
import type { ChatState } from "../../flows/chat/prompts.ts";
import { intakeView } from "../../flows/intake/api.ts";
import { intakeMachine } from "../../flows/intake/machine.ts";
import type { IntakeState } from "../../flows/intake/prompts.ts";
import type { MessageId, Prompt } from "../../flows/model.ts";
import { CATALOGS, renderPrompt, t } from "../../src/content/index.ts";
import { REFERRALS, REFERRALS_REVIEWED } from "../../src/content/referrals.ts";
import { DIRECTORY } from "../flows/fixtures.ts";

const ids = Object.keys(CATALOGS.nl) as MessageId[];
const LOCALES = ["nl", "en"] as const;
const params = {
  organisation: "Org",
  name: "Sanne",
  kind: "internal",
  languages: "nl,en",
  intro: "Intro.",
  deputy: "Fatima",
  topic: "bullying",
  field: "what",
  max: 10000,
  caseCode: "VT-AAAA-BBBB",
  date: "2026-11-23",
  status: "queued",
  delayMinutes: 0,
  minutes: 15,
  counsellor: "Sanne",
  reachVia: "",
  command: "c",
  mode: "report",
  identity: "anonymous",
  wishes: "heard",
  report_what: "x",
  idleMinutes: 30,
  phone: "020-1234567",
  url: "",
  note: "",
};

/** Terms a melder may not know: where one is used, the same message must explain it. */
const JARGON: Record<"nl" | "en", Record<string, RegExp>> = {
  nl: {
    verschoningsrecht: /getuige/,
    gewetensnood: /gevaar/,
    "chat-ID": /nummer waarmee/,
    mediator: /bemiddelaar/,
    nazorg: /daarna|Dat heet nazorg/,
    bedrijfsarts: /arts van je werk|Bedrijfsarts/,
    ondernemingsraad: /namens de medewerkers|HR, de ondernemingsraad|bij HR, de ondernemingsraad/,
    ombudsfunctie: /^$/,
    optioneel: /^$/,
    detachering: /^$/,
    zaakcode: /code/,
  },
  en: {
    "legal privilege": /witness/,
    "conflict of duties": /danger/,
    "chat ID": /number Slack or Teams uses/,
    mediator: /go-between/,
    aftercare: /afterwards/,
    "company doctor": /doctor for health at work|Company doctor/,
    ombudsperson: /^$/,
    optional: /^$/,
    secondment: /^$/,
    "case code": /code/,
  },
};

/** Every message that can reach a melder, rendered. */
function rendered(locale: "nl" | "en"): { id: MessageId; text: string }[] {
  return ids.filter((id) => !id.startsWith("console.")).map((id) => ({ id, text: t(locale, id, params) }));
}

/** Sentences of a text, markup and list bullets removed. */
function sentences(text: string): string[] {
  return text
    .replace(/[*_]/g, "")
    .split(/\n+/)
    .flatMap((line) => line.replace(/^\s*(•|\d+\.)\s*/, "").split(/(?<=[.!?])\s+/))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/** Every prompt of every reachable step of both flows. */
function everyPrompt(): Prompt[] {
  const chat = getShortestPaths(chatMachine, {
    input: { locale: "nl" },
    events: (s) =>
      chatView({ state: s.value as ChatState, context: s.context }, DIRECTORY)
        .flatMap((p) => p.choices ?? [])
        .map((c) => ({ type: "CHOOSE" as const, choice: c.id })),
  });
  const form = getShortestPaths(intakeMachine, {
    input: { locale: "nl", counsellorIds: ["intern", "extern"], defaultCounsellorId: "extern" },
    events: (s) => [
      ...intakeView({ state: s.value as IntakeState, context: s.context }, DIRECTORY)
        .flatMap((p) => [...(p.choices ?? []), ...(p.options ?? []), ...(p.submit ? [p.submit] : [])])
        .map((c) => ({ type: "CHOOSE" as const, choice: c.id })),
      { type: "SUBMIT" as const, form: "report" as const, values: { what: "x" } },
      {
        type: "HANDOFF_DONE" as const,
        receipt: {
          caseCode: "VT-AAAA-BBBB",
          date: "2026-11-23",
          counsellorId: "extern",
          status: "queued" as const,
        },
      },
    ],
  });
  return [
    ...chat.flatMap((p) =>
      chatView({ state: p.state.value as ChatState, context: p.state.context }, DIRECTORY),
    ),
    ...form.flatMap((p) =>
      intakeView({ state: p.state.value as IntakeState, context: p.state.context }, DIRECTORY),
    ),
  ];
}

describe("message catalogs", () => {
  it("have the same keys in Dutch and English", () => {
    expect(Object.keys(CATALOGS.en).sort()).toEqual([...ids].sort());
  });

  it.each(LOCALES)("render every message in %s without leftover placeholders", (locale) => {
    for (const id of ids) {
      const text = t(locale, id, params);
      expect(text.length, id).toBeGreaterThan(0);
      expect(text, id).not.toMatch(/\{[a-zA-Z]+\}/);
      expect(text, id).not.toContain("undefined");
    }
  });

  it.each(LOCALES)("keep every sentence in %s at 25 words or fewer", (locale) => {
    const long: string[] = [];
    for (const { id, text } of rendered(locale)) {
      for (const s of sentences(text)) if (words(s) > 25) long.push(`${id}: ${words(s)} words: ${s}`);
    }
    expect(long).toEqual([]);
  });

  it.each(LOCALES)("explain jargon in %s in the same message that uses it", (locale) => {
    const unexplained: string[] = [];
    for (const { id, text } of rendered(locale)) {
      for (const [term, explanation] of Object.entries(JARGON[locale])) {
        if (text.toLowerCase().includes(term.toLowerCase()) && !explanation.test(text))
          unexplained.push(`${id}: ${term}`);
      }
    }
    expect(unexplained).toEqual([]);
  });

  it("never show an ISO date to a melder", () => {
    for (const locale of LOCALES) {
      for (const { id, text } of rendered(locale)) expect(text, id).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
    }
    expect(t("nl", "done.receipt", params)).toContain("23 november 2026");
    expect(t("en", "done.receipt", params)).toContain("23 November 2026");
  });

  it("keep every label within what the platforms show: buttons 30, modal titles and submits 24", () => {
    const labels = ids.filter(
      (id) =>
        /^(choice|info\.choice|topic|wish)\.[a-z_]+$/i.test(id) &&
        !id.startsWith("topic.outOfScope") &&
        id !== "topic.question",
    );
    for (const locale of LOCALES) {
      for (const id of labels) expect(t(locale, id).length, `${locale} ${id}`).toBeLessThanOrEqual(30);
      for (const id of ["form.title", "form.close", "form.dangerTitle", "form.backToForm"] as const)
        expect(t(locale, id).length, `${locale} ${id}`).toBeLessThanOrEqual(24);
      for (const prompt of everyPrompt()) {
        const r = renderPrompt(locale, prompt);
        for (const c of [...r.choices, ...(r.options ?? [])])
          expect(c.label.length, `${locale} ${c.id}`).toBeLessThanOrEqual(30);
        if (r.submit)
          expect(r.submit.label.length, `${locale} submit ${r.submit.id}`).toBeLessThanOrEqual(24);
      }
    }
  });

  it("explain confidentiality and its limits, the channel's included, before anything is asked", () => {
    const nl = `${t("nl", "confidentiality.short", params)}\n${t("nl", "confidentiality.long", params)}`;
    for (const must of [
      "geheimhoudingsplicht",
      "verschoningsrecht",
      "getuige",
      "misdrijven",
      "gewetensnood",
      "Slack",
      "Microsoft",
      "exporteren",
      "eDiscovery",
      "Anoniem",
      "30 minuten",
      "vervanger",
    ]) {
      expect(nl).toContain(must);
    }
    const en = `${t("en", "confidentiality.short", params)}\n${t("en", "confidentiality.long", params)}`;
    for (const must of [
      "confidential",
      "legal privilege",
      "witness",
      "serious crimes",
      "conflict of duties",
      "Slack",
      "Microsoft",
      "export",
      "eDiscovery",
      "30 minutes",
      "deputy",
    ]) {
      expect(en).toContain(must);
    }
  });

  it("explain on the web page the same limits, and what the page and the server can see, without the chat's channel", () => {
    const nl = `${t("nl", "web.confidentiality.short", params)}\n${t("nl", "web.confidentiality.long", params)}`;
    for (const must of [
      "geheimhoudingsplicht",
      "verschoningsrecht",
      "getuige",
      "misdrijven",
      "gewetensnood",
      "browser",
      "versleuteld",
      "internetadres",
      "werk",
      "vervanger",
      "Anoniem",
      "vaste grootte",
      "deskundige",
    ]) {
      expect(nl).toContain(must);
    }
    const en = `${t("en", "web.confidentiality.short", params)}\n${t("en", "web.confidentiality.long", params)}`;
    for (const must of [
      "confidential",
      "legal privilege",
      "witness",
      "serious crimes",
      "conflict of duties",
      "browser",
      "encrypted",
      "internet address",
      "work",
      "deputy",
      "fixed size",
      "expert",
    ]) {
      expect(en).toContain(must);
    }
    for (const locale of LOCALES) {
      for (const id of ids.filter((i) => i.startsWith("web."))) {
        expect(t(locale, id, params), `${locale} ${id}`).not.toMatch(/Slack|Teams|Microsoft|\bchat/i);
      }
    }
  });

  it("keep the web page's labels and the chat's link to it within 30 characters", () => {
    for (const locale of LOCALES) {
      for (const id of [
        "choice.web",
        "web.closeForm",
        "web.selectNone",
        "web.safety",
        "web.formHeading",
      ] as const) {
        expect(t(locale, id).length, `${locale} ${id}`).toBeLessThanOrEqual(30);
      }
    }
  });

  it("show the emergency numbers and where they come from on the danger route", () => {
    for (const locale of LOCALES) {
      const danger = t(locale, "notice.danger");
      expect(danger).toContain("112");
      for (const r of REFERRALS.filter((x) => x.urgent))
        for (const phone of r.phones) expect(danger).toContain(phone);
      expect(danger).toMatch(/23 [Nn]ovember 2026/);
      expect(danger).not.toMatch(/gecontroleerd|checked/);
    }
    expect(REFERRALS_REVIEWED).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("give every referral a source", () => {
    for (const r of REFERRALS) {
      expect(r.source.trim().length, r.id).toBeGreaterThan(10);
      expect(r.phones.length, r.id).toBeGreaterThan(0);
    }
  });

  it("tell the melder that the urgent field is not read at once, with 112", () => {
    for (const locale of LOCALES) expect(t(locale, "report.hint.urgent")).toMatch(/112/);
  });
});
