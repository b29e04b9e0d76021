/** Prompt → Adaptive Card rendering. */
import { describe, expect, it } from "vitest";
import { cardSubmitOf, localeOf, textEvent } from "../../../adapters/teams/activity.ts";
import { answeredCard, renderTurnCard, toTeamsMarkdown } from "../../../adapters/teams/cards.ts";
import { reportForm } from "../../../flows/intake/forms.ts";
import { parseCommand } from "../../../flows/model.ts";

const find = (node: unknown, pred: (o: Record<string, unknown>) => boolean): Record<string, unknown>[] => {
  const out: Record<string, unknown>[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      if (pred(n as Record<string, unknown>)) out.push(n as Record<string, unknown>);
      Object.values(n).forEach(walk);
    }
  };
  walk(node);
  return out;
};

describe("Teams cards", () => {
  it("renders the report form as card inputs with limits, and buttons that carry no input", () => {
    const r = renderTurnCard("en", [
      { text: "report.prompt", input: reportForm({}), choices: [{ id: "skip", label: "choice.skip" }] },
    ]);
    expect(r.card.version).toBe("1.5");
    const what = find(r.card, (o) => o.id === "what")[0];
    expect(what).toMatchObject({ type: "Input.Text", isMultiline: true });
    expect(typeof what?.maxLength).toBe("number");
    expect(find(r.card, (o) => o.type === "Input.ChoiceSet")).toHaveLength(1);
    const actions = find(r.card, (o) => o.type === "Action.Submit");
    const submit = actions.find((a) => (a.data as { vt: { form?: string } }).vt.form === "report");
    expect(submit?.associatedInputs).toBe("auto");
    for (const a of actions.filter((x) => x !== submit)) expect(a.associatedInputs).toBe("none");
    expect(r.sensitive).toBe(false);
  });

  it("marks a form with values and the review as sensitive", () => {
    expect(
      renderTurnCard("nl", [{ text: "report.prompt", input: reportForm({ what: "x" }) }]).sensitive,
    ).toBe(true);
    expect(renderTurnCard("nl", [{ text: "report.prompt", sensitive: true }]).sensitive).toBe(true);
  });

  it("keeps entered values and shows an error line after a failed validation", () => {
    const r = renderTurnCard("en", [{ text: "report.prompt", input: reportForm({}) }], {
      token: "tok",
      form: { values: { what: "kept" }, errors: [{ field: "what", error: "tooLong" }] },
    });
    expect(find(r.card, (o) => o.id === "what")[0]?.value).toBe("kept");
    expect(find(r.card, (o) => o.color === "attention").length).toBeGreaterThanOrEqual(2);
    expect(r.sensitive).toBe(true);
  });

  it("collapses an answered card to its answer, escaped", () => {
    const c = answeredCard("**x**");
    expect(find(c, (o) => o.type === "Action.Submit")).toHaveLength(0);
    expect(JSON.stringify(c)).toContain("\\\\*\\\\*x\\\\*\\\\*");
    expect(toTeamsMarkdown("say *stop* now")).toBe("say **stop** now");
  });

  it("reads card submits, commands and locales", () => {
    expect(cardSubmitOf({ vt: { choice: "ack", token: "t", label: "OK" } })).toMatchObject({
      kind: "choice",
      choice: "ack",
    });
    expect(cardSubmitOf({ vt: { form: "report", token: "t" }, what: "w" })).toMatchObject({
      kind: "form",
      values: { what: "w" },
    });
    expect(cardSubmitOf({ other: 1 })).toBeUndefined();
    expect(textEvent("<at>Vertrouwd</at> stop")).toEqual(parseCommand("stop"));
    expect(textEvent("my manager yelled at me")).toEqual({ type: "TEXT" });
    expect([localeOf("nl-NL"), localeOf("en-US"), localeOf("de-DE"), localeOf(undefined)]).toEqual([
      "nl",
      "en",
      undefined,
      undefined,
    ]);
  });
});
