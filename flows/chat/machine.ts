/**
 * The chat flow: neutral navigation only (design §1, invariant 1). Welcome, confidentiality and
 * its limits, information, urgent help, and the door to the form. It never learns anything about
 * the matter: what the melder chooses or writes lives in the form flow (flows/intake), whose
 * draft the chat cannot see. Two conversations that differ only in the matter therefore walk
 * this machine identically.
 *
 * Pure XState v5: no I/O, no strings. Notices are `notify` actions the core collects.
 */
import { assign, setup } from "xstate";
import { INFO_SCREENS, type InfoScreen, type Locale, type Surface } from "../domain.ts";
import type { FlowEvent, MessageId } from "../model.ts";

export interface ChatInput {
  locale: Locale;
  /** Absent: a chat platform. "web": the secure web page runs this flow in the browser. */
  surface?: Surface;
}

export interface ChatContext {
  locale: Locale;
  /** Kept only for the web page; a chat record never holds it (see records.ts). */
  surface?: Surface;
  /** The information screen being shown (state "infoScreen"). */
  screen?: InfoScreen;
}

/** Events the core adds: what happened in the form, told to the chat without its content. */
export type ChatEvent =
  | FlowEvent
  /** The form was sent (the chat says so neutrally; the receipt stays in the form). */
  | { type: "FORM_SENT" }
  /** The form window was closed without sending; its draft is wiped. */
  | { type: "FORM_CLOSED" }
  /** Stop or discard inside the form: everything is wiped. */
  | { type: "FORM_STOPPED" };

/** A one-off message shown before the current step's prompt. */
export interface ChatNotice {
  text: MessageId;
}

const choice = (e: ChatEvent): string | undefined => (e.type === "CHOOSE" ? e.choice : undefined);
const chose =
  (...ids: string[]) =>
  ({ event }: { event: ChatEvent }) =>
    ids.includes(choice(event) ?? "");
const note = (text: MessageId) => ({ type: "notify" as const, params: { text } });
const screenOf = (e: ChatEvent): InfoScreen | undefined => {
  const id = choice(e);
  const screen = id?.startsWith("info:") ? id.slice(5) : undefined;
  return (INFO_SCREENS as readonly string[]).includes(screen ?? "") ? (screen as InfoScreen) : undefined;
};

export const chatMachine = setup({
  types: {
    context: {} as ChatContext,
    events: {} as ChatEvent,
    input: {} as ChatInput,
  },
  actions: {
    // Named effects the core runs; here they only name them.
    notify: (_, _params: ChatNotice) => {},
    /** Stop: the core wipes the open form's draft too (by raising the chat's epoch). */
    stopAll: () => {},
  },
}).createMachine({
  id: "chat",
  initial: "welcome",
  context: ({ input }) => ({
    locale: input.locale,
    ...(input.surface === "web" ? { surface: "web" as const } : {}),
  }),
  on: {
    // Global routes, reachable from every step (invariant 6).
    STOP: { target: ".stopped", actions: "stopAll" },
    DANGER: { actions: note("notice.danger") },
    HELP: { actions: note("notice.help") },
    TEXT: { actions: note("notice.typed") },
    // A repeated start (App Home opened again, "opnieuw") never loses the place.
    START: { actions: note("notice.resumed") },
    FORM_SENT: { target: ".sent" },
    FORM_CLOSED: { target: ".form", actions: note("notice.formClosed") },
    FORM_STOPPED: { target: ".stopped" },
    CHOOSE: [
      { guard: chose("danger"), actions: note("notice.danger") },
      { guard: chose("stop"), target: ".stopped", actions: "stopAll" },
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
    // The first step after the acknowledgement: nothing about the matter is asked before it.
    need: {
      on: {
        CHOOSE: [
          { guard: chose("info"), target: "info" },
          { guard: chose("urgent"), target: "urgent" },
          { guard: chose("form"), target: "form" },
        ],
      },
    },
    info: {
      on: {
        CHOOSE: [
          {
            guard: ({ event }) => screenOf(event) !== undefined,
            target: "infoScreen",
            actions: assign({ screen: ({ event }) => screenOf(event) }),
          },
          { guard: chose("back"), target: "need" },
        ],
      },
    },
    infoScreen: {
      on: {
        CHOOSE: [
          {
            guard: ({ event }) => screenOf(event) !== undefined,
            target: "infoScreen",
            reenter: true,
            actions: assign({ screen: ({ event }) => screenOf(event) }),
          },
          { guard: chose("info"), target: "info" },
          { guard: chose("back"), target: "need" },
        ],
      },
    },
    urgent: {
      on: { CHOOSE: [{ guard: chose("back"), target: "need" }] },
    },
    // The form is offered (and, on platforms with windows, open). Pressing the button again
    // opens a new form; the core wipes nothing here because it cannot see any draft.
    form: {
      on: {
        CHOOSE: [
          { guard: chose("form"), target: "form", reenter: true },
          { guard: chose("back"), target: "need" },
        ],
      },
    },
    sent: {
      on: {
        // Stopping after sending does not withdraw the report: say so plainly.
        STOP: { target: "stopped", actions: note("notice.stopAfterSend") },
        CHOOSE: [
          { guard: chose("stop"), target: "stopped", actions: note("notice.stopAfterSend") },
          { guard: chose("back"), target: "need" },
          { guard: chose("form"), target: "form" },
        ],
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

export type ChatMachine = typeof chatMachine;
