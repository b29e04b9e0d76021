/**
 * The intake flow (design.md §2) as a pure XState v5 machine.
 *
 * No I/O and no user-facing strings: what to show is derived from state + context in prompts.ts;
 * side effects are named actions (`notify`, `requestHandoff`, `wipe`) that the core executes.
 * Every turn is load → transition → execute → save, so any replica can serve any turn.
 */
import { assign, setup } from "xstate";
import type { Locale } from "../domain.ts";
import {
  type ContactDetails,
  type Identity,
  type Mode,
  type ReportText,
  TOPICS,
  type TopicId,
  WISHES,
  type WishId,
  isOutOfScope,
} from "../domain.ts";
import type { FlowEvent, InputRequest, MessageId, Params, Receipt } from "../model.ts";
import { type FieldError, WISHES_FIELD, contactForm, reportForm, validateForm } from "./forms.ts";

export interface CounsellorOption {
  id: string;
  name: string;
  kind: "internal" | "external";
  languages: Locale[];
  /** Introduction per locale, from the admin's config (data, not catalog text). */
  introduction: Partial<Record<Locale, string>>;
  /** How to reach this counsellor directly, per locale, from the config. */
  reachVia?: Partial<Record<Locale, string>>;
}

export interface IntakeInput {
  locale: Locale;
  organisation: string;
  counsellors: CounsellorOption[];
  defaultCounsellorId?: string;
}

export interface IntakeContext extends IntakeInput {
  mode?: Mode;
  topic?: TopicId;
  counsellorId?: string;
  identity?: Identity;
  contact?: ContactDetails;
  report: ReportText;
  wishes?: WishId;
  /** Set by "edit" on the review, so the edited step returns straight to the review. */
  returnToReview?: boolean;
  receipt?: Receipt;
}

/** A one-off message shown before the current step's prompt (an error, help, the danger list). */
export interface Notice {
  text: MessageId;
  params?: Params;
  /** For form errors: which fields, so adapters can mark them. */
  errors?: FieldError[];
}

/** The draft part of the context: everything the melder entered. Wiped on stop, handoff and timeout. */
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

const choice = (e: FlowEvent): string | undefined => (e.type === "CHOOSE" ? e.choice : undefined);
const chose =
  (...ids: string[]) =>
  ({ event }: { event: FlowEvent }) =>
    ids.includes(choice(event) ?? "");

const note = (text: MessageId, params?: Params) => ({ type: "notify" as const, params: { text, params } });

export const intakeMachine = setup({
  types: {
    context: {} as IntakeContext,
    events: {} as FlowEvent,
    input: {} as IntakeInput,
  },
  actions: {
    // Implemented by the core (src/conversation); here they only name the effect.
    notify: (_, _params: Notice) => {},
    requestHandoff: () => {},
    wipe: () => {},
    clearDraft: assign(() => ({ ...EMPTY_DRAFT, receipt: undefined })),
  },
  guards: {
    reportMode: ({ context }) => context.mode === "report",
    validReport: ({ event, context }) =>
      event.type === "SUBMIT" &&
      event.form === "report" &&
      validateForm(reportForm(context.report), event.values).ok,
    validContact: ({ event, context }) =>
      event.type === "SUBMIT" &&
      event.form === "contact" &&
      validateForm(contactForm(context.contact), event.values).ok,
  },
}).createMachine({
  id: "intake",
  initial: "welcome",
  context: ({ input }) => ({ ...input, ...EMPTY_DRAFT }),
  on: {
    // Global routes, reachable from every step (invariant 5 and design §2 "Global").
    STOP: { target: ".stopped", actions: ["clearDraft", "wipe"] },
    DANGER: { actions: note("notice.danger") },
    HELP: { actions: note("notice.help") },
    TEXT: { actions: note("notice.useButtons") },
    // A repeated start (App Home opened again, "opnieuw") must never lose what was entered.
    START: { actions: note("notice.resumed") },
    CHOOSE: [
      { guard: chose("danger"), actions: note("notice.danger") },
      { guard: chose("stop"), target: ".stopped", actions: ["clearDraft", "wipe"] },
      { actions: note("notice.staleChoice") },
    ],
    SUBMIT: { actions: note("notice.staleChoice") },
  },
  states: {
    welcome: {
      on: {
        START: {},
        CHOOSE: [
          { guard: chose("continue"), target: "confidentiality" },
          { guard: chose("lang_nl"), target: "welcome", reenter: true, actions: assign({ locale: "nl" }) },
          { guard: chose("lang_en"), target: "welcome", reenter: true, actions: assign({ locale: "en" }) },
        ],
      },
    },
    confidentiality: {
      on: {
        CHOOSE: [
          { guard: chose("ack"), target: "need" },
          { guard: chose("more"), target: "confidentialityMore" },
        ],
      },
    },
    confidentialityMore: {
      on: { CHOOSE: [{ guard: chose("ack"), target: "need" }] },
    },
    need: {
      on: {
        CHOOSE: [
          { guard: chose("info"), target: "info" },
          { guard: chose("urgent"), target: "urgent" },
          { guard: chose("contact"), target: "topic", actions: assign({ mode: "contact" }) },
          { guard: chose("report"), target: "topic", actions: assign({ mode: "report" }) },
        ],
      },
    },
    info: {
      on: { CHOOSE: [{ guard: chose("back"), target: "need" }] },
    },
    urgent: {
      on: { CHOOSE: [{ guard: chose("back"), target: "need" }] },
    },
    topic: {
      on: {
        CHOOSE: [
          {
            guard: ({ event }) => isTopic(choice(event)) && isOutOfScope(choice(event) as TopicId),
            target: "topicReferral",
            actions: assign({ topic: ({ event }) => choice(event) as TopicId }),
          },
          {
            guard: ({ event }) => isTopic(choice(event)),
            target: "counsellor",
            actions: assign({ topic: ({ event }) => choice(event) as TopicId }),
          },
          { guard: chose("back"), target: "need" },
        ],
      },
    },
    topicReferral: {
      on: {
        CHOOSE: [
          { guard: chose("continue"), target: "counsellor" },
          { guard: chose("back"), target: "topic" },
        ],
      },
    },
    counsellor: {
      on: {
        CHOOSE: [
          {
            guard: ({ event, context }) =>
              pickedCounsellor(context, event) !== undefined && context.returnToReview === true,
            target: "review",
            actions: assign({
              counsellorId: ({ event, context }) => pickedCounsellor(context, event),
              returnToReview: false,
            }),
          },
          {
            guard: ({ event, context }) => pickedCounsellor(context, event) !== undefined,
            target: "identity",
            actions: assign({ counsellorId: ({ event, context }) => pickedCounsellor(context, event) }),
          },
          { guard: chose("back"), target: "topic" },
        ],
      },
    },
    identity: {
      on: {
        CHOOSE: [
          {
            guard: ({ event, context }) => choice(event) === "anonymous" && context.mode === "report",
            target: "report",
            actions: assign({ identity: "anonymous", contact: undefined }),
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
            guard: ({ event, context }) =>
              choice(event) === "via_chat" && context.mode === "report" && !context.returnToReview,
            target: "report",
            actions: assign({ contact: { viaChat: true } }),
          },
          {
            guard: chose("via_chat"),
            target: "review",
            actions: assign({ contact: { viaChat: true }, returnToReview: false }),
          },
          { guard: chose("back"), target: "identity" },
        ],
      },
    },
    contactForm: {
      on: {
        SUBMIT: [
          {
            guard: "validContact",
            target: "afterContact",
            actions: assign({
              contact: ({ event, context }) =>
                event.type === "SUBMIT"
                  ? toContact(validated(contactForm(context.contact), event.values))
                  : undefined,
            }),
          },
          {
            actions: {
              type: "notify",
              params: ({ context, event }) => formErrors(contactForm(context.contact), event),
            },
          },
        ],
        CHOOSE: [{ guard: chose("back"), target: "contactHow" }],
      },
    },
    afterContact: {
      always: [
        {
          guard: ({ context }) => context.returnToReview === true,
          target: "review",
          actions: assign({ returnToReview: false }),
        },
        { guard: "reportMode", target: "report" },
        { target: "review" },
      ],
    },
    report: {
      on: {
        SUBMIT: [
          {
            guard: "validReport",
            target: "review",
            actions: assign(({ event, context }) => {
              if (event.type !== "SUBMIT") return {};
              const { [WISHES_FIELD]: wish, ...text } = validated(reportForm(context.report), event.values);
              return {
                report: text as ReportText,
                wishes: (WISHES as readonly string[]).includes(wish ?? "") ? (wish as WishId) : undefined,
              };
            }),
          },
          {
            actions: {
              type: "notify",
              params: ({ context, event }) => formErrors(reportForm(context.report), event),
            },
          },
        ],
        CHOOSE: [
          // Sending without details is allowed: the counsellor can still make contact.
          { guard: chose("skip"), target: "review" },
          { guard: chose("back"), target: "identity" },
        ],
      },
    },
    review: {
      on: {
        CHOOSE: [
          { guard: chose("send"), target: "sending" },
          {
            guard: ({ event, context }) => choice(event) === "edit_report" && context.mode === "report",
            target: "report",
          },
          {
            guard: ({ event, context }) => choice(event) === "edit_contact" && context.identity === "named",
            target: "contactHow",
            actions: assign({ returnToReview: true }),
          },
          {
            guard: chose("edit_counsellor"),
            target: "counsellor",
            actions: assign({ returnToReview: true }),
          },
          { guard: chose("discard"), target: "stopped", actions: ["clearDraft", "wipe"] },
        ],
      },
    },
    sending: {
      entry: "requestHandoff",
      on: {
        HANDOFF_DONE: {
          target: "done",
          // Only the receipt survives; the draft goes at once (invariant 2).
          actions: [
            assign(({ event }) => ({
              ...EMPTY_DRAFT,
              receipt: event.type === "HANDOFF_DONE" ? event.receipt : undefined,
            })),
            "wipe",
          ],
        },
        HANDOFF_FAILED: [
          {
            guard: ({ event }) => event.type === "HANDOFF_FAILED" && event.reason === "key",
            target: "review",
            actions: note("notice.handoffKeyProblem"),
          },
          {
            guard: ({ event }) => event.type === "HANDOFF_FAILED" && event.reason === "delivery",
            target: "review",
            actions: note("notice.handoffDeliveryFailed"),
          },
          { target: "review", actions: note("notice.handoffInternalError") },
        ],
        CHOOSE: [
          { guard: chose("danger"), actions: note("notice.danger") },
          { actions: note("notice.busySending") },
        ],
        SUBMIT: { actions: note("notice.busySending") },
        // Stopping while sealing is honoured after the outcome; the draft is wiped either way.
        STOP: { actions: note("notice.busySending") },
      },
    },
    done: {
      on: {
        START: { target: "welcome", actions: "clearDraft" },
        CHOOSE: [{ guard: chose("restart"), target: "welcome", actions: "clearDraft" }],
      },
    },
    stopped: {
      on: {
        START: { target: "welcome" },
        CHOOSE: [{ guard: chose("restart"), target: "welcome" }],
      },
    },
  },
});

/** The counsellor a CHOOSE names: "counsellor:<id>", or "no_preference" when a default exists. */
function pickedCounsellor(context: IntakeContext, event: FlowEvent): string | undefined {
  const id = choice(event);
  if (id === "no_preference") return context.defaultCounsellorId;
  return context.counsellors.find((c) => `counsellor:${c.id}` === id)?.id;
}

function isTopic(id: string | undefined): boolean {
  return (TOPICS as readonly string[]).includes(id ?? "");
}

function validated(form: InputRequest, values: Record<string, string>): Record<string, string> {
  const result = validateForm(form, values);
  return result.ok ? result.values : {};
}

/** A form that failed validation: the notice names fields and errors, never values, and the draft is untouched. */
function formErrors(form: InputRequest, event: FlowEvent): Notice {
  if (event.type !== "SUBMIT" || event.form !== form.form) return { text: "notice.staleChoice" };
  const result = validateForm(form, event.values);
  return { text: "notice.formErrors", errors: result.ok ? [] : result.errors };
}

function toContact(values: Record<string, string>): ContactDetails {
  return { name: values.name, route: values.route };
}

export type IntakeMachine = typeof intakeMachine;
