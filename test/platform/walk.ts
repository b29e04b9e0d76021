import { getShortestPaths } from "xstate/graph";
import { type ChatSnapshot, chatView, stepChat } from "../../flows/chat/api.ts";
import { type ChatContext, type ChatEvent, type ChatNotice, chatMachine } from "../../flows/chat/machine.ts";
import type { ChatState } from "../../flows/chat/prompts.ts";
import type { Directory } from "../../flows/directory.ts";
import { CONTACT_FIELDS, type Locale, OUT_OF_SCOPE_TOPICS, REPORT_FIELDS } from "../../flows/domain.ts";
import { type IntakeSnapshot, intakeView, stepIntake } from "../../flows/intake/api.ts";
import type { FieldError } from "../../flows/intake/forms.ts";
import {
  type IntakeContext,
  type IntakeEvent,
  type IntakeNotice,
  intakeMachine,
} from "../../flows/intake/machine.ts";
/**
 * Every view both flows can show, found model-based with xstate/graph: the shortest path to every
 * distinct state (back, edit and stop edges included) in each locale, then every event from each
 * state — so each state is seen with every notice it can carry (danger, help, typed text, a stale
 * button, field errors, failures) — plus the outputs only the runtime makes (timed out,
 * unavailable, gone). Views are de-duplicated by their prompts.
 */
import { FORM_GLOBALS } from "../../flows/intake/prompts.ts";
import type { IntakeState } from "../../flows/intake/prompts.ts";
import type { Prompt } from "../../flows/model.ts";
import { filler } from "./configs.ts";

export interface ChatViewCase {
  locale: Locale;
  state: string;
  prompts: Prompt[];
  /** The message this turn answered (collapsed to text on Teams). */
  answered?: Prompt[];
}

export interface FormViewCase {
  locale: Locale;
  state: string;
  prompts: Prompt[];
  finished: boolean;
  errors?: FieldError[];
}

type ChatSnap = { value: unknown; context: ChatContext };
type FormSnap = { value: unknown; context: IntakeContext };

const GLOBAL_EVENTS = [
  { type: "STOP" },
  { type: "DANGER" },
  { type: "HELP" },
  { type: "TEXT" },
  { type: "START" },
] as const;

const EMPTY_DIR: Directory = {
  organisation: "",
  counsellors: [],
  contacts: [],
  idleMinutes: 30,
  deliveryDelayMinutes: 0,
};

function choiceIds(prompts: Prompt[]): string[] {
  return prompts.flatMap((p) => [
    ...(p.choices ?? []).map((c) => c.id),
    ...(p.options ?? []).map((c) => c.id),
    ...(p.submit ? [p.submit.id] : []),
  ]);
}

interface ChatCase {
  snapshot: ChatSnapshot;
  notices: ChatNotice[];
  answered?: ChatSnapshot;
}

let chatCases: ChatCase[] | undefined;

/** Every chat state in both locales, with every notice an event from it can add (walked once). */
function walkChat(): ChatCase[] {
  if (chatCases) return chatCases;
  const out = new Map<string, ChatCase>();
  const add = (c: ChatCase) => out.set(JSON.stringify([c.snapshot, c.notices, c.answered ?? null]), c);
  // Choices do not depend on the directory, only their texts do.
  const view = (s: ChatSnap) => chatView({ state: s.value as ChatState, context: s.context }, EMPTY_DIR);
  const events = (s: ChatSnap): ChatEvent[] => [
    ...choiceIds(view(s)).map((choice) => ({ type: "CHOOSE" as const, choice })),
    ...GLOBAL_EVENTS,
    { type: "FORM_SENT" },
    { type: "FORM_CLOSED" },
    { type: "FORM_STOPPED" },
    { type: "CHOOSE", choice: "an-old-button" },
  ];
  for (const locale of ["nl", "en"] as const) {
    const paths = getShortestPaths(chatMachine, {
      input: { locale },
      events: (s) => events(s as never) as never,
      serializeState: (s) => JSON.stringify([s.value, s.context]),
    });
    for (const path of paths) {
      const from = path.state as unknown as ChatSnap;
      const snapshot = { state: from.value as ChatState, context: from.context };
      add({ snapshot, notices: [] });
      for (const e of events(from)) {
        const next = stepChat(snapshot, e);
        add({ snapshot: next.snapshot, notices: next.notices, answered: snapshot });
      }
    }
  }
  chatCases = [...out.values()];
  return chatCases;
}

export function chatViews(dir: Directory): ChatViewCase[] {
  const out = new Map<string, ChatViewCase>();
  const add = (v: ChatViewCase) => out.set(JSON.stringify([v.locale, v.prompts, v.answered ?? null]), v);
  for (const c of walkChat()) {
    add({
      locale: c.snapshot.context.locale,
      state: c.snapshot.state,
      prompts: chatView(c.snapshot, dir, c.notices),
      ...(c.answered ? { answered: chatView(c.answered, dir) } : {}),
    });
  }
  for (const locale of ["nl", "en"] as const) {
    // Only the runtime says these.
    add({ locale, state: "unavailable", prompts: [{ text: "notice.unavailable", notice: true }] });
    add({
      locale,
      state: "welcome",
      prompts: [
        { text: "notice.timedOut", notice: true },
        ...chatView({ state: "welcome", context: { locale } }, dir),
      ],
    });
  }
  return [...out.values()];
}

/** What a melder may type, at the flow's limits, in ordinary writing with markup characters. */
export function fullReport(pattern?: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of REPORT_FIELDS)
    values[f.id] = filler(f.maxLength, pattern, f.multiline ? Math.ceil(f.maxLength / 400) : 1);
  values.wishes = "complaint";
  return values;
}

export function fullContact(pattern?: string): Record<string, string> {
  return Object.fromEntries(CONTACT_FIELDS.map((f) => [f.id, filler(f.maxLength, pattern)]));
}

interface FormCase {
  snapshot: IntakeSnapshot;
  notices: IntakeNotice[];
  errors?: FieldError[];
}

/** Stand-ins for the first and last counsellor and the default; replaced per directory. */
const FIRST = "first";
const LAST = "last";
let formCases: FormCase[] | undefined;

/** Every form state in both locales, with every notice an event from it can add (walked once). */
function walkForm(): FormCase[] {
  if (formCases) return formCases;
  const out = new Map<string, FormCase>();
  const add = (c: FormCase) => out.set(JSON.stringify([c.snapshot, c.notices, c.errors ?? null]), c);
  // The walk types short stand-ins; formViews puts text at the flow's limits in their place.
  const report = Object.fromEntries([...REPORT_FIELDS.map((f) => [f.id, f.id]), ["wishes", "complaint"]]);
  const contact = { name: "name", route: "route" };
  const topics = new Set<string>([...OUT_OF_SCOPE_TOPICS, "sexual_harassment", "prefer_not_say"]);
  const dir: Directory = {
    ...EMPTY_DIR,
    counsellors: [FIRST, LAST].map((id) => ({
      id,
      name: id,
      kind: "internal",
      languages: ["nl"],
      introduction: { nl: id },
    })),
    defaultCounsellorId: FIRST,
  };
  const view = (s: FormSnap) => intakeView({ state: s.value as IntakeState, context: s.context }, dir);
  const events = (s: FormSnap): IntakeEvent[] => {
    const state = s.value as IntakeState;
    if (state === "sending") {
      return [
        {
          type: "HANDOFF_DONE",
          receipt: {
            caseCode: "VT-ABCD-EFGH",
            date: "2026-11-23",
            counsellorId: s.context.counsellorId ?? FIRST,
            status: "queued",
          },
        },
        {
          type: "HANDOFF_DONE",
          receipt: { caseCode: "VT-ABCD-EFGH", date: "2026-11-23", counsellorId: LAST, status: "queued" },
        },
        { type: "HANDOFF_FAILED", reason: "key" },
        { type: "HANDOFF_FAILED", reason: "internal" },
      ];
    }
    const list: IntakeEvent[] = choiceIds(view(s))
      .filter((id) => state !== "topic" || topics.has(id) || ["back", "stop", "danger"].includes(id))
      .map((choice) => ({ type: "CHOOSE", choice }));
    if (state === "report") list.push({ type: "SUBMIT", form: "report", values: report });
    if (state === "contactForm") list.push({ type: "SUBMIT", form: "contact", values: contact });
    if (state === "done") {
      list.push(
        { type: "DELIVERY_STATUS", status: "delivered" },
        { type: "DELIVERY_STATUS", status: "failed" },
      );
    }
    if (state === "mode") list.push({ type: "RESTORE", form: "report", values: report });
    list.push(...GLOBAL_EVENTS, { type: "CHOOSE", choice: "an-old-button" });
    return list;
  };
  for (const locale of ["nl", "en"] as const) {
    const paths = getShortestPaths(intakeMachine, {
      input: { locale, counsellorIds: [FIRST, LAST], defaultCounsellorId: FIRST },
      events: (s) => events(s as never) as never,
      serializeState: (s) => {
        const c = s.context as IntakeContext;
        return JSON.stringify([
          s.value,
          c.mode ?? null,
          c.identity ?? null,
          c.contact?.viaChat ?? null,
          !!c.contact?.route,
          c.receipt?.status ?? null,
          !!c.returnToReview,
          Object.keys(c.report).length > 0,
        ]);
      },
    });
    for (const path of paths) {
      const from = path.state as unknown as FormSnap;
      const state = from.value as IntakeState;
      if (state === "afterContact") continue;
      const snapshot = { state, context: from.context };
      add({ snapshot, notices: [] });
      for (const e of events(from)) {
        const next = stepIntake(snapshot, e);
        add({ snapshot: next.snapshot, notices: next.notices });
      }
      // Field errors: every field of the step's form at once, as the runtime reports them.
      const input = view(from).find((p) => p.input)?.input;
      if (input) {
        const errors: FieldError[] = input.fields.map((f) => ({
          field: f.id,
          error: f.options ? "invalidOption" : f.required ? "required" : "tooLong",
        }));
        add({ snapshot, notices: [], errors });
      }
    }
  }
  formCases = [...out.values()];
  return formCases;
}

export function formViews(dir: Directory, melderPattern?: string): FormViewCase[] {
  const out = new Map<string, FormViewCase>();
  const add = (v: FormViewCase) => out.set(JSON.stringify([v.locale, v.prompts, v.errors ?? null]), v);
  const report = fullReport(melderPattern);
  const contact = fullContact(melderPattern);
  const ids = dir.counsellors.map((c) => c.id);
  const real = (id: string | undefined) => (id === FIRST ? ids[0] : id === LAST ? ids[ids.length - 1] : id);
  const finished = (s: string) => s === "stopped" || s === "stoppedAfterSend";
  for (const c of walkForm()) {
    const ctx = c.snapshot.context;
    const context: IntakeContext = {
      ...ctx,
      counsellorIds: ids,
      ...(dir.defaultCounsellorId
        ? { defaultCounsellorId: dir.defaultCounsellorId }
        : { defaultCounsellorId: undefined }),
      counsellorId: real(ctx.counsellorId),
      report: Object.fromEntries(Object.keys(ctx.report).map((k) => [k, report[k] ?? ""])),
      ...(ctx.contact
        ? {
            contact: {
              ...ctx.contact,
              ...(ctx.contact.name ? { name: contact.name } : {}),
              ...(ctx.contact.route ? { route: contact.route } : {}),
            },
          }
        : {}),
      ...(ctx.receipt
        ? { receipt: { ...ctx.receipt, counsellorId: real(ctx.receipt.counsellorId) ?? "" } }
        : {}),
    };
    add({
      locale: ctx.locale,
      state: c.snapshot.state,
      prompts: intakeView({ state: c.snapshot.state, context }, dir, c.notices),
      finished: finished(c.snapshot.state),
      ...(c.errors ? { errors: c.errors } : {}),
    });
  }
  for (const locale of ["nl", "en"] as const) {
    // As the runtime answers for a form that is gone: the notice and the danger button.
    const danger = FORM_GLOBALS.filter((g) => g.id === "danger");
    add({
      locale,
      state: "gone",
      prompts: [{ text: "notice.formGone", notice: true, choices: danger }],
      finished: true,
    });
    add({
      locale,
      state: "unavailable",
      prompts: [{ text: "notice.formUnavailable", notice: true }],
      finished: false,
    });
  }
  return [...out.values()];
}
