/**
 * What each step shows, derived purely from the machine's state and context.
 * Adapters render these; the flow never holds a sentence.
 */
import type { Locale } from "../domain.ts";
import { IN_SCOPE_TOPICS, OUT_OF_SCOPE_TOPICS, REPORT_FIELDS } from "../domain.ts";
import type { ChoiceId } from "../messages.ts";
import type { Choice, MessageId, Params, Prompt } from "../model.ts";
import { contactForm, reportForm } from "./forms.ts";
import type { CounsellorOption, IntakeContext, Notice } from "./machine.ts";

/** The state names of the intake machine, for adapters and tests. */
export type IntakeState =
  | "welcome"
  | "confidentiality"
  | "confidentialityMore"
  | "need"
  | "info"
  | "urgent"
  | "topic"
  | "topicReferral"
  | "counsellor"
  | "identity"
  | "contactHow"
  | "contactForm"
  | "afterContact"
  | "report"
  | "review"
  | "sending"
  | "done"
  | "stopped";

const c = (id: string, label: MessageId, extra: Partial<Choice> = {}): Choice => ({ id, label, ...extra });
const ch = (id: ChoiceId, extra: Partial<Choice> = {}): Choice => c(id, `choice.${id}`, extra);

/** Offered on every step: the danger route (invariant 5) and stopping with a wipe. */
const GLOBAL_CHOICES: Choice[] = [
  c("danger", "choice.danger", { style: "danger" }),
  c("stop", "choice.stop"),
];

export function promptsFor(state: IntakeState, ctx: IntakeContext): Prompt[] {
  const body = stepPrompts(state, ctx);
  if (state === "sending") return body;
  // The global choices ride on the last prompt of the step, so each step offers them once.
  const last = body[body.length - 1];
  if (last)
    last.choices = [
      ...(last.choices ?? []),
      ...GLOBAL_CHOICES.filter((g) => !(state === "stopped" && g.id === "stop")),
    ];
  return body;
}

function stepPrompts(state: IntakeState, ctx: IntakeContext): Prompt[] {
  switch (state) {
    case "welcome":
      return [
        {
          text: "welcome.intro",
          params: { organisation: ctx.organisation },
          choices: [
            ch("continue", { style: "primary" }),
            ctx.locale === "nl" ? ch("lang_en") : ch("lang_nl"),
          ],
        },
      ];
    case "confidentiality":
      return [{ text: "confidentiality.short", choices: [ch("ack", { style: "primary" }), ch("more")] }];
    case "confidentialityMore":
      return [{ text: "confidentiality.long", choices: [ch("ack", { style: "primary" })] }];
    case "need":
      return [{ text: "need.question", choices: [ch("info"), ch("urgent"), ch("contact"), ch("report")] }];
    case "info":
      return [
        { text: "info.role" },
        ...ctx.counsellors.map(
          (co): Prompt => ({ text: "info.counsellor", params: counsellorParams(co, ctx.locale) }),
        ),
        { text: "info.back", choices: [ch("back", { style: "primary" })] },
      ];
    case "urgent":
      return [{ text: "urgent.referrals", choices: [ch("back")] }];
    case "topic":
      return [
        {
          text: "topic.question",
          choices: [
            ...[...IN_SCOPE_TOPICS, ...OUT_OF_SCOPE_TOPICS, "not_sure" as const].map((t) =>
              c(t, `topic.${t}`),
            ),
            ch("back"),
          ],
        },
      ];
    case "topicReferral":
      return [
        {
          text: "topic.outOfScope",
          params: { topic: ctx.topic ?? "not_sure" },
          choices: [ch("continue", { style: "primary" }), ch("back")],
        },
      ];
    case "counsellor":
      return [
        ...ctx.counsellors.map((co) => ({
          text: "counsellor.card" as const,
          params: counsellorParams(co, ctx.locale),
        })),
        {
          text: "counsellor.question",
          choices: [
            ...ctx.counsellors.map((co) =>
              c(`counsellor:${co.id}`, "counsellor.choice", { params: { name: co.name } }),
            ),
            ...(ctx.defaultCounsellorId ? [ch("no_preference")] : []),
            ch("back"),
          ],
        },
      ];
    case "identity":
      return ctx.mode === "report"
        ? [{ text: "identity.question", choices: [ch("anonymous"), ch("named"), ch("back")] }]
        : [{ text: "identity.contactOnly", choices: [ch("named", { style: "primary" }), ch("back")] }];
    case "contactHow":
      return [{ text: "contactHow.question", choices: [ch("typed"), ch("via_chat"), ch("back")] }];
    case "contactForm":
      return [{ text: "contact.prompt", input: contactForm(ctx.contact), choices: [ch("back")] }];
    case "report":
      return [
        {
          text: "report.prompt",
          input: reportForm(ctx.report, ctx.wishes),
          choices: [ch("skip"), ch("back")],
        },
      ];
    case "review":
      return [
        {
          text: "review.summary",
          params: reviewParams(ctx),
          sensitive: true,
          choices: [
            ch("send", { style: "primary" }),
            ...(ctx.mode === "report" ? [ch("edit_report")] : []),
            ...(ctx.identity === "named" ? [ch("edit_contact")] : []),
            ch("edit_counsellor"),
            ch("discard", { style: "danger" }),
          ],
        },
      ];
    case "sending":
      return [{ text: "sending.wait" }];
    case "done": {
      const co = ctx.counsellors.find((x) => x.id === ctx.receipt?.counsellorId);
      return [
        {
          text: "done.receipt",
          params: {
            caseCode: ctx.receipt?.caseCode ?? "",
            date: ctx.receipt?.date ?? "",
            sha256: ctx.receipt?.sha256 ?? "",
            counsellor: co?.name ?? "",
          },
        },
        {
          text: "done.next",
          params: {
            counsellor: co?.name ?? "",
            reachVia: co?.reachVia?.[ctx.locale] ?? co?.reachVia?.nl ?? "",
          },
          choices: [ch("restart")],
        },
      ];
    }
    case "stopped":
      return [{ text: "stopped.wiped", choices: [ch("restart", { style: "primary" })] }];
    case "afterContact":
      // Transient (eventless) state; never at rest.
      return [];
  }
}

/** Notices from the `notify` action, turned into prompts shown before the step's own prompts. */
export function noticePrompts(notices: Notice[]): Prompt[] {
  return notices.flatMap((n): Prompt[] => {
    if (n.text === "notice.formErrors" && n.errors && n.errors.length > 0) {
      return n.errors.map((e) => ({
        text:
          e.error === "tooLong"
            ? ("notice.fieldTooLong" as const)
            : e.error === "required"
              ? ("notice.fieldRequired" as const)
              : ("notice.fieldInvalid" as const),
        params: { field: e.field, max: maxLengthOf(e.field) },
      }));
    }
    return [{ text: n.text, ...(n.params ? { params: n.params } : {}) }];
  });
}

function maxLengthOf(field: string): number {
  return REPORT_FIELDS.find((f) => f.id === field)?.maxLength ?? (field === "name" ? 200 : 300);
}

function counsellorParams(co: CounsellorOption, locale: Locale): Params {
  return {
    id: co.id,
    name: co.name,
    kind: co.kind,
    languages: co.languages.join(","),
    intro: co.introduction[locale] ?? co.introduction.nl ?? "",
  };
}

/** The review shows what will be sent. Its params carry report text, so the prompt is marked sensitive. */
function reviewParams(ctx: IntakeContext): Params {
  const co = ctx.counsellors.find((x) => x.id === ctx.counsellorId);
  const p: Params = {
    mode: ctx.mode ?? "report",
    topic: ctx.topic ?? "not_sure",
    counsellor: co?.name ?? "",
    identity: ctx.identity ?? "anonymous",
    contactName: ctx.contact?.name ?? "",
    contactRoute: ctx.contact?.route ?? "",
    viaChat: ctx.contact?.viaChat ? 1 : 0,
    wishes: ctx.wishes ?? "",
  };
  for (const f of REPORT_FIELDS) p[`report_${f.id}`] = ctx.report[f.id] ?? "";
  return p;
}
