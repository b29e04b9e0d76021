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
import { OUT_OF_SCOPE_TOPICS } from "../../flows/domain.ts";
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

  it("call a number free only when the call is free (0800, 112, 113), never an 088 or 0900 number", () => {
    for (const r of REFERRALS) {
      if (r.free === true) for (const phone of r.phones) expect(phone, r.id).toMatch(/^(0800-|112$|113$)/);
      if (r.phones.some((p) => /^(088|0900)-/.test(p))) expect(r.free, r.id).not.toBe(true);
    }
    // The Whistleblowers Authority's advice is free, its 088 number is not: the name says so.
    for (const locale of LOCALES) {
      const line = t(locale, "urgent.referrals")
        .split("\n")
        .find((l) => l.includes("088-133 10 00"));
      expect(line, locale).toMatch(/gratis advies|free advice/);
      expect(line, locale).not.toMatch(/\((gratis|free)[,)]/);
    }
  });

  it("say early, once and warmly that it is fine to come, and that the melder need not be sure it counts", () => {
    const [first] = chatView({ state: "welcome", context: { locale: "nl" } }, DIRECTORY);
    expect(first?.text).toBe("welcome.intro");
    const must = {
      nl: ["Het is goed dat je er bent.", "Dan mag je daarmee komen.", "Je hoeft niet zeker te weten"],
      en: ["It is good that you are here.", "Then you are welcome here.", "You do not have to be sure"],
    };
    for (const locale of LOCALES) {
      const welcome = t(locale, "welcome.intro", params);
      for (const m of must[locale]) expect(welcome, locale).toContain(m);
      // Once: the chat says it in the welcome only (the web page has its own welcome).
      const again = rendered(locale).filter(
        ({ id, text }) => !id.startsWith("web.") && text.includes(must[locale][2] as string),
      );
      expect(again.map((r) => r.id)).toEqual(["welcome.intro"]);
    }
  });

  it("give the information path its facts, one idea per screen", () => {
    const facts: Record<"nl" | "en", Record<string, RegExp[]>> = {
      nl: {
        "info.role": [/drie taken/, /steunen/, /voorlichten/, /advies/, /verslag/, /zonder namen/],
        "info.notDo": [
          /geen onderzoek/,
          /feiten/,
          /oordeelt niet/,
          /HR, de ondernemingsraad, de klachtencommissie of de directie/,
        ],
        "info.choices": [
          /regie/,
          /niets doen/,
          /gesprek/,
          /informele oplossing/,
          /bemiddeling/,
          /formele klacht/,
          /aangifte/,
          /nazorg/,
        ],
        "info.kinds": [/interne/, /externe/, /onafhankelijk/, /prettigst/],
        "info.who": [
          /loondienst/,
          /uitzendkrachten en stagiairs/,
          /andere organisatie/,
          /zzp'ers en vrijwilligers/,
          /minder dan een jaar/,
        ],
        "info.protection": [
          /nog geen formele klacht/,
          /geen melding bij je werkgever/,
          /Wet bescherming klokkenluiders/,
          /niet benadelen/,
          /7 dagen/,
          /3 maanden/,
        ],
        "info.retention": [/30 minuten/, /niet langer dan nodig/, /laten zien of te vernietigen/],
      },
      en: {
        "info.role": [
          /three tasks/,
          /Supporting you/,
          /Informing the organisation/,
          /Advising management/,
          /report every year/,
          /without names/,
        ],
        "info.notDo": [
          /do not investigate/,
          /facts/,
          /do not judge/,
          /HR, the works council, the complaints committee or the board/,
        ],
        "info.choices": [
          /in control/,
          /to do nothing/,
          /conversation/,
          /informal solution/,
          /mediation/,
          /formal complaint/,
          /police/,
          /aftercare/,
        ],
        "info.kinds": [/internal/, /external/, /independent/, /comfortable/],
        "info.who": [
          /employees/,
          /agency workers and interns/,
          /another organisation/,
          /freelancers and volunteers/,
          /less than a year/,
        ],
        "info.protection": [
          /not yet a formal complaint/,
          /not a report to your employer/,
          /Whistleblowers Protection Act/,
          /may not treat you worse/,
          /7 days/,
          /3 months/,
        ],
        "info.retention": [/30 minutes/, /no longer than needed/, /show you your message or to destroy it/],
      },
    };
    for (const locale of LOCALES) {
      for (const [id, want] of Object.entries(facts[locale])) {
        const text = t(locale, id as MessageId, params);
        for (const re of want) expect(text, `${locale} ${id}`).toMatch(re);
      }
      // For integrity reports the counsellor can pass a report on without the name: said under
      // "named", where it is possible, not under "anonymous".
      const identity = t(locale, "identity.question");
      const named = identity.indexOf(locale === "nl" ? "*Met je naam*" : "*With your name*");
      const withoutName = identity.indexOf(locale === "nl" ? "zonder jouw naam" : "without your name");
      expect(named, locale).toBeGreaterThan(0);
      expect(withoutName, locale).toBeGreaterThan(named);
    }
  });

  it("say in every out-of-scope referral where to go, that unwanted behaviour around it is in scope, and that going on is fine", () => {
    for (const topic of OUT_OF_SCOPE_TOPICS) {
      const nl = t("nl", `topic.outOfScope.${topic}`);
      expect(nl, topic).toContain("Daarmee kun je wél bij de vertrouwenspersoon terecht.");
      expect(nl, topic).toContain("Ga dan gerust verder.");
      const en = t("en", `topic.outOfScope.${topic}`);
      expect(en, topic).toContain("A counsellor can help with that.");
      expect(en, topic).toContain("feel free to go on");
    }
    expect(t("nl", "topic.outOfScope.reorganisation")).toContain("ondernemingsraad");
    for (const where of ["huisarts", "bedrijfsarts", "Veilig Thuis", "0800-2000"])
      expect(t("nl", "topic.outOfScope.private_matter")).toContain(where);
    expect(t("nl", "topic.prefer_not_say")).toBe("Zeg ik liever niet");
    expect(t("en", "topic.prefer_not_say")).toBe("I'd rather not say");
  });

  it("answer a typed chat message with care: thanks, the form, the danger route, deleting it is possible", () => {
    const must = {
      nl: ["Dank je voor je bericht.", "formulier", "verwijderen", "112"],
      en: ["Thank you for your message.", "form", "delete your own message", "112"],
    };
    for (const locale of LOCALES) {
      const typed = t(locale, "notice.typed");
      for (const m of [...must[locale], t(locale, "choice.danger")]) expect(typed, locale).toContain(m);
      const hint = t(locale, "report.hint.urgent");
      expect(hint, locale).toMatch(/niet meteen gelezen|not read straight away/);
      expect(hint, locale).toContain(t(locale, "choice.danger"));
    }
  });

  it("write English as English and Dutch without 'hij of zij'", () => {
    for (const { id, text } of rendered("en")) {
      expect(text, id).not.toMatch(/\bgo(es)? along\b|\btell about\b|want to tell something|\bmelder\b/i);
    }
    for (const { id, text } of rendered("nl")) expect(text, id).not.toMatch(/\bhij of zij\b|\bzij of hij\b/i);
  });

  it("tell the melder that the urgent field is not read at once, with 112", () => {
    for (const locale of LOCALES) expect(t(locale, "report.hint.urgent")).toMatch(/112/);
  });
});
