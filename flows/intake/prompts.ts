/**
 * What each form step shows, derived purely from the state, the context and the organisation's
 * directory. These prompts appear only inside the form (modal, dialog, web page, terminal).
 */
import type { SnapshotFrom } from "xstate";
import { type Directory, counsellorParams } from "../directory.ts";
import {
  IN_SCOPE_TOPICS,
  OUT_OF_SCOPE_TOPICS,
  REPORT_FIELDS,
  type TopicId,
  UNSPECIFIED_TOPICS,
  topicGroup,
} from "../domain.ts";
import type { ChoiceId } from "../messages.ts";
import type { Choice, MessageId, Params, Prompt } from "../model.ts";
import { forSurface } from "../surface.ts";
import { contactForm, reportForm } from "./forms.ts";
import type { IntakeContext, IntakeNotice, intakeMachine } from "./machine.ts";

/** The form's states, derived from the machine. */
export type IntakeState = SnapshotFrom<typeof intakeMachine>["value"];

const ch = (id: ChoiceId, extra: Partial<Choice> = {}): Choice => ({ id, label: `choice.${id}`, ...extra });

/** In every form view: the danger route (invariant 6) and stopping with a wipe. */
export const FORM_GLOBALS: Choice[] = [ch("danger", { style: "danger" }), ch("stop")];

/** The order the topics are offered in: in scope first, "not sure" and "rather not say" last. */
export const TOPIC_ORDER: readonly TopicId[] = [
  ...IN_SCOPE_TOPICS,
  ...OUT_OF_SCOPE_TOPICS,
  ...UNSPECIFIED_TOPICS,
];

export function intakePrompts(state: IntakeState, ctx: IntakeContext, dir: Directory): Prompt[] {
  const body = stepPrompts(state, ctx, dir);
  const last = body[body.length - 1];
  if (last && state !== "sending") {
    const finished = state === "stopped" || state === "stoppedAfterSend";
    last.choices = [...(last.choices ?? []), ...FORM_GLOBALS.filter((g) => !finished || g.id === "danger")];
  }
  return forSurface(body, ctx.surface);
}

function stepPrompts(state: IntakeState, ctx: IntakeContext, dir: Directory): Prompt[] {
  switch (state) {
    case "mode":
      return [
        {
          text: "mode.question",
          options: [ch("report"), ch("contact")],
          submit: ch("next", { style: "primary" }),
        },
      ];
    case "topic":
      return [
        {
          text: "topic.question",
          options: TOPIC_ORDER.map((t) => ({ id: t, label: `topic.${t}` as const })),
          submit: ch("next", { style: "primary" }),
          choices: [ch("back")],
        },
      ];
    case "topicReferral":
      return [
        {
          text: `topic.outOfScope.${ctx.topic ?? "performance"}` as MessageId,
          submit: { id: "continue", label: "choice.continue_anyway", style: "primary" },
          choices: [{ id: "back", label: "choice.other_topic" }],
        },
      ];
    case "counsellor":
      return [
        { text: "counsellor.question" },
        ...dir.counsellors.map(
          (co): Prompt => ({ text: "counsellor.card", params: counsellorParams(co, ctx.locale) }),
        ),
        {
          text: "counsellor.pick",
          options: [
            ...dir.counsellors.map((co) => ({
              id: `counsellor:${co.id}`,
              label: "counsellor.choice" as const,
              params: { name: co.name },
            })),
            ...(ctx.defaultCounsellorId ? [ch("no_preference")] : []),
          ],
          submit: ch("next", { style: "primary" }),
          choices: [ch("back")],
        },
      ];
    case "identity":
      return [
        {
          text: "identity.question",
          options: [ch("anonymous"), ch("named")],
          submit: ch("next", { style: "primary" }),
          choices: [ch("back")],
        },
      ];
    case "contactHow":
      return [
        {
          text: ctx.mode === "contact" ? "contactHow.contactRequest" : "contactHow.question",
          options: [ch("typed"), ch("via_chat")],
          submit: ch("next", { style: "primary" }),
          choices: [ch("back")],
        },
      ];
    case "contactForm":
      return [
        {
          text: "contact.intro",
          input: contactForm(ctx.contact),
          submit: ch("next", { style: "primary" }),
          choices: [ch("back")],
        },
      ];
    case "report":
      return [
        {
          text: "report.intro",
          input: reportForm(ctx.report, ctx.wishes),
          submit: ch("next", { style: "primary" }),
          choices: [ch("back")],
        },
      ];
    case "review":
      return [
        {
          text: "review.summary",
          params: reviewParams(ctx, dir),
          submit: ch("send", { style: "primary" }),
          choices: [
            ch("edit_topic"),
            ch("edit_counsellor"),
            ...(ctx.mode === "report" ? [ch("edit_identity")] : []),
            ...(ctx.identity === "named" ? [ch("edit_contact")] : []),
            ...(ctx.mode === "report" ? [ch("edit_report")] : []),
            ch("discard"),
          ],
        },
      ];
    case "confirmDiscard":
      return [
        {
          text: "discard.confirm",
          submit: ch("discard_yes", { style: "danger" }),
          choices: [ch("back")],
        },
      ];
    case "sending":
      return [{ text: "sending.wait" }];
    case "done": {
      const co = dir.counsellors.find((x) => x.id === ctx.receipt?.counsellorId);
      return [
        {
          text: "done.receipt",
          params: {
            caseCode: ctx.receipt?.caseCode ?? "",
            date: ctx.receipt?.date ?? "",
            status: ctx.receipt?.status ?? "queued",
            counsellor: co?.name ?? "",
            reachVia: co ? (counsellorParams(co, ctx.locale).reachVia ?? "") : "",
            delayMinutes: dir.deliveryDelayMinutes,
          },
          choices: [ch("refresh")],
        },
      ];
    }
    case "stopped":
      return [{ text: "stopped.form" }];
    case "stoppedAfterSend":
      return [{ text: "notice.stopAfterSend" }];
    case "afterContact":
      // Transient (eventless) state; never at rest.
      return [];
  }
}

export function intakeNoticePrompts(notices: IntakeNotice[], ctx?: IntakeContext): Prompt[] {
  return forSurface(
    notices.map((n) => ({ text: n.text, notice: true })),
    ctx?.surface,
  );
}

/** The review shows, in the form only, exactly what will be sent. */
function reviewParams(ctx: IntakeContext, dir: Directory): Params {
  const co = dir.counsellors.find((x) => x.id === ctx.counsellorId);
  const p: Params = {
    mode: ctx.mode ?? "report",
    topic: ctx.topic ?? "not_sure",
    group: topicGroup(ctx.topic ?? "not_sure"),
    counsellor: co?.name ?? "",
    deputy: co?.deputyName ?? "",
    identity: ctx.identity ?? "anonymous",
    contactName: ctx.contact?.name ?? "",
    contactRoute: ctx.contact?.route ?? "",
    viaChat: ctx.contact?.viaChat ? 1 : 0,
    wishes: ctx.wishes ?? "",
  };
  for (const f of REPORT_FIELDS) p[`report_${f.id}`] = ctx.report[f.id] ?? "";
  return p;
}
