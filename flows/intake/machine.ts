/**
 * The form flow (design §2 steps 4–9): everything about the matter — what the melder wants,
 * topic, counsellor, anonymity and contact, the report, the review, sending and the receipt.
 * It runs only inside the form (Slack modal, Teams dialog, the web page, the terminal inline),
 * and its snapshot is the draft the core seals with a key only the open form carries.
 *
 * Pure XState v5: no I/O and no strings. Submitted values arrive validated by the edge (the core
 * runs validateForm once, see forms.ts) and are trusted here. Side effects are named actions
 * (`notify`, `requestHandoff`, `wipe`) the core executes.
 */
import { assign, setup } from "xstate";
import {
  type ContactDetails,
  type Identity,
  type Locale,
  type Mode,
  type ReportText,
  type Surface,
  TOPICS,
  type TopicId,
  WISHES,
  type WishId,
  isOutOfScope,
} from "../domain.ts";
import type { FlowEvent, MessageId } from "../model.ts";
import { WISHES_FIELD } from "./forms.ts";

export interface IntakeInput {
  locale: Locale;
  /** Ids of the configured counsellors (their names and cards come from the directory). */
  counsellorIds: string[];
  /** Counsellor behind "no preference"; absent: not offered. */
  defaultCounsellorId?: string;
  /**
   * Absent: a chat platform. "web": the secure web page, where there is no chat to be contacted
   * in, so a named melder goes straight to typing their contact details.
   */
  surface?: Surface;
}

/** What the melder gets after sending: shown in the form only, never in the chat. */
export interface Receipt {
  caseCode: string;
  /** Day only (YYYY-MM-DD), in the Netherlands' calendar. */
  date: string;
  counsellorId: string;
  /** queued: sealed and on its way; delivered: the transport confirmed; failed: it gave up. */
  status: "queued" | "delivered" | "failed";
}

export interface IntakeContext extends IntakeInput {
  mode?: Mode;
  topic?: TopicId;
  counsellorId?: string;
  identity?: Identity;
  contact?: ContactDetails;
  report: ReportText;
  wishes?: WishId;
  /** Set by an edit on the review, so the edited step returns straight to the review. */
  returnToReview?: boolean;
  receipt?: Receipt;
}

/** Events the core adds: the outcome of the handoff effect, and delivery news. */
export type IntakeEvent =
  | FlowEvent
  | { type: "HANDOFF_DONE"; receipt: Receipt }
  | { type: "HANDOFF_FAILED"; reason: "key" | "internal" }
  | { type: "DELIVERY_STATUS"; status: Receipt["status"] }
  /** The draft had timed out: the values just submitted start a new draft (nothing typed is lost). */
  | { type: "RESTORE"; form: "report" | "contact"; values: Record<string, string> };

/** A one-off message shown before the current step's prompt (an error, help, the danger list). */
export interface IntakeNotice {
  text: MessageId;
}

/** The draft part of the context: everything the melder entered. Wiped on stop and after sending. */
const EMPTY_DRAFT = {
  mode: undefined,
  topic: undefined,
  counsellorId: undefined,
  identity: undefined,
  contact: undefined,
  report: {},
  wishes: undefined,
  returnToReview: undefined,
} satisfies Partial<IntakeContext>;

const choice = (e: IntakeEvent): string | undefined => (e.type === "CHOOSE" ? e.choice : undefined);
const chose =
  (...ids: string[]) =>
  ({ event }: { event: IntakeEvent }) =>
    ids.includes(choice(event) ?? "");
const note = (text: MessageId) => ({ type: "notify" as const, params: { text } });
const returning = ({ context }: { context: IntakeContext }) => context.returnToReview === true;
/** On the web page there is no "via this chat": contact details are always typed. */
const onWeb = ({ context }: { context: IntakeContext }) => context.surface === "web";

export const intakeMachine = setup({
  types: {
    context: {} as IntakeContext,
    events: {} as IntakeEvent,
    input: {} as IntakeInput,
  },
  actions: {
    // Implemented by the core (src/conversation); here they only name the effect.
    notify: (_, _params: IntakeNotice) => {},
    requestHandoff: () => {},
    wipe: () => {},
    clearDraft: assign(() => ({ ...EMPTY_DRAFT, receipt: undefined })),
    backToReview: assign({ returnToReview: false }),
  },
  guards: {
    reportMode: ({ context }) => context.mode === "report",
    returning,
    named: ({ context }) => context.identity === "named",
  },
}).createMachine({
  id: "intake",
  initial: "mode",
  context: ({ input }) => ({ ...input, ...EMPTY_DRAFT }),
  on: {
    // Global routes, reachable from every form step (invariant 6).
    STOP: { target: ".stopped", actions: ["clearDraft", "wipe"] },
    DANGER: { actions: note("notice.danger") },
    HELP: { actions: note("notice.formHelp") },
    TEXT: { actions: note("notice.staleChoice") },
    START: { actions: note("notice.resumed") },
    RESTORE: { actions: note("notice.staleChoice") },
    CHOOSE: [
      { guard: chose("danger"), actions: note("notice.danger") },
      { guard: chose("stop"), target: ".stopped", actions: ["clearDraft", "wipe"] },
      { actions: note("notice.staleChoice") },
    ],
    SUBMIT: { actions: note("notice.staleChoice") },
  },
  states: {
    mode: {
      on: {
        CHOOSE: [
          { guard: chose("report"), target: "topic", actions: assign({ mode: "report" }) },
          // A request for contact is never anonymous: the counsellor needs a way to reach them.
          {
            guard: chose("contact"),
            target: "topic",
            actions: assign({ mode: "contact", identity: "named" }),
          },
        ],
        // The draft timed out while the melder was typing: what they submitted is kept.
        RESTORE: {
          actions: [
            assign(({ event }) => (event.type === "RESTORE" ? restored(event) : {})),
            note("notice.timedOutKept"),
          ],
        },
      },
    },
    topic: {
      on: {
        CHOOSE: [
          {
            guard: ({ event }) => isOutOfScope(topicOf(event) ?? "not_sure"),
            target: "topicReferral",
            actions: assign({ topic: ({ event }) => topicOf(event) }),
          },
          {
            guard: ({ event, context }) => topicOf(event) !== undefined && returning({ context }),
            target: "review",
            actions: [assign({ topic: ({ event }) => topicOf(event) }), "backToReview"],
          },
          {
            guard: ({ event }) => topicOf(event) !== undefined,
            target: "counsellor",
            actions: assign({ topic: ({ event }) => topicOf(event) }),
          },
          { guard: chose("back"), target: "mode" },
        ],
      },
    },
    // Out of scope as such: a kind referral, and the choice to go on anyway.
    topicReferral: {
      on: {
        CHOOSE: [
          {
            guard: ({ event, context }) => chose("continue")({ event }) && returning({ context }),
            target: "review",
            actions: "backToReview",
          },
          { guard: chose("continue"), target: "counsellor" },
          { guard: chose("back"), target: "topic" },
        ],
      },
    },
    counsellor: {
      on: {
        CHOOSE: [
          {
            guard: ({ event, context }) => picked(context, event) !== undefined && returning({ context }),
            target: "review",
            actions: [
              assign({ counsellorId: ({ event, context }) => picked(context, event) }),
              "backToReview",
            ],
          },
          {
            guard: ({ event, context }) =>
              picked(context, event) !== undefined && context.mode === "contact" && onWeb({ context }),
            target: "contactForm",
            actions: assign({ counsellorId: ({ event, context }) => picked(context, event) }),
          },
          {
            guard: ({ event, context }) => picked(context, event) !== undefined && context.mode === "contact",
            target: "contactHow",
            actions: assign({ counsellorId: ({ event, context }) => picked(context, event) }),
          },
          {
            guard: ({ event, context }) => picked(context, event) !== undefined,
            target: "identity",
            actions: assign({ counsellorId: ({ event, context }) => picked(context, event) }),
          },
          { guard: chose("back"), target: "topic" },
        ],
      },
    },
    identity: {
      on: {
        CHOOSE: [
          {
            guard: ({ event, context }) => chose("anonymous")({ event }) && returning({ context }),
            target: "review",
            actions: [assign({ identity: "anonymous", contact: undefined }), "backToReview"],
          },
          {
            guard: chose("anonymous"),
            target: "report",
            actions: assign({ identity: "anonymous", contact: undefined }),
          },
          {
            guard: ({ event, context }) => chose("named")({ event }) && onWeb({ context }),
            target: "contactForm",
            actions: assign({ identity: "named" }),
          },
          { guard: chose("named"), target: "contactHow", actions: assign({ identity: "named" }) },
          { guard: chose("back"), target: "counsellor" },
        ],
      },
    },
    contactHow: {
      on: {
        CHOOSE: [
          { guard: chose("typed"), target: "contactForm" },
          {
            guard: chose("via_chat"),
            target: "afterContact",
            actions: assign({ contact: { viaChat: true } }),
          },
          {
            guard: ({ event, context }) => chose("back")({ event }) && context.mode === "contact",
            target: "counsellor",
          },
          { guard: chose("back"), target: "identity" },
        ],
      },
    },
    contactForm: {
      on: {
        SUBMIT: {
          guard: ({ event }) => event.type === "SUBMIT" && event.form === "contact",
          target: "afterContact",
          actions: assign({
            contact: ({ event }) => (event.type === "SUBMIT" ? toContact(event.values) : undefined),
          }),
        },
        CHOOSE: [
          {
            guard: ({ event, context }) =>
              chose("back")({ event }) && onWeb({ context }) && returning({ context }),
            target: "review",
            actions: "backToReview",
          },
          {
            guard: ({ event, context }) =>
              chose("back")({ event }) && onWeb({ context }) && context.mode === "contact",
            target: "counsellor",
          },
          {
            guard: ({ event, context }) => chose("back")({ event }) && onWeb({ context }),
            target: "identity",
          },
          { guard: chose("back"), target: "contactHow" },
        ],
      },
    },
    afterContact: {
      always: [
        { guard: "returning", target: "review", actions: "backToReview" },
        { guard: "reportMode", target: "report" },
        { target: "review" },
      ],
    },
    report: {
      on: {
        SUBMIT: {
          guard: ({ event }) => event.type === "SUBMIT" && event.form === "report",
          target: "review",
          actions: [
            assign(({ event }) => (event.type === "SUBMIT" ? reportValues(event.values) : {})),
            "backToReview",
          ],
        },
        CHOOSE: [
          {
            guard: ({ event, context }) => chose("back")({ event }) && returning({ context }),
            target: "review",
            actions: "backToReview",
          },
          {
            guard: ({ event, context }) =>
              chose("back")({ event }) && context.identity === "named" && onWeb({ context }),
            target: "contactForm",
          },
          {
            guard: ({ event, context }) => chose("back")({ event }) && context.identity === "named",
            target: "contactHow",
          },
          { guard: chose("back"), target: "identity" },
        ],
      },
    },
    review: {
      on: {
        CHOOSE: [
          { guard: chose("send"), target: "sending" },
          { guard: chose("edit_topic"), target: "topic", actions: assign({ returnToReview: true }) },
          {
            guard: chose("edit_counsellor"),
            target: "counsellor",
            actions: assign({ returnToReview: true }),
          },
          {
            guard: ({ event, context }) => chose("edit_identity")({ event }) && context.mode === "report",
            target: "identity",
            actions: assign({ returnToReview: true }),
          },
          {
            guard: ({ event, context }) =>
              chose("edit_contact")({ event }) && context.identity === "named" && onWeb({ context }),
            target: "contactForm",
            actions: assign({ returnToReview: true }),
          },
          {
            guard: ({ event, context }) => chose("edit_contact")({ event }) && context.identity === "named",
            target: "contactHow",
            actions: assign({ returnToReview: true }),
          },
          {
            guard: ({ event, context }) => chose("edit_report")({ event }) && context.mode === "report",
            target: "report",
            actions: assign({ returnToReview: true }),
          },
          // Throwing a story away is never one tap: it asks first.
          { guard: chose("discard"), target: "confirmDiscard" },
        ],
      },
    },
    confirmDiscard: {
      on: {
        CHOOSE: [
          { guard: chose("discard_yes"), target: "stopped", actions: ["clearDraft", "wipe"] },
          { guard: chose("back"), target: "review" },
        ],
      },
    },
    sending: {
      entry: "requestHandoff",
      on: {
        HANDOFF_DONE: {
          target: "done",
          // Only the receipt survives; the draft goes at once (invariant 3).
          actions: assign(({ event }) => ({
            ...EMPTY_DRAFT,
            receipt: event.type === "HANDOFF_DONE" ? event.receipt : undefined,
          })),
        },
        HANDOFF_FAILED: [
          {
            guard: ({ event }) => event.type === "HANDOFF_FAILED" && event.reason === "key",
            target: "review",
            actions: note("notice.handoffKeyProblem"),
          },
          { target: "review", actions: note("notice.handoffInternalError") },
        ],
      },
    },
    done: {
      on: {
        DELIVERY_STATUS: {
          actions: assign({
            receipt: ({ event, context }) =>
              context.receipt && event.type === "DELIVERY_STATUS"
                ? { ...context.receipt, status: event.status }
                : context.receipt,
          }),
        },
        // Shows the current delivery status (the core sends DELIVERY_STATUS first).
        CHOOSE: [
          { guard: chose("refresh"), target: "done", reenter: true },
          { guard: chose("stop"), target: "stoppedAfterSend", actions: ["clearDraft", "wipe"] },
        ],
        // Stopping after sending does not withdraw the report: its own text, then the receipt goes.
        STOP: { target: "stoppedAfterSend", actions: ["clearDraft", "wipe"] },
      },
    },
    stoppedAfterSend: { type: "final" },
    stopped: { type: "final" },
  },
});

export type IntakeMachine = typeof intakeMachine;

/** The counsellor a CHOOSE names: "counsellor:<id>", or "no_preference" when a default exists. */
function picked(context: IntakeContext, event: IntakeEvent): string | undefined {
  const id = choice(event);
  if (id === "no_preference") return context.defaultCounsellorId;
  return context.counsellorIds.find((c) => `counsellor:${c}` === id);
}

function topicOf(event: IntakeEvent): TopicId | undefined {
  const id = choice(event);
  return (TOPICS as readonly string[]).includes(id ?? "") ? (id as TopicId) : undefined;
}

function toContact(values: Record<string, string>): ContactDetails {
  return { ...(values.name ? { name: values.name } : {}), ...(values.route ? { route: values.route } : {}) };
}

function reportValues(values: Record<string, string>): Pick<IntakeContext, "report" | "wishes"> {
  const { [WISHES_FIELD]: wish, ...text } = values;
  return {
    report: text as ReportText,
    wishes: (WISHES as readonly string[]).includes(wish ?? "") ? (wish as WishId) : undefined,
  };
}

/** A timed-out draft's submitted values, kept as the start of a new draft. */
function restored(event: {
  form: "report" | "contact";
  values: Record<string, string>;
}): Partial<IntakeContext> {
  if (event.form === "report") return reportValues(event.values);
  return { contact: toContact(event.values), identity: "named" };
}
