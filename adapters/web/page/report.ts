/**
 * The report section of the page: the chat flow's neutral steps, then the form inline — the same
 * pure machines and the same turn logic as the terminal adapter and the server's runtime, with
 * the page's memory as the only store. No step decides anything here; the flows do.
 *
 * What the runtime does on the server, this does in the browser:
 *  - "form" in the chat opens a form (a fresh draft, the web surface);
 *  - stop in the form tells the chat (FORM_STOPPED), closing it too (FORM_CLOSED);
 *  - send seals here (seal.ts) and posts ciphertext; the case ids are fixed at the first press
 *    of send and kept for every retry, so a send repeated after a lost answer is delivered once;
 *  - "refresh" on the receipt asks the server for the delivery status first.
 */
import { type ChatSnapshot, chatView, startChat, stepChat } from "../../../flows/chat/api.ts";
import type { ChatEvent } from "../../../flows/chat/machine.ts";
import { chatNoticePrompts } from "../../../flows/chat/prompts.ts";
import type { Directory } from "../../../flows/directory.ts";
import type { CounsellorInfo } from "../../../flows/directory.ts";
import type { Locale } from "../../../flows/domain.ts";
import { type IntakeSnapshot, intakeView, startIntake, stepIntake } from "../../../flows/intake/api.ts";
import { type FieldError, validateForm } from "../../../flows/intake/forms.ts";
import type { IntakeEvent, Receipt } from "../../../flows/intake/machine.ts";
import { intakeNoticePrompts } from "../../../flows/intake/prompts.ts";
import type { Prompt } from "../../../flows/model.ts";
import { type CaseIds, newCaseIds } from "../../../src/handoff/case.ts";
import type { FollowUp } from "../../../src/handoff/document.ts";
import type { WebConfig } from "../protocol.ts";
import type { WebApi } from "./api.ts";
import { sealInBrowser } from "./seal.ts";

/** What the melder does on the page. */
export type PageAction =
  | { type: "choose"; id: string }
  /** The main button of a step with options; `id` is the picked option, if any. */
  | { type: "option"; id: string | undefined }
  | { type: "submit"; form: "report" | "contact"; values: Record<string, string> }
  | { type: "closeForm" };

/** One screen of the report section. */
export interface ReportView {
  /** Increases with every new screen (not with a refused submit), so focus moves only then. */
  step: number;
  locale: Locale;
  where: "chat" | "form";
  /** The flow's prompts: notices first, then the step. */
  prompts: Prompt[];
  /** The page's own notices (network, rate limit), shown before the flow's. */
  pageNotices: Prompt[];
  /** A refused submit: the fields with a problem, and everything typed, kept as it was. */
  errors?: FieldError[];
  values?: Record<string, string>;
  /** The main button was pressed without picking an option. */
  pickMissing?: boolean;
  /** Working (sealing and sending): the screen takes no input. */
  busy: boolean;
  /** The form is open and may be closed (not while sending, not after it ended). */
  canClose: boolean;
  /** After sending: the receipt, for what a later section adds under it (the follow-up mailbox). */
  receipt?: Receipt & { caseId: string };
}

export interface ReportSectionOptions {
  config: WebConfig;
  api: WebApi;
  /** Called with every new view. */
  render(view: ReportView): void;
  now?: () => Date;
  /**
   * Before an anonymous report is sealed: the page's follow-up step (docs/follow-up.md). Resolves
   * with the mailbox to seal into the handoff, undefined for none, or "stop" (wipe everything).
   */
  followUp?: (context: {
    locale: Locale;
    ids: CaseIds;
    counsellor: CounsellorInfo;
  }) => Promise<FollowUp | undefined | "stop">;
}

export class ReportSection {
  private readonly dir: Directory;
  private chat: ChatSnapshot;
  private form: IntakeSnapshot | undefined;
  private notices: Prompt[] = [];
  private pageNotices: Prompt[] = [];
  private errors: FieldError[] | undefined;
  private values: Record<string, string> | undefined;
  private pickMissing = false;
  private busy = false;
  private step = 0;
  /** Fixed at the first press of send; kept for retries; gone with the draft. */
  private pendingCase: CaseIds | undefined;
  /** The follow-up step's outcome for the pending case: asked once, kept for retries. */
  private pendingFollowUp: { value: FollowUp | undefined } | undefined;
  private sentCaseId: string | undefined;

  constructor(private readonly options: ReportSectionOptions) {
    this.dir = options.config.directory;
    this.chat = startChat({ locale: options.config.defaultLocale, surface: "web" }).snapshot;
  }

  get locale(): Locale {
    return this.form?.context.locale ?? this.chat.context.locale;
  }

  view(): ReportView {
    const where = this.form ? "form" : "chat";
    const prompts = this.form ? intakeView(this.form, this.dir, []) : chatView(this.chat, this.dir, []);
    const receipt = this.form?.context.receipt;
    return {
      step: this.step,
      locale: this.locale,
      where,
      prompts: [...this.notices, ...prompts],
      pageNotices: this.pageNotices,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.values ? { values: this.values } : {}),
      ...(this.pickMissing ? { pickMissing: true } : {}),
      busy: this.busy,
      canClose:
        this.form !== undefined &&
        !this.busy &&
        !["sending", "done", "stopped", "stoppedAfterSend"].includes(this.form.state),
      ...(receipt && this.sentCaseId ? { receipt: { ...receipt, caseId: this.sentCaseId } } : {}),
    };
  }

  /** Everything the melder entered is dropped and the section starts over (idle timeout). */
  reset(notice?: Prompt): void {
    this.form = undefined;
    this.pendingCase = undefined;
    this.pendingFollowUp = undefined;
    this.sentCaseId = undefined;
    this.chat = startChat({ locale: this.chat.context.locale, surface: "web" }).snapshot;
    this.clear();
    if (notice) this.notices = [notice];
    this.show();
  }

  async handle(action: PageAction): Promise<void> {
    if (this.busy) return;
    if (action.type === "closeForm") return this.closeForm();
    if (!this.form) return this.chatTurn(action);
    return this.formTurn(action);
  }

  // ── The chat ─────────────────────────────────────────────────────────────────────────
  private chatTurn(action: PageAction): void {
    if (action.type !== "choose") return;
    const step = stepChat(this.chat, { type: "CHOOSE", choice: action.id });
    this.chat = step.snapshot;
    this.clear();
    this.notices = chatNoticePrompts(step.notices, step.snapshot.context);
    if (action.id === "form" && this.chat.state === "form") this.openForm();
    this.show();
  }

  private tellChat(event: ChatEvent): void {
    const step = stepChat(this.chat, event);
    this.chat = step.snapshot;
    this.notices = chatNoticePrompts(step.notices, step.snapshot.context);
  }

  private openForm(): void {
    const { config } = this.options;
    this.notices = [];
    this.form = startIntake({
      locale: this.chat.context.locale,
      counsellorIds: config.directory.counsellors.map((c) => c.id),
      ...(config.directory.defaultCounsellorId
        ? { defaultCounsellorId: config.directory.defaultCounsellorId }
        : {}),
      surface: "web",
    }).snapshot;
  }

  private closeForm(): void {
    if (!this.form) return;
    this.dropForm();
    this.clear();
    this.tellChat({ type: "FORM_CLOSED" });
    this.show();
  }

  private dropForm(): void {
    this.form = undefined;
    this.pendingCase = undefined;
    this.pendingFollowUp = undefined;
    this.sentCaseId = undefined;
  }

  // ── The form ─────────────────────────────────────────────────────────────────────────
  private async formTurn(action: PageAction): Promise<void> {
    const form = this.form as IntakeSnapshot;
    let event: IntakeEvent;
    if (action.type === "option") {
      if (action.id === undefined) {
        this.pickMissing = true;
        this.errors = undefined;
        this.show(false);
        return;
      }
      event = { type: "CHOOSE", choice: action.id };
    } else if (action.type === "submit") {
      // Validated here, once, before the flow sees it (as the runtime does on the server).
      const input = intakeView(form, this.dir).find((p) => p.input)?.input;
      if (!input || input.form !== action.form) return;
      const checked = validateForm(input, action.values);
      if (!checked.ok) {
        this.errors = checked.errors;
        this.values = action.values;
        this.pickMissing = false;
        this.show(false);
        return;
      }
      event = { type: "SUBMIT", form: action.form, values: checked.values };
    } else if (action.type === "choose") {
      event = { type: "CHOOSE", choice: action.id };
    } else {
      return;
    }

    let current = form;
    let statusNotice: Prompt | undefined;
    if (current.state === "done" && event.type === "CHOOSE" && event.choice === "refresh") {
      ({ form: current, notice: statusNotice } = await this.withStatus(current));
    }
    let step = stepIntake(current, event);
    this.clear();
    if (statusNotice) this.pageNotices = [statusNotice];
    this.form = step.snapshot;
    this.notices = intakeNoticePrompts(step.notices, step.snapshot.context);

    if (step.handoff && !(await this.askFollowUp(step.snapshot))) {
      // Wiped meanwhile (the idle timeout): the section has started over already.
      if (this.form !== step.snapshot) return;
      // Stop in the follow-up step: everything goes, as with stop in the form.
      this.dropForm();
      this.clear();
      this.tellChat({ type: "FORM_STOPPED" });
      this.show();
      return;
    }

    if (step.handoff) {
      this.busy = true;
      this.show();
      // Whatever goes wrong, the melder is never left on a screen that takes no input.
      const outcome = await this.send(step.snapshot).catch(
        (): IntakeEvent => ({ type: "HANDOFF_FAILED", reason: "internal" }),
      );
      this.busy = false;
      step = stepIntake(step.snapshot, outcome);
      this.form = step.snapshot;
      this.notices = intakeNoticePrompts(step.notices, step.snapshot.context);
      // The chat moves on neutrally; the receipt stays in the form.
      if (outcome.type === "HANDOFF_DONE") this.chat = stepChat(this.chat, { type: "FORM_SENT" }).snapshot;
    }

    if (step.wipe) {
      // Stop or discard: the draft goes at once, and the page shows the chat's "stopped" step.
      // Stopped after sending: the chat says the report was not withdrawn.
      const afterSend = step.snapshot.state === "stoppedAfterSend";
      this.dropForm();
      this.tellChat(afterSend ? { type: "STOP" } : { type: "FORM_STOPPED" });
    }
    this.show();
  }

  /**
   * An anonymous melder is offered the follow-up mailbox before the report is sealed, once per
   * case (a retried send keeps the answer). False when they chose stop.
   */
  private async askFollowUp(form: IntakeSnapshot): Promise<boolean> {
    const hook = this.options.followUp;
    if (!hook || form.context.identity === "named" || this.pendingFollowUp) return true;
    const counsellor = this.options.config.directory.counsellors.find(
      (c) => c.id === form.context.counsellorId,
    );
    if (!counsellor) return true;
    this.pendingCase ??= newCaseIds(this.options.now?.() ?? new Date());
    this.busy = true;
    const answer = await hook({ locale: this.locale, ids: this.pendingCase, counsellor }).finally(() => {
      this.busy = false;
    });
    if (answer === "stop") return false;
    this.pendingFollowUp = { value: answer };
    return true;
  }

  /** Asks the server for the delivery status before the receipt is shown again. */
  private async withStatus(form: IntakeSnapshot): Promise<{ form: IntakeSnapshot; notice?: Prompt }> {
    if (!this.sentCaseId) return { form };
    const answer = await this.options.api.status(this.sentCaseId);
    if (!answer.ok || answer.value.status === "unknown") {
      return { form, notice: { text: "web.statusFailed", notice: true } };
    }
    return { form: stepIntake(form, { type: "DELIVERY_STATUS", status: answer.value.status }).snapshot };
  }

  /** Seal here, post the ciphertext, and turn the answer into the flow's outcome event. */
  private async send(form: IntakeSnapshot): Promise<IntakeEvent> {
    const { api, config } = this.options;
    const draft = form.context;
    const counsellor = config.directory.counsellors.find((c) => c.id === draft.counsellorId);
    if (!counsellor) return { type: "HANDOFF_FAILED", reason: "internal" };
    this.pendingCase ??= newCaseIds(this.options.now?.() ?? new Date());
    const ids = this.pendingCase;

    const keys = await api.keys();
    if (!keys.ok) return this.failed(keys);
    const sealed = await sealInBrowser({
      draft,
      ids,
      counsellor,
      keys: keys.value,
      hideRecipients: config.hideRecipients,
      ...(this.pendingFollowUp?.value ? { followUp: this.pendingFollowUp.value } : {}),
    });
    if (!sealed.ok) return { type: "HANDOFF_FAILED", reason: sealed.reason };

    const answer = await api.sendHandoff({
      counsellorId: counsellor.id,
      caseId: ids.caseId,
      armored: sealed.armored,
    });
    if (!answer.ok) return this.failed(answer);
    this.sentCaseId = ids.caseId;
    this.pendingCase = undefined;
    this.pendingFollowUp = undefined;
    return {
      type: "HANDOFF_DONE",
      receipt: {
        caseCode: ids.caseCode,
        date: ids.date,
        counsellorId: counsellor.id,
        status: answer.value.status,
      },
    };
  }

  /** A refused or failed request: the flow goes back to the review, the page says why. */
  private failed(result: Exclude<Awaited<ReturnType<WebApi["keys"]>>, { ok: true }>): IntakeEvent {
    if (result.kind === "network") {
      this.pageNotices = [{ text: "web.network", notice: true }];
      return { type: "HANDOFF_FAILED", reason: "internal" };
    }
    if (result.error.error === "key_problem") return { type: "HANDOFF_FAILED", reason: "key" };
    if (result.error.error === "rate_limited") {
      const minutes = Math.ceil((result.error.retryAfterSeconds ?? 60) / 60);
      this.pageNotices = [{ text: "web.rateLimited", params: { minutes }, notice: true }];
    } else {
      this.pageNotices = [{ text: "web.refused", notice: true }];
    }
    return { type: "HANDOFF_FAILED", reason: "internal" };
  }

  private clear(): void {
    this.notices = [];
    this.pageNotices = [];
    this.errors = undefined;
    this.values = undefined;
    this.pickMissing = false;
  }

  private show(newStep = true): void {
    if (newStep) this.step++;
    this.options.render(this.view());
  }
}
