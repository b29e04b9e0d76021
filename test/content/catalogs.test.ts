import { describe, expect, it } from "vitest";
import type { MessageId } from "../../flows/model.ts";
import { CATALOGS, t } from "../../src/content/index.ts";
import { REFERRALS, REFERRALS_CHECKED } from "../../src/content/referrals.ts";

const ids = Object.keys(CATALOGS.nl) as MessageId[];
const params = {
  organisation: "Org",
  name: "Sanne",
  kind: "internal",
  languages: "nl,en",
  intro: "Intro",
  topic: "bullying",
  field: "what",
  max: 10000,
  caseCode: "VT-AAAA-BBBB",
  date: "2026-11-23",
  sha256: "ab",
  counsellor: "Sanne",
  reachVia: "",
  label: "L",
  command: "c",
  mode: "report",
  identity: "anonymous",
  wishes: "heard",
  report_what: "x",
};

describe("message catalogs", () => {
  it("have the same keys in Dutch and English", () => {
    expect(Object.keys(CATALOGS.en).sort()).toEqual(ids.sort());
  });

  it.each(["nl", "en"] as const)("render every message in %s without leftover placeholders", (locale) => {
    for (const id of ids) {
      const text = t(locale, id, params);
      expect(text.length, id).toBeGreaterThan(0);
      expect(text, id).not.toMatch(/\{[a-zA-Z]+\}/);
      expect(text, id).not.toContain("undefined");
    }
  });

  it("explain confidentiality and its limits, including the channel's, before anything is asked", () => {
    const nl = `${t("nl", "confidentiality.short")}\n${t("nl", "confidentiality.long")}`;
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
    ]) {
      expect(nl).toContain(must);
    }
    const en = `${t("en", "confidentiality.short")}\n${t("en", "confidentiality.long")}`;
    for (const must of [
      "secrecy",
      "legal privilege",
      "witness",
      "serious crimes",
      "conflict of duties",
      "Slack",
      "Microsoft",
      "export",
      "eDiscovery",
      "not to Slack or Microsoft",
    ]) {
      expect(en).toContain(must);
    }
  });

  it("show the emergency numbers and the date they were checked on the danger route", () => {
    for (const locale of ["nl", "en"] as const) {
      const danger = t(locale, "notice.danger");
      expect(danger).toContain("112");
      for (const r of REFERRALS.filter((x) => x.urgent)) if (r.phone) expect(danger).toContain(r.phone);
      expect(danger).toContain(REFERRALS_CHECKED);
    }
    expect(REFERRALS_CHECKED).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
