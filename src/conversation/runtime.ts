/**
 * The per-turn runtime every adapter calls (design §1): lock → load the sealed record →
 * transition the pure flow → run its effects → save the sealed record with the idle TTL.
 * Any replica can serve any turn because nothing lives in process memory between turns.
 *
 * Two records, two keys (design §4):
 * - the chat (flows/chat), keyed by HMAC(server secret, platform identity), sealed with the
 *   state key: navigation only;
 * - the form's draft (flows/intake), under a random id, sealed with a random key that only the
 *   open form carries (FormOutput.token). The live process sees both while it handles a turn;
 *   at rest, nothing links a draft to a person.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chatView, startChat, stepChat } from "../../flows/chat/api.ts";
import type { ChatEvent } from "../../flows/chat/machine.ts";
import type { Directory } from "../../flows/directory.ts";
import type { Locale } from "../../flows/domain.ts";
import {
  type IntakeSnapshot,
  type IntakeStep,
  intakeView,
  startIntake,
  stepIntake,
} from "../../flows/intake/api.ts";
import { contactForm, reportForm, validateForm } from "../../flows/intake/forms.ts";
import type { IntakeEvent } from "../../flows/intake/machine.ts";
import { FORM_GLOBALS } from "../../flows/intake/prompts.ts";
import type { FlowEvent, Prompt } from "../../flows/model.ts";
import type { Config } from "../config/schema.ts";
import type { DeliveryQueue } from "../delivery/queue.ts";
import { HandoffError, type HandoffService } from "../handoff/service.ts";
import type { Logger } from "../log/logger.ts";
import { type Metrics, type Surface, noMetrics } from "../metrics/metrics.ts";
import { faultPoint } from "../resilience/faults.ts";
import { TurnQueueFullError, createLimiter } from "../resilience/limiter.ts";
import type { DraftVault, FormHandle } from "../store/drafts.ts";
import { type ConversationVault, StoreUnavailableError } from "../store/types.ts";
import { ChatRecord, DraftRecord, parseRecord } from "./records.ts";
import type {
  ChatOutput,
  ChatTurnInput,
  ConversationRuntime,
  FormOutput,
  FormTurnInput,
  Melder,
} from "./types.ts";

export interface RuntimeDeps {
  vault: ConversationVault;
  drafts: DraftVault;
  queue: DeliveryQueue;
  handoff: HandoffService;
  config: Config;
  directory: Directory;
  logger: Logger;
  now?: () => number;
  /** Told when a handoff was queued, so a worker can deliver it without waiting for its next poll. */
  onQueued?: () => void;
  /** Counts turns by surface and outcome (never a choice or an id). */
  metrics?: Metrics;
  /** Turns worked on at once by this process (default 16); more wait in line. */
  maxActiveTurns?: number;
  /** Turns allowed to wait (default 10,000); beyond that the melder is told to try again. */
  maxWaitingTurns?: number;
  random?: () => number;
  /**
   * Makes the receipt view's link to open an anonymous mailbox for the case just sent: a fresh
   * single-use token each time the receipt is shown (src/followup/link-token.ts, wired in
   * src/cli/wiring.ts when the web page runs). Absent: no mailbox link. The link lives only in
   * the form's receipt view, never in a chat message.
   */
  mailboxLink?: (target: MailboxLinkTarget) => Promise<{ url: string; validMinutes: number }>;
}

/** The case a receipt's mailbox link opens a mailbox for: random ids, never a user. */
export interface MailboxLinkTarget {
  caseId: string;
  caseCode: string;
  counsellorId: string;
  locale: Locale;
}

const newLogId = () => randomBytes(6).toString("hex");

/** The chat's "open the form" button. */
const opensForm = (event: FlowEvent): boolean => event.type === "CHOOSE" && event.choice === "form";

export function createRuntime(deps: RuntimeDeps): ConversationRuntime {
  const { vault, drafts, queue, config, directory: dir, logger } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const metrics = deps.metrics ?? noMetrics;
  const limiter = createLimiter(deps.maxActiveTurns ?? 16, deps.maxWaitingTurns ?? 10_000);
  const chatKeyOf = (m: Melder) => vault.keyFor(m.platform, m.tenant, m.user);

  // ── Form tokens ────────────────────────────────────────────────────────────────────────
  // "f1.<draft id>.<key>.<mac>": the MAC binds the draft to the melder's chat key, so a token
  // lifted from one melder's form is refused for another (no cross-user writes).
  const tokenFor = (chatKey: string, h: FormHandle) =>
    `f1.${h.draftId}.${h.key.toString("base64url")}.${vault.bind(chatKey, h.draftId)}`;
  function handleOf(chatKey: string, token: string): FormHandle | undefined {
    const parts = token.split(".");
    if (parts.length !== 4 || parts[0] !== "f1") return undefined;
    const [, draftId, key, mac] = parts as [string, string, string, string];
    if (!/^[A-Za-z0-9_-]{22}$/.test(draftId) || !/^[A-Za-z0-9_-]{43}$/.test(key)) return undefined;
    const expected = vault.bind(chatKey, draftId);
    if (mac.length !== expected.length || !timingSafeEqualText(mac, expected)) return undefined;
    return { draftId, key: Buffer.from(key, "base64url") };
  }

  // ── Records ────────────────────────────────────────────────────────────────────────────
  async function loadChat(chatKey: string) {
    const loaded = await vault.load(chatKey);
    return {
      record: loaded.status === "found" ? parseRecord(ChatRecord, loaded.json) : undefined,
      expired: loaded.status === "expired",
    };
  }

  const chatOut = (rec: ChatRecord, prompts: Prompt[], status: ChatOutput["status"] = "ok"): ChatOutput => ({
    status,
    locale: rec.flow.context.locale,
    prompts,
    state: rec.flow.state,
    seq: rec.seq,
  });

  function formOut(
    rec: DraftRecord,
    handle: FormHandle,
    chatKey: string,
    notices: IntakeStep["notices"] = [],
    status: FormOutput["status"] = "ok",
  ): FormOutput {
    const finished = rec.flow.state === "stopped" || rec.flow.state === "stoppedAfterSend";
    return {
      status,
      locale: rec.flow.context.locale,
      prompts: intakeView(rec.flow as IntakeSnapshot, dir, notices),
      state: rec.flow.state,
      seq: rec.seq,
      token: tokenFor(chatKey, handle),
      ...(finished ? { finished: true } : {}),
    };
  }

  function gone(locale: Locale): FormOutput {
    return {
      status: "gone",
      locale,
      // Even a form that is gone keeps the way to urgent help (invariant 6).
      prompts: [
        { text: "notice.formGone", notice: true, choices: FORM_GLOBALS.filter((g) => g.id === "danger") },
      ],
      state: "gone",
      finished: true,
    };
  }

  /** A fresh draft for a melder whose chat is at the form step. */
  async function openDraft(chatKey: string, locale: Locale, epoch: number, restore?: IntakeEvent) {
    const handle = drafts.create();
    let step = startIntake({
      locale,
      counsellorIds: config.counsellors.map((c) => c.id),
      ...(config.defaultCounsellor ? { defaultCounsellorId: config.defaultCounsellor } : {}),
    });
    if (restore) step = stepIntake(step.snapshot, restore);
    const rec: DraftRecord = { v: 1, flow: step.snapshot, seq: 1, epoch, logId: newLogId() };
    await drafts.save(handle, JSON.stringify(rec));
    logger.info({ event: "form.opened", conv: rec.logId });
    return formOut(rec, handle, chatKey, step.notices);
  }

  // ── The chat ───────────────────────────────────────────────────────────────────────────
  async function chatTurn(chatKey: string, input: ChatTurnInput): Promise<ChatOutput> {
    const started = now();
    const { record, expired } = await loadChat(chatKey);
    let rec = record;
    const lead: Prompt[] = expired ? [{ text: "notice.timedOut", notice: true }] : [];
    if (!rec) {
      const locale = localeHint(input.event) ?? config.defaultLocale;
      rec = { v: 2, flow: startChat({ locale }).snapshot, seq: 1, epoch: 0, logId: newLogId() };
      // A first contact, or a button from a conversation that no longer exists: the welcome.
      if (input.event.type === "START" || input.event.type === "CHOOSE" || input.event.type === "SUBMIT") {
        await vault.save(chatKey, JSON.stringify(rec));
        log("turn.start", rec.logId, input, started);
        return chatOut(rec, [...lead, ...chatView(rec.flow, dir)]);
      }
    } else if (input.answering !== undefined && input.answering !== rec.seq) {
      log("turn.stale", rec.logId, input, started);
      return chatOut(rec, [{ text: "notice.staleChoice", notice: true }], "stale");
    }

    // The prompts of the message this button was on, so an adapter that cannot read its own old
    // message back (Teams) can collapse it. Navigation only; global buttons answer no message.
    const answered = input.answering !== undefined ? chatView(rec.flow, dir) : undefined;
    const step = stepChat(rec.flow, input.event);
    const next: ChatRecord = {
      ...rec,
      flow: step.snapshot,
      seq: rec.seq + 1,
      epoch: step.stopAll ? rec.epoch + 1 : rec.epoch,
    };
    await vault.save(chatKey, JSON.stringify(next));
    const opening = opensForm(input.event) && next.flow.state === "form";
    const form = opening ? await openDraft(chatKey, next.flow.context.locale, next.epoch) : undefined;
    log("turn.ok", rec.logId, input, started);
    return {
      ...chatOut(next, [...lead, ...chatView(next.flow, dir, step.notices)]),
      ...(form ? { form } : {}),
      ...(answered ? { answered } : {}),
    };
  }

  /** Tells the chat what happened in the form (sent, stopped, closed) and returns what to post. */
  async function tellChat(chatKey: string, event: ChatEvent): Promise<ChatOutput> {
    return vault.withLock(chatKey, async () => {
      const { record } = await loadChat(chatKey);
      const rec: ChatRecord = record ?? {
        v: 2,
        flow: { state: "form", context: { locale: config.defaultLocale } },
        seq: 1,
        epoch: 0,
        logId: newLogId(),
      };
      const step = stepChat(rec.flow, event);
      const next: ChatRecord = { ...rec, flow: step.snapshot, seq: rec.seq + 1 };
      await vault.save(chatKey, JSON.stringify(next));
      return chatOut(next, chatView(next.flow, dir, step.notices));
    });
  }

  // ── The form ───────────────────────────────────────────────────────────────────────────
  async function formTurn(chatKey: string, handle: FormHandle, input: FormTurnInput): Promise<FormOutput> {
    const started = now();
    const loaded = await drafts.load(handle);
    let rec = loaded.status === "found" ? parseRecord(DraftRecord, loaded.json) : undefined;
    const { record: chat } = await loadChat(chatKey);
    const locale = chat?.flow.context.locale ?? config.defaultLocale;

    if (!rec) {
      // Timed out while the melder was typing: what they just submitted becomes a new draft.
      if (input.event.type === "SUBMIT") {
        const form = input.event.form === "report" ? reportForm({}) : contactForm(undefined);
        const checked = validateForm(form, input.event.values);
        if (!checked.ok)
          return { ...gone(locale), status: "invalid", errors: checked.errors, state: "unknown" };
        const out = await openDraft(chatKey, locale, chat?.epoch ?? 0, {
          type: "RESTORE",
          form: input.event.form,
          values: checked.values,
        });
        await vault.touch(chatKey);
        return out;
      }
      return gone(locale);
    }
    if (chat && chat.epoch > rec.epoch) {
      // Stop was pressed in the chat while this form was open: it is wiped now.
      await drafts.wipe(handle.draftId);
      logger.info({ event: "form.wiped", conv: rec.logId });
      return gone(locale);
    }
    if (input.answering !== undefined && input.answering !== rec.seq) {
      return formOut(rec, handle, chatKey, [{ text: "notice.staleChoice" }], "stale");
    }

    let event: IntakeEvent = input.event;
    if (event.type === "SUBMIT") {
      // Validated once, here at the edge; the flow trusts what it gets.
      const current = intakeView(rec.flow as IntakeSnapshot, dir).find((p) => p.input)?.input;
      if (!current || current.form !== event.form) {
        return formOut(rec, handle, chatKey, [{ text: "notice.staleChoice" }], "stale");
      }
      const checked = validateForm(current, event.values);
      if (!checked.ok) {
        logger.info({ event: "form.invalid", conv: rec.logId, fields: checked.errors.length });
        return { ...formOut(rec, handle, chatKey), status: "invalid", errors: checked.errors };
      }
      event = { ...event, values: checked.values };
    }

    let flow = rec.flow as IntakeSnapshot;
    let chatEvent: ChatEvent | undefined;
    let sealedCase: FormOutput["sealedCase"];
    // A send that a crash interrupted may already be queued: it counts as sent, and the melder
    // now sees the receipt (whatever they pressed, except stop, which then says it was sent).
    const recovered =
      rec.case !== undefined && flow.state !== "done" && (await queue.status(rec.case.caseId)) !== "unknown";
    if (recovered && rec.case) {
      flow = stepIntake({ ...flow, state: "sending" }, doneEvent(rec, flow, "queued")).snapshot;
      chatEvent = { type: "FORM_SENT" };
      sealedCase = { caseId: rec.case.caseId };
      if (event.type !== "STOP" && !isChoice(event, "stop")) event = { type: "CHOOSE", choice: "refresh" };
    }
    if (flow.state === "done" && rec.case && isChoice(event, "refresh")) {
      const status = await queue.status(rec.case.caseId);
      if (status !== "unknown") flow = stepIntake(flow, { type: "DELIVERY_STATUS", status }).snapshot;
    }

    let step = stepIntake(flow, event);
    if (step.handoff) {
      const sent = await send(rec, flow, step, input.melder, handle);
      step = sent.step;
      rec = sent.rec;
      if (sent.ok && rec.case) {
        chatEvent = { type: "FORM_SENT" };
        sealedCase = { caseId: rec.case.caseId };
      }
    }

    const next: DraftRecord = { ...rec, flow: step.snapshot, seq: rec.seq + 1 };
    if (step.wipe) {
      await drafts.wipe(handle.draftId);
      if (step.snapshot.state === "stopped") chatEvent = { type: "FORM_STOPPED" };
      logger.info({ event: "form.wiped", conv: rec.logId, ms: now() - started });
    } else {
      await drafts.save(handle, JSON.stringify(next));
      logger.info({ event: chatEvent ? "form.sent" : "form.step", conv: rec.logId, ms: now() - started });
    }
    if (sealedCase) faultPoint("before-receipt");
    const told = chatEvent ? await tellChat(chatKey, chatEvent) : undefined;
    if (!told) await vault.touch(chatKey);
    return withMailboxLink(
      {
        ...formOut(next, handle, chatKey, step.notices),
        ...(told ? { chat: told } : {}),
        ...(sealedCase ? { sealedCase } : {}),
      },
      next,
    );
  }

  /**
   * The receipt view with a link to open an anonymous mailbox for this case, made now (the
   * token lives for minutes and opens one mailbox once). Offered for every sent report and
   * contact request, named or anonymous: the mailbox is the one way back that needs no name,
   * no address and no chat, and the receipt looks the same whatever the melder chose. A store
   * that cannot make the token costs the link, never the receipt.
   */
  async function withMailboxLink(out: FormOutput, rec: DraftRecord): Promise<FormOutput> {
    const flow = rec.flow as IntakeSnapshot;
    if (!deps.mailboxLink || flow.state !== "done" || !rec.case || out.status !== "ok") return out;
    const at = out.prompts.findIndex((p) => p.text === "done.receipt");
    // The flow keeps only the receipt once the report is sent.
    const counsellorId = flow.context.receipt?.counsellorId;
    if (at < 0 || !counsellorId) return out;
    let link: { url: string; validMinutes: number };
    try {
      link = await deps.mailboxLink({
        caseId: rec.case.caseId,
        caseCode: rec.case.caseCode,
        counsellorId,
        locale: flow.context.locale,
      });
    } catch (err) {
      logger.warn({ event: "mailbox.link_failed", errorType: err instanceof Error ? err.name : "unknown" });
      return out;
    }
    const receipt = out.prompts[at] as Prompt;
    const { choices, ...rest } = receipt;
    // The receipt's own buttons move to the mailbox prompt, which is now the step's last text.
    const mailbox: Prompt = {
      text: "done.mailbox",
      params: { minutes: link.validMinutes },
      choices: [...(choices ?? []), { id: "mailbox_open", label: "choice.mailbox_open", url: link.url }],
    };
    return {
      ...out,
      prompts: [...out.prompts.slice(0, at), rest, mailbox, ...out.prompts.slice(at + 1)],
    };
  }

  /**
   * The transactional send: fix the case ids (saved before anything else), seal once, queue the
   * ciphertext. Only then is the melder told it is on its way.
   */
  async function send(
    rec: DraftRecord,
    before: IntakeSnapshot,
    step: IntakeStep,
    melder: Melder,
    handle: FormHandle,
  ): Promise<{ ok: boolean; step: IntakeStep; rec: DraftRecord }> {
    let withCase = rec;
    if (!rec.case) {
      withCase = { ...rec, case: deps.handoff.newCase(new Date(now())) };
      // Saved at the review step: a retry after a crash sends the same case again.
      await drafts.save(handle, JSON.stringify({ ...withCase, flow: before }));
    }
    const ids = withCase.case as NonNullable<DraftRecord["case"]>;
    faultPoint("before-seal");
    try {
      const ctx = step.snapshot.context;
      const sealed = await deps.handoff.seal(ctx, ids, {
        channel: melder.platform,
        ...(ctx.identity === "named" && ctx.contact?.viaChat
          ? { chatHandle: `${melder.platform}:${melder.tenant}/${melder.user}` }
          : {}),
      });
      const delayMs = Math.floor(random() * config.handoff.deliveryDelayMinutes * 60_000);
      await queue.enqueue(sealed, delayMs);
      faultPoint("after-queue");
      metrics.handoffQueued();
      deps.onQueued?.();
    } catch (err) {
      if (err instanceof HandoffError) {
        return {
          ok: false,
          rec: withCase,
          step: stepIntake(step.snapshot, { type: "HANDOFF_FAILED", reason: err.reason }),
        };
      }
      throw err;
    }
    return {
      ok: true,
      rec: withCase,
      step: stepIntake(step.snapshot, doneEvent(withCase, step.snapshot, "queued")),
    };
  }

  function doneEvent(rec: DraftRecord, flow: IntakeSnapshot, status: "queued"): IntakeEvent {
    const ids = rec.case as NonNullable<DraftRecord["case"]>;
    return {
      type: "HANDOFF_DONE",
      receipt: {
        caseCode: ids.caseCode,
        date: ids.date,
        counsellorId: flow.context.counsellorId ?? "",
        status,
      },
    };
  }

  function log(event: string, logId: string, input: ChatTurnInput, started: number): void {
    // Allow-list only: event name, random log id, platform, input kind, latency. No state names.
    logger.info({
      event,
      conv: logId,
      platform: input.melder.platform,
      input: input.event.type,
      ms: now() - started,
    });
  }

  function unavailableChat(): ChatOutput {
    return {
      status: "unavailable",
      locale: config.defaultLocale,
      prompts: [{ text: "notice.unavailable", notice: true }],
      state: "unknown",
    };
  }
  function unavailableForm(): FormOutput {
    return {
      status: "unavailable",
      locale: config.defaultLocale,
      prompts: [{ text: "notice.formUnavailable", notice: true }],
      state: "unknown",
    };
  }

  /** Runs a turn under the process limiter; store trouble becomes an honest "unavailable". */
  async function guarded<T extends { status: string } | undefined>(
    surface: Surface,
    platform: string,
    fn: () => Promise<T>,
    unavailable: () => T,
    options: { first?: boolean } = {},
  ): Promise<T> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const out = await limiter.run(fn, options);
      metrics.turn(surface, (out?.status ?? "ok") as never, seconds());
      return out;
    } catch (err) {
      if (err instanceof StoreUnavailableError || err instanceof TurnQueueFullError) {
        logger.warn({ event: "turn.unavailable", platform, errorType: err.name });
        metrics.turn(surface, "unavailable", seconds());
        return unavailable();
      }
      logger.error({ event: "turn.error", platform, errorType: err instanceof Error ? err.name : "unknown" });
      metrics.turn(surface, "error", seconds());
      throw new Error("conversation turn failed");
    }
  }

  return {
    chat(input) {
      const chatKey = chatKeyOf(input.melder);
      return guarded(
        "chat",
        input.melder.platform,
        async () => {
          // De-duplicate before queueing for the lock: a retry that waited for the lock could
          // otherwise run after the first delivery finished.
          if (input.eventId && !(await vault.firstDelivery(chatKey, input.eventId))) {
            logger.info({ event: "turn.duplicate", platform: input.melder.platform });
            return { status: "duplicate", locale: config.defaultLocale, prompts: [], state: "unknown" };
          }
          return vault.withLock(chatKey, () => chatTurn(chatKey, input));
        },
        unavailableChat,
        // Opening the form has a platform deadline (Slack's trigger_id: 3 s from the click).
        { first: opensForm(input.event) },
      );
    },

    form(input) {
      const chatKey = chatKeyOf(input.melder);
      const handle = handleOf(chatKey, input.token);
      if (!handle) {
        logger.warn({ event: "form.forbidden", platform: input.melder.platform });
        return Promise.resolve({ ...gone(config.defaultLocale), status: "forbidden" });
      }
      return guarded(
        "form",
        input.melder.platform,
        () =>
          drafts.withLock(handle.draftId, async () => {
            if (input.eventId && !(await drafts.firstDelivery(handle.draftId, input.eventId))) {
              return { ...(await view(chatKey, handle)), status: "duplicate" };
            }
            return formTurn(chatKey, handle, input);
          }),
        unavailableForm,
      );
    },

    formView(melder, token) {
      const chatKey = chatKeyOf(melder);
      const handle = handleOf(chatKey, token);
      if (!handle) return Promise.resolve({ ...gone(config.defaultLocale), status: "forbidden" });
      return guarded("form", melder.platform, () => view(chatKey, handle), unavailableForm);
    },

    closeForm(melder, token) {
      const chatKey = chatKeyOf(melder);
      const handle = handleOf(chatKey, token);
      if (!handle) return Promise.resolve(undefined);
      return guarded(
        "form",
        melder.platform,
        () =>
          drafts.withLock(handle.draftId, async () => {
            const loaded = await drafts.load(handle);
            const rec = loaded.status === "found" ? parseRecord(DraftRecord, loaded.json) : undefined;
            if (!rec) return undefined;
            await drafts.wipe(handle.draftId);
            logger.info({ event: "form.closed", conv: rec.logId });
            // Closed after sending (or after stopping): the chat already said what happened.
            const sent = rec.case !== undefined && (await queue.status(rec.case.caseId)) !== "unknown";
            if (sent || rec.flow.state === "stopped" || rec.flow.state === "stoppedAfterSend")
              return undefined;
            return tellChat(chatKey, { type: "FORM_CLOSED" });
          }),
        () => undefined,
      );
    },

    chatView(melder) {
      return guarded(
        "chat",
        melder.platform,
        async () => {
          const { record } = await loadChat(chatKeyOf(melder));
          if (!record)
            return { status: "ok", locale: config.defaultLocale, prompts: [], state: "none" } as ChatOutput;
          return chatOut(record, chatView(record.flow, dir));
        },
        unavailableChat,
      );
    },
  };

  async function view(chatKey: string, handle: FormHandle): Promise<FormOutput> {
    const loaded = await drafts.load(handle);
    const rec = loaded.status === "found" ? parseRecord(DraftRecord, loaded.json) : undefined;
    if (!rec) return gone(config.defaultLocale);
    return withMailboxLink(formOut(rec, handle, chatKey), rec);
  }
}

function isChoice(event: FlowEvent | IntakeEvent, id: string): boolean {
  return event.type === "CHOOSE" && event.choice === id;
}

function timingSafeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Teams sends "nl-NL", "en-US"…; anything not Dutch or English falls back to the default. */
function localeHint(event: FlowEvent): Locale | undefined {
  if (event.type !== "START" || !event.locale) return undefined;
  const lang = event.locale.slice(0, 2).toLowerCase();
  return lang === "nl" || lang === "en" ? lang : undefined;
}
