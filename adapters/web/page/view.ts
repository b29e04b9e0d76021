/**
 * The report section as accessible HTML. Every screen is built anew from its view: real buttons,
 * radio buttons in a fieldset with a legend, labelled fields with their hints and errors tied by
 * aria-describedby, one h1 per screen, and focus moved to the new screen (its first notice, or its
 * heading) or, after a refused submit, to the list of problems. "I am in danger now" and "Stop
 * and erase all" sit in a bar of their own at the top of every screen that offers them.
 *
 * Fields are never autofilled, never remembered by the browser and never sent to a spell-check
 * service (autocomplete="off", spellcheck="false"): what a melder types stays in this page.
 */
import { CONTACT_FIELDS, type Locale, REPORT_FIELDS } from "../../../flows/domain.ts";
import type { FieldError } from "../../../flows/intake/forms.ts";
import {
  type RenderedChoice,
  type RenderedField,
  type RenderedPrompt,
  renderPrompt,
  t,
} from "../../../src/content/index.ts";
import { escapeParam, plainText, renderText } from "./markup.ts";
import type { PageAction, ReportView } from "./report.ts";

/**
 * Adds a step under the receipt (the anonymous follow-up mailbox will: docs/web.md). Called on
 * every render of the receipt with its view (`view.receipt`: case id, code, date, counsellor);
 * returns an element that handles its own events and calls the API itself, or undefined. The
 * receipt may be rendered again (a status refresh), so an extension keeps its state by case id,
 * not in the element, and drops it when the receipt goes (stop, idle timeout).
 */
export type ReceiptExtension = (view: ReportView, doc: Document) => Node | undefined;

const SAFETY = new Set(["danger", "stop"]);

type Attrs = Record<string, string | boolean | undefined>;

function h(
  doc: Document,
  tag: string,
  attrs: Attrs = {},
  ...children: (Node | string | undefined)[]
): HTMLElement {
  const el = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === undefined) continue;
    el.append(typeof child === "string" ? doc.createTextNode(child) : child);
  }
  return el;
}

export interface ViewOptions {
  organisation: string;
  extensions?: ReceiptExtension[];
}

export class ReportRenderer {
  private lastStep = -1;
  private readonly doc: Document;

  constructor(
    private readonly host: HTMLElement,
    private readonly options: ViewOptions,
    private readonly dispatch: (action: PageAction) => void,
  ) {
    this.doc = host.ownerDocument;
    host.addEventListener("click", (e) => this.onClick(e));
    host.addEventListener("submit", (e) => this.onSubmit(e));
  }

  render(view: ReportView): void {
    const { doc } = this;
    const locale = view.locale;
    const rendered = view.prompts.map((p) => ({
      prompt: p,
      r: renderPrompt(locale, p, { escape: escapeParam }),
    }));
    const notices = [
      ...view.pageNotices.map((p) => ({ prompt: p, r: renderPrompt(locale, p) })),
      ...rendered.filter((x) => x.r.notice),
    ];
    const body = rendered.filter((x) => !x.r.notice);
    const choices = body.flatMap((x) => x.r.choices).filter((c) => !c.url);
    const answer = body.find((x) => x.r.options || x.r.input || x.r.submit);

    const section = h(doc, "section", {
      class: `step step--${view.where}`,
      "data-step": String(view.step),
      "aria-labelledby": "step-title",
      "aria-busy": view.busy ? "true" : undefined,
    });

    // Danger and stop first, in their own landmark, wherever the flow offers them.
    const safety = choices.filter((c) => SAFETY.has(c.id));
    if (safety.length > 0) {
      section.append(
        h(
          doc,
          "nav",
          { class: "safety", "aria-label": t(locale, "web.safety") },
          ...safety.map((c) => this.button(c)),
        ),
      );
    }

    for (const [i, n] of notices.entries()) {
      const danger = n.prompt.text === "notice.danger";
      const box = h(doc, "div", {
        class: `notice${danger ? " notice--danger" : ""}`,
        role: danger ? "alert" : "status",
        tabindex: "-1",
        id: i === 0 ? "first-notice" : undefined,
      });
      box.append(...renderText(doc, n.r.text).nodes);
      section.append(box);
    }
    if (view.errors?.length) section.append(this.errorSummary(locale, view.errors));

    // One heading per screen: the first text's bold first line, or the page's name.
    let heading: string | undefined;
    const texts: Node[] = [];
    let form: HTMLElement | undefined;
    for (const [i, { prompt, r }] of body.entries()) {
      const text = renderText(doc, r.text, { heading: i === 0 });
      if (i === 0) heading = text.heading;
      if (r === answer?.r && (r.options || r.input)) {
        form = this.answerForm(locale, r, view, text.nodes);
        continue;
      }
      texts.push(
        h(doc, "div", { class: prompt.text === "counsellor.card" ? "card" : "prompt" }, ...text.nodes),
      );
    }
    const title = h(doc, "h1", {
      id: "step-title",
      tabindex: "-1",
      class: heading ? undefined : "visually-hidden",
    });
    title.append(heading ?? t(locale, "web.title", { organisation: this.options.organisation }));
    section.append(title, ...texts);
    if (form) section.append(form);

    const others = choices.filter((c) => !SAFETY.has(c.id));
    const submitOnly = answer && !answer.r.options && !answer.r.input ? answer.r.submit : undefined;
    // Beside a form's main button: its side actions (back), in one row.
    const formActions = form?.querySelector(".actions");
    if (formActions && !view.busy) {
      formActions.append(...others.map((c) => this.button(c)));
    } else if (!view.busy && (submitOnly || others.length > 0)) {
      section.append(
        h(
          doc,
          "div",
          { class: `actions${view.where === "chat" ? " actions--menu" : ""}` },
          ...(submitOnly ? [this.button(submitOnly)] : []),
          ...others.map((c) => this.button(c)),
        ),
      );
    }
    if (view.canClose) {
      section.append(
        h(
          doc,
          "div",
          { class: "close" },
          h(
            doc,
            "button",
            { type: "button", class: "button button--quiet", "data-close": true },
            t(locale, "web.closeForm"),
          ),
        ),
      );
    }
    for (const extension of this.options.extensions ?? []) {
      const extra = view.receipt ? extension(view, doc) : undefined;
      if (extra) section.append(extra);
    }

    this.host.replaceChildren(section);
    this.focus(view);
  }

  // ── Pieces ───────────────────────────────────────────────────────────────────────────
  private button(c: RenderedChoice): HTMLElement {
    const style = c.style === "primary" ? " button--primary" : c.style === "danger" ? " button--danger" : "";
    return h(this.doc, "button", { type: "button", class: `button${style}`, "data-choice": c.id }, c.label);
  }

  /** The step's question as a form; `text` is the prompt's own text, its heading already taken. */
  private answerForm(locale: Locale, r: RenderedPrompt, view: ReportView, text: Node[]): HTMLElement {
    const { doc } = this;
    const form = h(doc, "form", {
      class: "answer",
      novalidate: true,
      autocomplete: "off",
      "data-kind": r.input ? "input" : "options",
      "data-form": r.input?.form,
    });
    // The prompt's own text is the question when it is one short line (the legend); else it goes above.
    const short = !r.text.includes("\n") && !r.text.startsWith("*") && r.text.length <= 80;
    if (text.length > 0 && !(r.options && short)) form.append(h(doc, "div", { class: "prompt" }, ...text));
    if (r.options) {
      const legend = short ? plainText(r.text).replace(/:$/, "") : t(locale, "form.pick");
      const fieldset = h(doc, "fieldset", {
        "aria-describedby": view.pickMissing ? "pick-error" : undefined,
      });
      fieldset.append(h(doc, "legend", {}, legend));
      if (view.pickMissing)
        fieldset.append(h(doc, "p", { class: "field-error", id: "pick-error" }, t(locale, "web.pickOne")));
      for (const [i, o] of r.options.entries()) {
        const id = `option-${i}`;
        fieldset.append(
          h(
            doc,
            "div",
            { class: "option" },
            h(doc, "input", { type: "radio", name: "option", id, value: o.id }),
            h(doc, "label", { for: id }, o.label),
          ),
        );
      }
      form.append(fieldset);
    }
    if (r.input) {
      for (const field of r.input.fields) form.append(this.field(locale, field, view));
    }
    if (r.submit) {
      const style = r.submit.style === "danger" ? " button--danger" : " button--primary";
      form.append(
        h(
          doc,
          "div",
          { class: "actions" },
          h(doc, "button", { type: "submit", class: `button${style}` }, r.submit.label),
        ),
      );
    }
    return form;
  }

  private field(locale: Locale, field: RenderedField, view: ReportView): HTMLElement {
    const { doc } = this;
    const id = `field-${field.id}`;
    const error = view.errors?.find((e) => e.field === field.id);
    const describedBy = [field.hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined]
      .filter(Boolean)
      .join(" ");
    const value = view.values ? (view.values[field.id] ?? "") : (field.initial ?? "");
    const common: Attrs = {
      id,
      name: field.id,
      "aria-describedby": describedBy || undefined,
      "aria-invalid": error ? "true" : undefined,
      "aria-required": field.required ? "true" : undefined,
      autocomplete: "off",
      spellcheck: "false",
    };
    let control: HTMLElement;
    if (field.options) {
      control = h(doc, "select", common, h(doc, "option", { value: "" }, t(locale, "web.selectNone")));
      for (const o of field.options)
        control.append(h(doc, "option", { value: o.id, selected: o.id === value }, o.label));
    } else if (field.multiline) {
      control = h(doc, "textarea", { ...common, rows: field.maxLength > 5000 ? "8" : "4" });
      (control as HTMLTextAreaElement).value = value;
    } else {
      control = h(doc, "input", { ...common, type: "text" });
      (control as HTMLInputElement).value = value;
    }
    return h(
      doc,
      "div",
      { class: `field${error ? " field--error" : ""}` },
      h(doc, "label", { for: id }, field.label),
      field.hint ? h(doc, "p", { class: "hint", id: `${id}-hint` }, field.hint) : undefined,
      error
        ? h(doc, "p", { class: "field-error", id: `${id}-error` }, errorText(locale, error, field))
        : undefined,
      control,
    );
  }

  private errorSummary(locale: Locale, errors: FieldError[]): HTMLElement {
    const { doc } = this;
    const list = h(doc, "ul");
    for (const e of errors) {
      list.append(
        h(
          doc,
          "li",
          {},
          h(doc, "a", { href: `#field-${e.field}`, "data-focus": `field-${e.field}` }, errorText(locale, e)),
        ),
      );
    }
    return h(
      doc,
      "div",
      {
        class: "error-summary",
        role: "alert",
        tabindex: "-1",
        id: "error-summary",
        "aria-labelledby": "error-summary-title",
      },
      h(doc, "h2", { id: "error-summary-title" }, t(locale, "web.errorSummary")),
      h(doc, "p", {}, t(locale, "notice.formErrors")),
      list,
    );
  }

  private focus(view: ReportView): void {
    const { doc } = this;
    const target = (id: string) => doc.getElementById(id) as HTMLElement | null;
    if (view.step !== this.lastStep) {
      this.lastStep = view.step;
      doc.defaultView?.scrollTo(0, 0);
      (target("first-notice") ?? target("step-title"))?.focus();
      return;
    }
    // The same screen again: a refused submit.
    if (view.errors?.length) target("error-summary")?.focus();
    else if (view.pickMissing)
      (doc.querySelector<HTMLElement>('input[name="option"]') ?? target("step-title"))?.focus();
  }

  // ── Events ───────────────────────────────────────────────────────────────────────────
  private onClick(e: Event): void {
    const el = (e.target as Element | null)?.closest?.(
      "button[data-choice], button[data-close], a[data-focus]",
    );
    if (!el) return;
    if (el.localName === "a") {
      // Jump to the field without changing the address (no history entry, nothing in the URL).
      e.preventDefault();
      this.doc.getElementById(el.getAttribute("data-focus") ?? "")?.focus();
      return;
    }
    if (el.hasAttribute("data-close")) this.dispatch({ type: "closeForm" });
    else this.dispatch({ type: "choose", id: el.getAttribute("data-choice") ?? "" });
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (form.dataset.kind === "options") {
      const picked = form.querySelector<HTMLInputElement>('input[name="option"]:checked');
      this.dispatch({ type: "option", id: picked?.value });
      return;
    }
    const values: Record<string, string> = {};
    for (const el of Array.from(form.elements)) {
      const control = el as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
      if (control.name && "value" in control && control.localName !== "button")
        values[control.name] = control.value;
    }
    this.dispatch({ type: "submit", form: form.dataset.form === "contact" ? "contact" : "report", values });
  }
}

/** A field problem in words (the catalogs' notices), with the field's own limit. */
function errorText(locale: Locale, e: FieldError, field?: RenderedField): string {
  const id =
    e.error === "tooLong"
      ? "notice.fieldTooLong"
      : e.error === "required"
        ? "notice.fieldRequired"
        : "notice.fieldInvalid";
  return t(locale, id, { field: e.field, max: field?.maxLength ?? maxOf(e.field) });
}

/** The limit of a field by id, for the summary (which lists errors without their field specs). */
function maxOf(field: string): number {
  return [...REPORT_FIELDS, ...CONTACT_FIELDS].find((f) => f.id === field)?.maxLength ?? 0;
}
