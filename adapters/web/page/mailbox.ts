/**
 * The anonymous follow-up mailbox on the page (docs/follow-up.md), three ways in:
 *
 *  - offer(): at the end of an anonymous web report, before it is sealed: "would you like to be
 *    able to get an answer?" → the secret R, shown once → the melder confirms they wrote it down →
 *    the keys are made here and the mailbox opened → the FollowUp part goes into the handoff;
 *  - link(token): `#mailbox/open?t=…`, from a Slack or Teams receipt: the same steps, opened with
 *    the single-use token (the server seals the notice to the counsellor);
 *  - read(): "Mijn brievenbus" (`#mailbox`): type R → the id and passphrase are derived here → the
 *    mailbox is fetched, its key unlocked and every message decrypted here; a counsellor's reply
 *    counts as theirs only with a signature by their pinned key → an answer is sealed here to the
 *    counsellor and the mailbox key, and sent.
 *
 * R, the passphrase and the unlocked key live in this module's memory only, and only while the
 * mailbox is open: "close", "stop", the idle timeout and leaving the section drop them. Nothing in
 * storage, cookies or the address (the link's token is taken out of it at once).
 *
 * Every screen has the danger and stop buttons on top, one h1 that takes the focus, and notices
 * in a live region; its events stay inside its own section (the report's renderer shares the host).
 */
import * as openpgp from "openpgp";
import type { CounsellorInfo } from "../../../flows/directory.ts";
import type { Locale } from "../../../flows/domain.ts";
import type { MessageId, Params } from "../../../flows/model.ts";
import { t } from "../../../src/content/index.ts";
import { checkPinnedKey } from "../../../src/crypto/key-policy.ts";
import {
  createMailboxKeys,
  openMailboxMessage,
  sealAnswer,
  unlockMailboxKey,
} from "../../../src/followup/melder.ts";
import { deriveMailbox, formatSecret, newSecret, parseSecret } from "../../../src/followup/secret.ts";
import type { CaseIds } from "../../../src/handoff/case.ts";
import type { FollowUp } from "../../../src/handoff/document.ts";
import { ANSWER_MAX_LENGTH } from "../../../src/handoff/follow-up.ts";
import { dayOf } from "../../../src/time/day.ts";
import type { MailboxReadAnswer, WebConfig } from "../protocol.ts";
import type { ApiResult, WebApi } from "./api.ts";
import { escapeParam, renderText } from "./markup.ts";

/** performance.measure names: the e2e test and the benchmark read them. */
export const UNLOCK_MEASURE = "vt:mailbox-unlock";
export const KEYGEN_MEASURE = "vt:mailbox-keygen";

type Child = Node | string | undefined;
type Attrs = Record<string, string | boolean | undefined>;

export interface MailboxPageOptions {
  host: HTMLElement;
  api: WebApi;
  config: WebConfig;
  locale(): Locale;
  /** Stop and erase all: the page drops everything and shows the report section's stop. */
  onStop(): void;
  /** Leaves the mailbox for the start of the page. */
  onLeave(): void;
  /** The page's screen number (data-step): a new one for a new screen. */
  nextStep(fresh: boolean): number;
}

interface OpenMailbox {
  mailboxId: string;
  privateKey: openpgp.PrivateKey;
  melderKey: openpgp.PublicKey;
  counsellor: openpgp.PublicKey[];
  deputy: openpgp.PublicKey[];
  keysOk: boolean;
  box: MailboxReadAnswer;
}

interface Screen {
  title?: MessageId | undefined;
  notices?: { id: MessageId; params?: Params; danger?: boolean }[];
  body: Child[];
  /** Focus this element id instead of the heading (a refused input). */
  focus?: string;
}

export class MailboxPage {
  private readonly doc: Document;
  private open: OpenMailbox | undefined;
  private showDanger = false;
  /** Increases with every screen; a screen's async work checks it to know it is still current. */
  private generation = 0;
  private current: (() => Screen) | undefined;
  /** An anonymous report waits for the offer's answer (the page stays on it until then). */
  offering = false;

  constructor(private readonly options: MailboxPageOptions) {
    this.doc = options.host.ownerDocument;
  }

  private get locale(): Locale {
    return this.options.locale();
  }

  /** The pending offer's answer: "stop" when the page is wiped under it (idle timeout). */
  private offerDone: ((value: FollowUp | undefined | "stop") => void) | undefined;

  /** Drops R's derivations, the unlocked key and the messages; a pending offer ends as "stop". */
  wipe(): void {
    const pending = this.offerDone;
    this.offerDone = undefined;
    pending?.("stop");
    this.open = undefined;
    this.showDanger = false;
    this.generation++;
    this.current = undefined;
  }

  // ── The ways in ──────────────────────────────────────────────────────────────────────
  /** The follow-up step of an anonymous web report; resolves before the report is sealed. */
  offer(context: { ids: CaseIds; counsellor: CounsellorInfo }): Promise<FollowUp | undefined | "stop"> {
    const followUp = this.options.config.followUp;
    if (!followUp) return Promise.resolve(undefined);
    this.offering = true;
    return new Promise((resolve) => {
      const done = (value: FollowUp | undefined | "stop") => {
        this.offerDone = undefined;
        this.offering = false;
        this.wipe();
        resolve(value);
      };
      this.offerDone = done;
      this.stopHandler = () => done("stop");
      this.show(() => ({
        title: "mailbox.offer",
        body: [
          this.actions(
            this.button("mailbox.offerYes", "primary", () =>
              this.secretSteps({
                open: (keys, mailboxId) =>
                  this.options.api.mailboxOpen({
                    mailboxId,
                    melderPublicKey: keys.publicKey,
                    lockedPrivateKey: keys.lockedPrivateKey,
                    counsellorId: context.counsellor.id,
                    caseId: context.ids.caseId,
                    caseCode: context.ids.caseCode,
                  }),
                opened: (keys, mailboxId) =>
                  done({ v: 1, mailboxId, melderPublicKey: keys.publicKey, url: followUp.url }),
                without: () => done(undefined),
              }),
            ),
            this.button("mailbox.offerNo", undefined, () => done(undefined)),
          ),
        ],
      }));
    });
  }

  /** `#mailbox/open?t=…`: a chat report's receipt link. */
  link(token: string): void {
    this.wipe();
    this.stopHandler = undefined;
    this.show(() => ({
      title: "mailbox.link",
      body: [
        this.actions(
          this.button("mailbox.offerYes", "primary", () =>
            this.secretSteps({
              open: (keys, mailboxId) =>
                this.options.api.mailboxOpen({
                  mailboxId,
                  melderPublicKey: keys.publicKey,
                  lockedPrivateKey: keys.lockedPrivateKey,
                  linkToken: token,
                }),
              opened: (_keys, _id, caseCode) => {
                this.wipe();
                this.titleParams = { caseCode };
                this.show(() => ({
                  title: "mailbox.linkOpened",
                  body: [this.actions(this.navButton("mailbox.nav", "#mailbox"))],
                }));
              },
            }),
          ),
          this.navButton("mailbox.navReport", "#"),
        ),
      ],
    }));
  }

  /** "Mijn brievenbus": the form for R, then the thread. */
  read(): void {
    this.wipe();
    this.stopHandler = undefined;
    this.loginScreen();
  }

  // ── R, shown once, then the mailbox opened ───────────────────────────────────────────
  private secretSteps(steps: {
    open(
      keys: { publicKey: string; lockedPrivateKey: string },
      mailboxId: string,
    ): Promise<ApiResult<{ caseCode: string }>>;
    opened(keys: { publicKey: string; lockedPrivateKey: string }, mailboxId: string, caseCode: string): void;
    without?: () => void;
  }): void {
    const secret = newSecret();
    let missing = false;
    const screen = (): Screen => ({
      title: "mailbox.secret",
      ...(missing ? { notices: [{ id: "mailbox.confirmMissing" as MessageId }], focus: "confirm" } : {}),
      body: [
        this.h(
          "p",
          { class: "secret", id: "mailbox-secret", "aria-label": t(this.locale, "mailbox.secretLabel") },
          formatSecret(secret),
        ),
        this.h(
          "div",
          { class: "option" },
          this.h("input", { type: "checkbox", id: "confirm", "aria-invalid": missing ? "true" : undefined }),
          this.h("label", { for: "confirm" }, t(this.locale, "mailbox.confirm")),
        ),
        this.actions(
          this.button("mailbox.continue", "primary", () => {
            const box = this.doc.getElementById("confirm") as HTMLInputElement | null;
            if (!box?.checked) {
              missing = true;
              this.show(screen, false);
              return;
            }
            void work();
          }),
        ),
      ],
    });
    const work = async () => {
      const generation = this.show(() => ({ title: "mailbox.working", body: [] }));
      const result = await (async () => {
        const { mailboxId, passphrase } = await deriveMailbox(secret);
        performance.mark(`${KEYGEN_MEASURE}:start`);
        const keys = await createMailboxKeys(passphrase);
        performance.measure(KEYGEN_MEASURE, `${KEYGEN_MEASURE}:start`);
        const answer = await steps.open(keys, mailboxId);
        return { keys, mailboxId, answer };
      })().catch(() => undefined);
      if (generation !== this.generation) return;
      if (result?.answer.ok) {
        steps.opened(result.keys, result.mailboxId, result.answer.value.caseCode);
        return;
      }
      const expired =
        result?.answer.ok === false &&
        result.answer.kind === "refused" &&
        result.answer.error.error === "link_expired";
      this.show(() => ({
        notices: [{ id: expired ? "mailbox.linkExpired" : this.problem(result?.answer) }],
        body: [
          this.actions(
            ...(expired ? [] : [this.button("mailbox.retry", "primary", () => void work())]),
            ...(steps.without ? [this.button("mailbox.sendWithout", undefined, steps.without)] : []),
            ...(steps.without ? [] : [this.navButton("mailbox.navReport", "#")]),
          ),
        ],
      }));
    };
    this.show(screen);
  }

  // ── Reading ──────────────────────────────────────────────────────────────────────────
  private loginScreen(problem?: MessageId, params?: Params): void {
    this.show(
      () => ({
        title: "mailbox.login",
        body: [
          this.form(
            (form) => {
              const typed = (form.elements.namedItem("secret") as HTMLInputElement | null)?.value ?? "";
              void this.unlock(typed);
            },
            this.field({
              id: "secret",
              label: "mailbox.codeLabel",
              hint: t(this.locale, "mailbox.codeHint"),
              ...(problem ? { error: t(this.locale, problem, params) } : {}),
            }),
            this.actions(this.submit("mailbox.openButton")),
          ),
          this.actions(this.navButton("mailbox.navReport", "#")),
        ],
        ...(problem ? { focus: "field-secret" } : {}),
      }),
      true,
    );
  }

  private async unlock(typed: string): Promise<void> {
    const parsed = parseSecret(typed);
    if (!parsed.ok) return this.loginScreen(`mailbox.code.${parsed.problem}` as MessageId);
    const generation = this.show(() => ({ title: "mailbox.working", body: [] }));
    const { mailboxId, passphrase } = await deriveMailbox(parsed.canonical);
    const answer = await this.options.api.mailboxRead(mailboxId);
    if (generation !== this.generation) return;
    if (!answer.ok) {
      if (answer.kind === "refused" && answer.error.error === "no_mailbox") {
        return this.loginScreen("mailbox.notFound", {
          days: this.options.config.followUp?.retentionDays ?? 183,
        });
      }
      return this.loginScreen(this.problem(answer), this.problemParams(answer));
    }
    let privateKey: openpgp.PrivateKey;
    try {
      performance.mark(`${UNLOCK_MEASURE}:start`);
      privateKey = await unlockMailboxKey(answer.value.lockedPrivateKey, passphrase);
      performance.measure(UNLOCK_MEASURE, `${UNLOCK_MEASURE}:start`);
    } catch {
      return this.loginScreen("mailbox.unlockFailed");
    }
    const keys = await this.counsellorKeys(answer.value.counsellorId);
    if (generation !== this.generation) return;
    this.open = {
      mailboxId,
      privateKey,
      melderKey: privateKey.toPublic(),
      ...keys,
      box: answer.value,
    };
    await this.threadScreen();
  }

  /** The counsellor's (and deputy's) keys from the server, checked against their pinned fingerprints. */
  private async counsellorKeys(
    counsellorId: string,
  ): Promise<{ counsellor: openpgp.PublicKey[]; deputy: openpgp.PublicKey[]; keysOk: boolean }> {
    const none = { counsellor: [], deputy: [], keysOk: false };
    const answer = await this.options.api.keys();
    if (!answer.ok) return none;
    const entry = answer.value.counsellors.find((c) => c.id === counsellorId);
    if (!entry || entry.problem || entry.keys.length === 0) return none;
    const out: { counsellor: openpgp.PublicKey[]; deputy: openpgp.PublicKey[]; keysOk: boolean } = {
      counsellor: [],
      deputy: [],
      keysOk: true,
    };
    for (const k of entry.keys) {
      try {
        const checked = await checkPinnedKey(await openpgp.readKeys({ armoredKeys: k.armored }), {
          counsellorId,
          pinned: k.fingerprint,
          role: k.role,
          source: "the key the server sent",
        });
        out[k.role].push(checked.key);
      } catch {
        return none;
      }
    }
    return out;
  }

  private async threadScreen(notice?: MessageId, draft = ""): Promise<void> {
    const open = this.open;
    if (!open) return this.read();
    const opened = await Promise.all(
      open.box.messages.map(async (m) => ({
        m,
        opened: await openMailboxMessage(m.armored, m.from, {
          privateKey: open.privateKey,
          counsellor: open.counsellor,
          deputy: open.deputy,
        }),
      })),
    );
    let answerProblem = false;
    const screen = (): Screen => ({
      title: "mailbox.thread",
      notices: [
        ...(notice ? [{ id: notice }] : []),
        ...(!open.keysOk ? [{ id: "mailbox.keyProblem" as MessageId }] : []),
        ...(answerProblem ? [{ id: "mailbox.answerEmpty" as MessageId }] : []),
      ],
      ...(answerProblem ? { focus: "field-answer" } : {}),
      body: [
        opened.length === 0
          ? this.h("p", { class: "prompt" }, t(this.locale, "mailbox.empty"))
          : this.h(
              "ol",
              { class: "thread" },
              ...opened.map(({ m, opened: o }) => {
                const who: MessageId =
                  m.from === "melder"
                    ? "mailbox.fromMelder"
                    : o.ok && o.signed === "deputy"
                      ? "mailbox.fromDeputy"
                      : "mailbox.fromCounsellor";
                const unverified = m.from === "counsellor" && (!o.ok || o.signed === "none");
                return this.h(
                  "li",
                  { class: `message message--${m.from}` },
                  this.h("h2", {}, t(this.locale, who, { date: m.day })),
                  unverified && o.ok
                    ? this.h("p", { class: "notice notice--danger" }, t(this.locale, "mailbox.unverified"))
                    : undefined,
                  o.ok
                    ? this.h("div", { class: "message-text" }, o.text)
                    : this.h("p", {}, t(this.locale, "mailbox.unreadable")),
                );
              }),
            ),
        open.keysOk
          ? this.form(
              (form) => {
                const text = (form.elements.namedItem("answer") as HTMLTextAreaElement | null)?.value ?? "";
                if (text.trim() === "") {
                  answerProblem = true;
                  this.show(screen, false);
                  return;
                }
                void this.sendAnswer(text);
              },
              this.field({
                id: "answer",
                label: "mailbox.answerLabel",
                hint: t(this.locale, "mailbox.answerHint", { max: ANSWER_MAX_LENGTH }),
                multiline: true,
                value: draft,
                ...(answerProblem ? { error: t(this.locale, "mailbox.answerEmpty") } : {}),
              }),
              this.actions(this.submit("mailbox.answerButton")),
            )
          : undefined,
        this.actions(
          this.button("mailbox.close", undefined, () => {
            this.wipe();
            this.show(() => ({
              title: "mailbox.closed",
              body: [this.actions(this.navButton("mailbox.navReport", "#"))],
            }));
          }),
        ),
      ],
    });
    this.titleParams = { caseCode: open.box.caseCode };
    this.show(screen);
  }

  private async sendAnswer(text: string): Promise<void> {
    const open = this.open;
    if (!open) return;
    const generation = this.show(() => ({ title: "mailbox.answerSending", body: [] }));
    const result = await (async () => {
      const armored = await sealAnswer(
        {
          v: 1,
          caseId: open.box.caseId,
          caseCode: open.box.caseCode,
          mailboxId: open.mailboxId,
          messageId: globalThis.crypto.randomUUID(),
          date: dayOf(new Date()),
          locale: this.locale,
          text: text.slice(0, ANSWER_MAX_LENGTH),
        },
        { counsellorKeys: [...open.counsellor, ...open.deputy], melderKey: open.melderKey },
      );
      return this.options.api.mailboxAnswer({ mailboxId: open.mailboxId, armored });
    })().catch(() => undefined);
    if (generation !== this.generation || this.open !== open) return;
    if (!result?.ok) {
      const full = result?.ok === false && result.kind === "refused" && result.error.error === "mailbox_full";
      return this.threadScreen(full ? "mailbox.full" : "mailbox.answerFailed", text);
    }
    const again = await this.options.api.mailboxRead(open.mailboxId);
    if (again.ok) open.box = again.value;
    return this.threadScreen("mailbox.answerSent");
  }

  private problem(answer: ApiResult<unknown> | undefined): MessageId {
    if (!answer || answer.ok || answer.kind === "network")
      return answer ? "mailbox.network" : "mailbox.openFailed";
    if (answer.error.error === "rate_limited") return "mailbox.rateLimited";
    if (answer.error.error === "key_problem") return "mailbox.keyProblem";
    if (answer.error.error === "link_expired") return "mailbox.linkExpired";
    return "mailbox.openFailed";
  }

  private problemParams(answer: ApiResult<unknown>): Params {
    return !answer.ok && answer.kind === "refused"
      ? { minutes: Math.ceil((answer.error.retryAfterSeconds ?? 60) / 60) }
      : {};
  }

  // ── Screens ──────────────────────────────────────────────────────────────────────────
  private stopHandler: (() => void) | undefined;
  private titleParams: Params = {};

  /** Renders a screen (again with `newStep` false: same focus rules as the report). */
  private show(screen: () => Screen, newStep = true): number {
    if (newStep) this.generation++;
    this.current = screen;
    const s = screen();
    const { doc, locale } = this;
    const section = this.h("section", {
      class: "step step--mailbox",
      "data-step": String(this.options.nextStep(newStep)),
      "aria-labelledby": "step-title",
    });
    section.addEventListener("click", (e) => e.stopPropagation());
    section.addEventListener("submit", (e) => {
      e.preventDefault();
      e.stopPropagation();
    });
    section.append(
      this.h(
        "nav",
        { class: "safety", "aria-label": t(locale, "web.safety") },
        this.button("choice.danger", "danger", () => {
          this.showDanger = !this.showDanger;
          if (this.current) this.show(this.current);
        }),
        this.button("choice.stop", undefined, () => {
          const stop = this.stopHandler;
          this.wipe();
          if (stop) stop();
          else this.options.onStop();
        }),
      ),
    );
    const notices = [
      ...(this.showDanger ? [{ id: "notice.danger" as MessageId, danger: true }] : []),
      ...(s.notices ?? []),
    ];
    for (const [i, n] of notices.entries()) {
      const danger = n.danger || n.id === "mailbox.unverified";
      const box = this.h("div", {
        class: `notice${danger ? " notice--danger" : ""}`,
        role: danger ? "alert" : "status",
        tabindex: "-1",
        id: i === 0 ? "first-notice" : undefined,
      });
      box.append(...renderText(doc, t(locale, n.id, this.escaped(n.params ?? {}))).nodes);
      section.append(box);
    }
    const rendered = s.title
      ? renderText(doc, t(locale, s.title, this.escaped(this.titleParams)), { heading: true })
      : { nodes: [] as Node[] };
    const title = this.h("h1", {
      id: "step-title",
      tabindex: "-1",
      class: rendered.heading ? undefined : "visually-hidden",
    });
    title.append(rendered.heading ?? t(locale, "mailbox.nav"));
    section.append(title);
    if (rendered.nodes.length > 0) section.append(this.h("div", { class: "prompt" }, ...rendered.nodes));
    for (const child of s.body) if (child !== undefined) section.append(child);
    this.options.host.replaceChildren(section);
    if (s.title === "mailbox.working" || s.title === "mailbox.answerSending")
      section.setAttribute("aria-busy", "true");
    const focusId = s.focus ?? (newStep ? (notices.length > 0 ? "first-notice" : "step-title") : undefined);
    if (focusId) {
      if (newStep) doc.defaultView?.scrollTo(0, 0);
      (doc.getElementById(focusId) as HTMLElement | null)?.focus();
    }
    return this.generation;
  }

  private escaped(params: Params): Params {
    return Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, typeof v === "string" ? escapeParam(v) : v]),
    ) as Params;
  }

  // ── Pieces ───────────────────────────────────────────────────────────────────────────
  private h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
    const el = this.doc.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === false) continue;
      el.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) {
      if (child === undefined) continue;
      el.append(typeof child === "string" ? this.doc.createTextNode(child) : child);
    }
    return el;
  }

  private button(
    label: MessageId,
    style: "primary" | "danger" | undefined,
    onClick: () => void,
  ): HTMLElement {
    const b = this.h(
      "button",
      { type: "button", class: `button${style ? ` button--${style}` : ""}`, "data-mailbox": label },
      t(this.locale, label),
    );
    b.addEventListener("click", onClick);
    return b;
  }

  private navButton(label: MessageId, hash: string): HTMLElement {
    return this.h("a", { class: "button", href: hash, "data-mailbox": label }, t(this.locale, label));
  }

  private submit(label: MessageId): HTMLElement {
    return this.h(
      "button",
      { type: "submit", class: "button button--primary", "data-mailbox": label },
      t(this.locale, label),
    );
  }

  private actions(...children: Child[]): HTMLElement {
    return this.h("div", { class: "actions" }, ...children);
  }

  private form(onSubmit: (form: HTMLFormElement) => void, ...children: Child[]): HTMLElement {
    const form = this.h("form", { class: "answer", novalidate: true, autocomplete: "off" }, ...children);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      onSubmit(form as HTMLFormElement);
    });
    return form;
  }

  private field(f: {
    id: string;
    label: MessageId;
    hint?: string;
    error?: string;
    multiline?: boolean;
    value?: string;
  }): HTMLElement {
    const id = `field-${f.id}`;
    const describedBy = [f.hint ? `${id}-hint` : undefined, f.error ? `${id}-error` : undefined]
      .filter(Boolean)
      .join(" ");
    const common: Attrs = {
      id,
      name: f.id,
      "aria-describedby": describedBy || undefined,
      "aria-invalid": f.error ? "true" : undefined,
      autocomplete: "off",
      spellcheck: "false",
    };
    const control = f.multiline
      ? this.h("textarea", { ...common, rows: "6", maxlength: String(ANSWER_MAX_LENGTH) })
      : this.h("input", { ...common, type: "text", autocapitalize: "characters", class: "secret-input" });
    if (f.value) (control as HTMLTextAreaElement).value = f.value;
    return this.h(
      "div",
      { class: `field${f.error ? " field--error" : ""}` },
      this.h("label", { for: id }, t(this.locale, f.label)),
      f.hint ? this.h("p", { class: "hint", id: `${id}-hint` }, f.hint) : undefined,
      f.error ? this.h("p", { class: "field-error", id: `${id}-error` }, f.error) : undefined,
      control,
    );
  }
}
