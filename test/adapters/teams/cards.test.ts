/** Prompt → Adaptive Card rendering. */
import { describe, expect, it } from "vitest";
import { cardSubmitOf, localeOf, taskInvokeOf, textEvent } from "../../../adapters/teams/activity.ts";
import {
  answeredCard,
  renderDialog,
  renderTurnCard,
  toTeamsMarkdown,
} from "../../../adapters/teams/cards.ts";
import { contactForm, reportForm } from "../../../flows/intake/forms.ts";
import { parseCommand } from "../../../flows/model.ts";
import { renderInput } from "../../../src/content/index.ts";

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
  it("renders a form prompt in the chat as a dialog button only, never as inputs", () => {
    const r = renderTurnCard("en", [
      {
        text: "report.prompt",
        input: reportForm({ what: "CANARY-draft" }, "heard"),
        choices: [{ id: "skip", label: "choice.skip" }],
      },
    ]);
    expect(r.card.version).toBe("1.5");
    expect(find(r.card, (o) => String(o.type).startsWith("Input."))).toHaveLength(0);
    expect(JSON.stringify(r.card)).not.toContain("CANARY");
    const actions = find(r.card, (o) => o.type === "Action.Submit");
    const open = actions.find(
      (a) => (a.data as { msteams?: { type?: string } }).msteams?.type === "task/fetch",
    );
    expect(open).toMatchObject({ title: "Open the form", data: { vt: { form: "report", token: r.token } } });
    const skip = actions.find((a) => (a.data as { vt: { choice?: string } }).vt.choice === "skip");
    expect(skip?.associatedInputs).toBe("none");
    expect(r.sensitive).toBe(false);
  });

  it("marks only the review as sensitive", () => {
    expect(
      renderTurnCard("nl", [{ text: "report.prompt", input: reportForm({ what: "x" }) }]).sensitive,
    ).toBe(false);
    expect(renderTurnCard("nl", [{ text: "report.prompt", sensitive: true }]).sensitive).toBe(true);
  });

  it("renders the dialog with the draft's values, limits and a submit that names the dialog", () => {
    const input = renderInput("en", reportForm({ what: "from the draft" }, "heard"));
    const d = renderDialog("en", input, { dialog: "dlg", cardId: "msg-1" });
    expect(d).toMatchObject({ title: input.title, width: "large", height: "large" });
    expect(d.card.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const what = find(d.card.content, (o) => o.id === "what")[0];
    expect(what).toMatchObject({ type: "Input.Text", isMultiline: true, value: "from the draft" });
    expect(typeof what?.maxLength).toBe("number");
    expect(find(d.card.content, (o) => o.id === "wishes")[0]).toMatchObject({
      type: "Input.ChoiceSet",
      value: "heard",
    });
    expect(d.card.content.actions).toEqual([
      expect.objectContaining({
        type: "Action.Submit",
        data: { vt: { form: "report", dialog: "dlg", card: "msg-1" } },
      }),
    ]);
    const contact = renderDialog("nl", renderInput("nl", contactForm(undefined)), { dialog: "d" });
    expect(contact.width).toBe("medium");
  });

  it("keeps entered values and shows error lines after a failed validation", () => {
    const input = renderInput("en", reportForm({ what: "old" }));
    const d = renderDialog("en", input, {
      dialog: "dlg",
      values: { what: "kept" },
      errors: [{ field: "what", error: "tooLong" }],
    });
    expect(find(d.card.content, (o) => o.id === "what")[0]?.value).toBe("kept");
    expect(find(d.card.content, (o) => o.color === "attention").length).toBeGreaterThanOrEqual(2);
  });

  it("collapses an answered card to its answer, escaped", () => {
    const c = answeredCard("**x**");
    expect(find(c, (o) => o.type === "Action.Submit")).toHaveLength(0);
    expect(JSON.stringify(c)).toContain("\\\\*\\\\*x\\\\*\\\\*");
    expect(toTeamsMarkdown("say *stop* now")).toBe("say **stop** now");
  });

  it("reads card submits, task invokes, commands and locales", () => {
    expect(cardSubmitOf({ vt: { choice: "ack", token: "t", label: "OK" } })).toMatchObject({
      kind: "choice",
      choice: "ack",
    });
    // An old in-chat form card: recognised, its values not passed on.
    expect(cardSubmitOf({ vt: { form: "report", token: "t" }, what: "w" })).toEqual({ kind: "legacyForm" });
    expect(cardSubmitOf({ other: 1 })).toBeUndefined();
    expect(
      taskInvokeOf("task/fetch", {
        data: { msteams: { type: "task/fetch" }, vt: { form: "report", token: "t" } },
      }),
    ).toEqual({ kind: "fetch", form: "report", token: "t" });
    expect(
      taskInvokeOf("task/submit", { data: { vt: { form: "contact", dialog: "d", card: "c" }, route: "r" } }),
    ).toEqual({ kind: "submit", form: "contact", dialog: "d", card: "c", values: { route: "r" } });
    expect(taskInvokeOf("task/submit", { data: { what: "w" } })).toEqual({
      kind: "foreign",
      name: "task/submit",
    });
    expect(taskInvokeOf("task/fetch", undefined)).toEqual({ kind: "foreign", name: "task/fetch" });
    expect(taskInvokeOf("adaptiveCard/action", {})).toBeUndefined();
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
