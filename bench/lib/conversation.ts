/**
 * One simulated melder playing a whole conversation over signed HTTP: first DM → welcome →
 * confidentiality → open the form (views.open) → in the modal: report, topic, counsellor,
 * anonymous, the report's fields (~1 KB), send (seal + deliver before the ack).
 *
 * Each chat step sends one Slack request and waits for the bot's resulting Web API call on the
 * fake (correlated by the melder's own DM channel): the full turn ends when Slack has answered
 * the call the melder waits for (the next prompt, or the modal). A modal step is answered in its
 * ack (`response_action: update`), so its full turn is the ack.
 */
import { performance } from "node:perf_hooks";
import { t } from "../../src/content/index.ts";
import type { FakeSlackApi, StoredMessage, WebApiCall } from "./fake-slack-api.ts";
import { type SlackSender, newId } from "./slack-requests.ts";

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the bot sent it.
type Block = { type: string; block_id?: string; elements?: any[]; element?: any; [k: string]: any };
interface View {
  id?: string;
  hash?: string;
  callback_id?: string;
  private_metadata?: string;
  blocks?: Block[];
  submit?: unknown;
  title?: unknown;
  close?: unknown;
}
interface Prompt {
  ts: string;
  blocks: Block[];
}

export type Target = "vertrouwd" | "floor";

export type StepKind = "home" | "click" | "submit";
export interface ScriptStep {
  name: string;
  kind: StepKind;
  /** The button pressed (click steps). */
  action?: string;
  /** What vertrouwd answers with: a prompt carrying this button, or the modal ("view"). */
  expect: string;
}

/**
 * The chat part of a conversation: first DM, welcome, confidentiality, then "open the form"
 * (views.open). The rest happens in the modal (see FORM_ANSWERS).
 */
export const CHAT_SCRIPT: ScriptStep[] = [
  { name: "first_dm", kind: "home", expect: "vt_choice:continue" },
  { name: "welcome", kind: "click", action: "vt_choice:continue", expect: "vt_choice:ack" },
  { name: "confidentiality", kind: "click", action: "vt_choice:ack", expect: "vt_choice:form" },
  { name: "open_form", kind: "click", action: "vt_choice:form", expect: "view" },
];

/**
 * In the modal, each step is one view_submission answered in its ack (`response_action:
 * update`): the option picked where the view offers one of these, the report's fields where it
 * asks for them, its main button otherwise — to the send (seal + deliver) and the receipt.
 */
export const FORM_ANSWERS = ["report", "bullying", "no_preference", "anonymous"];
/** The last submission: the review's "send" (the handoff is sealed before its ack). */
export const SEND_STEP = "form:send";
const FORM_STEPS_MAX = 15;

/** About 1 KB of report text: a realistic first report, well inside the 16 KiB pad bucket. */
export const REPORT_VALUES: Record<string, string> = {
  what: `${"Mijn leidinggevende maakt in het teamoverleg steeds kleinerende opmerkingen over mijn werk en mijn accent. ".repeat(9)}`.trim(),
  when: "sinds maart, wekelijks",
  where: "teamoverleg, kantoor Utrecht",
  wishes: "advice",
};

export interface StepRecord {
  step: string;
  ok: boolean;
  /** The melder's DM (to find the turn's Web API calls in the fake's log). */
  channel: string;
  /** performance.now() when the request was sent, and when the awaited call reached the fake. */
  startedAt?: number;
  endAt?: number;
  /** A modal step: the answer is the ack itself, no Web API call is waited for. */
  answeredInAck?: boolean;
  /** open_form: click → views.open reaching Slack (the trigger_id's 3 s run until then). */
  reachedSlackMs?: number;
  ackMs?: number;
  turnMs?: number;
  status?: number;
  error?:
    | "ack_status"
    | "ack_timeout"
    | "unavailable"
    | "missing_reply"
    | "deadline"
    | "trigger_expired"
    | "form_refused";
}

/** What a vertrouwd conversation looked like, replayed to the floor so request bodies match in size. */
export interface Templates {
  blocks: (Block[] | undefined)[];
  /** The modal views the melder submitted, in order, and the step names. */
  views: View[];
  steps: string[];
}

interface Reply {
  /** When the awaited call reached Slack, and when Slack had answered it. */
  at: number;
  doneAt: number;
  /** Slack refused the call the melder waited for (views.open: expired_trigger_id). */
  refused?: string;
  prompt?: Prompt;
  view?: View;
  text?: string;
}

interface Waiter {
  match(call: WebApiCall, message?: StoredMessage): boolean;
  done(result: Reply | undefined): void;
}

/** Routes the fake's calls to the melder waiting on that DM channel. */
export class ReplyRouter {
  readonly #waiters = new Map<string, Waiter>();
  readonly #unsubscribe: () => void;

  constructor(fake: FakeSlackApi) {
    this.#unsubscribe = fake.onCall((call, message) => {
      // The fake names the melder's DM for every call (views.* by the channel that issued the trigger).
      const channel = String(call.params.channel ?? "");
      const view = call.method === "views.open" ? (call.params.view as View) : undefined;
      const waiter = this.#waiters.get(channel);
      if (!waiter || !waiter.match(call, message)) return;
      this.#waiters.delete(channel);
      waiter.done({
        at: call.at,
        doneAt: call.doneAt,
        ...(call.refused ? { refused: call.refused } : {}),
        ...(message
          ? { prompt: { ts: message.ts, blocks: (message.blocks ?? []) as Block[] }, text: message.text }
          : {}),
        ...(view ? { view } : {}),
      });
    });
  }

  wait(
    channel: string,
    match: Waiter["match"],
    timeoutMs: number,
  ): { promise: Promise<Reply | undefined>; cancel(): void } {
    let cancel = () => {};
    const promise = new Promise<Reply | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(channel);
        resolve(undefined);
      }, timeoutMs);
      const done = (r: Reply | undefined) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.#waiters.set(channel, { match, done });
      cancel = () => {
        this.#waiters.delete(channel);
        done(undefined);
      };
    });
    return { promise, cancel };
  }

  close(): void {
    this.#unsubscribe();
  }
}

/** What the bot posts when a turn could not run (store timeout, lock busy): a failed turn, not a slow one. */
const UNAVAILABLE_TEXT = t("nl", "notice.unavailable");

const hasButton = (blocks: Block[] | undefined, actionId: string): boolean =>
  (blocks ?? []).some(
    (b) => b.type === "actions" && (b.elements ?? []).some((e) => e.action_id === actionId),
  );

export interface MelderOptions {
  target: Target;
  sender: SlackSender;
  router: ReplyRouter;
  fake: FakeSlackApi;
  teamId: string;
  stepTimeoutMs: number;
  /** performance.now() after which no further step is started. */
  deadline: number;
  /** Floor only: vertrouwd's blocks and modal to replay (same request sizes). */
  templates?: Templates;
  /** A person's pause before each step after the first (ms); none in the closed-loop runs. */
  thinkMs?: () => number;
}

export async function playConversation(
  options: MelderOptions,
): Promise<{ records: StepRecord[]; templates: Templates; finished: boolean }> {
  const { target, sender, router, teamId, fake } = options;
  const user = newId("U");
  const channel = newId("D");
  const records: StepRecord[] = [];
  const seen: Templates = { blocks: [], views: [], steps: [] };
  let prompt: Prompt | undefined;
  let view: View | undefined;

  const think = async () => {
    const ms = options.thinkMs?.() ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  };
  for (const [index, step] of CHAT_SCRIPT.entries()) {
    if (index > 0) await think();
    if (performance.now() > options.deadline) {
      records.push({ step: step.name, channel, ok: false, error: "deadline" });
      return { records, templates: seen, finished: false };
    }
    const after = prompt ? Number(prompt.ts) : Number.NEGATIVE_INFINITY;
    const expectView = target === "vertrouwd" && step.expect === "view";
    const wait = router.wait(
      channel,
      (call, message) => {
        if (expectView) return call.method === "views.open";
        if (call.refused) return false;
        if (call.method !== "chat.postMessage" || !message || Number(message.ts) <= after) return false;
        // The floor answers every request with one message; vertrouwd with the step's prompt.
        return (
          target === "floor" ||
          message.text === UNAVAILABLE_TEXT ||
          hasButton(message.blocks as Block[], step.expect)
        );
      },
      options.stepTimeoutMs,
    );

    const ack =
      step.kind === "home"
        ? await sender.event(teamId, {
            type: "app_home_opened",
            user,
            channel,
            tab: "messages",
            event_ts: nowTs(),
          })
        : await sender.interaction(
            blockActions({
              user,
              channel,
              teamId,
              message: { ts: prompt?.ts ?? nowTs(), blocks: clickBlocks(options, index, prompt) },
              actionId: step.action ?? "",
              triggerId: fake.trigger(channel),
              responseUrl: fake.responseUrl(channel, prompt?.ts ?? "0"),
            }),
          );

    if (step.kind === "click") seen.blocks[index] = prompt?.blocks;
    if (ack.status !== 200) {
      wait.cancel();
      records.push({
        step: step.name,
        channel,
        startedAt: ack.startedAt,
        ok: false,
        status: ack.status,
        ackMs: ack.ms,
        error: ack.status === 0 ? "ack_timeout" : "ack_status",
      });
      return { records, templates: seen, finished: false };
    }
    const reply = await wait.promise;
    if (!reply) {
      records.push({
        step: step.name,
        channel,
        ok: false,
        status: 200,
        ackMs: ack.ms,
        error: "missing_reply",
      });
      return { records, templates: seen, finished: false };
    }
    const base = {
      step: step.name,
      channel,
      startedAt: ack.startedAt,
      endAt: reply.at,
      status: 200,
      ackMs: ack.ms,
      ...(step.expect === "view" ? { reachedSlackMs: reply.at - ack.startedAt } : {}),
    };
    if (reply.refused) {
      records.push({ ...base, ok: false, turnMs: reply.doneAt - ack.startedAt, error: "trigger_expired" });
      return { records, templates: seen, finished: false };
    }
    if (target === "vertrouwd" && reply.text === UNAVAILABLE_TEXT) {
      records.push({ ...base, ok: false, error: "unavailable" });
      return { records, templates: seen, finished: false };
    }
    records.push({ ...base, ok: true, turnMs: reply.doneAt - ack.startedAt });
    if (reply.prompt) prompt = reply.prompt;
    if (reply.view) view = reply.view;
  }

  // The modal: each step's answer is the submission's ack (the next view), for both systems.
  const replay = options.templates?.views ?? [];
  for (let i = 0; i < FORM_STEPS_MAX; i++) {
    const current = target === "vertrouwd" ? view : forFloor(replay[i], channel);
    if (!current) break;
    const stepName = target === "vertrouwd" ? formStepName(current) : (options.templates?.steps[i] ?? "form");
    await think();
    if (performance.now() > options.deadline) {
      records.push({ step: stepName, channel, ok: false, error: "deadline" });
      return { records, templates: seen, finished: false };
    }
    seen.views.push(current);
    seen.steps.push(stepName);
    const ack = await sender.interaction(viewSubmission(current, formValues(current), user, teamId));
    const base = { step: stepName, channel, startedAt: ack.startedAt, status: ack.status, ackMs: ack.ms };
    if (ack.status !== 200) {
      records.push({ ...base, ok: false, error: ack.status === 0 ? "ack_timeout" : "ack_status" });
      return { records, templates: seen, finished: false };
    }
    let answer: { response_action?: string; view?: View } = {};
    try {
      answer = ack.body ? (JSON.parse(ack.body) as typeof answer) : {};
    } catch {
      // the floor may answer with an empty body
    }
    if (target === "vertrouwd" && answer.response_action !== "update") {
      records.push({ ...base, ok: false, error: "form_refused" });
      return { records, templates: seen, finished: false };
    }
    records.push({ ...base, ok: true, answeredInAck: true, turnMs: ack.ms });
    if (target === "vertrouwd") {
      view = answer.view;
      // The receipt: the form is finished and offers no main button any more.
      if (!view?.submit) break;
    }
  }
  return { records, templates: seen, finished: true };
}

/** What a form step is, from its view: the option it offers, the form it asks, or its button. */
function formStepName(view: View): string {
  const meta = parseMeta(view);
  if (meta?.kind === "input") return `form:${meta.form ?? "input"}_fields`;
  if (meta?.kind === "choice") return `form:${meta.id ?? "choice"}`;
  const offered = optionValues(view);
  return `form:${FORM_ANSWERS.find((a) => offered.includes(a)) ?? offered[0] ?? "step"}`;
}

function parseMeta(view: View): { kind?: string; form?: string; id?: string } | undefined {
  try {
    return (
      JSON.parse(view.private_metadata ?? "{}") as { m?: { kind?: string; form?: string; id?: string } }
    ).m;
  } catch {
    return undefined;
  }
}

function optionValues(view: View): string[] {
  const choice = (view.blocks ?? []).find((b) => b.block_id === "choice");
  return ((choice?.element?.options ?? []) as { value: string }[]).map((o) => o.value);
}

/** The values a melder gives this view: a picked option, or the report's fields. */
function formValues(view: View): Record<string, string> {
  const offered = optionValues(view);
  if (offered.length > 0)
    return { choice: FORM_ANSWERS.find((a) => offered.includes(a)) ?? (offered[0] as string) };
  return REPORT_VALUES;
}

/** The floor reads the DM channel from private_metadata; the view is vertrouwd's, for its size. */
function forFloor(template: View | undefined, channel: string): View | undefined {
  if (!template) return undefined;
  return { ...template, private_metadata: JSON.stringify({ c: channel, pad: template.private_metadata }) };
}

let tsSeq = 0;
const nowTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsSeq % 1_000_000).padStart(6, "0")}`;

/** The message the click comes from: vertrouwd's own prompt, or the replayed template for the floor. */
function clickBlocks(options: MelderOptions, index: number, prompt: Prompt | undefined): Block[] {
  if (options.target === "floor") return options.templates?.blocks[index] ?? prompt?.blocks ?? [];
  return prompt?.blocks ?? [];
}

function blockActions(p: {
  user: string;
  channel: string;
  teamId: string;
  message: Prompt;
  actionId: string;
  triggerId: string;
  responseUrl: string;
}): Record<string, unknown> {
  const actions = p.message.blocks.find((b) => b.type === "actions");
  const button = (actions?.elements ?? []).find((e) => e.action_id === p.actionId) ??
    actions?.elements?.[0] ?? { value: "" };
  return {
    type: "block_actions",
    user: { id: p.user, team_id: p.teamId },
    team: { id: p.teamId },
    api_app_id: "A0BENCH",
    trigger_id: p.triggerId,
    response_url: p.responseUrl,
    container: { type: "message", message_ts: p.message.ts, channel_id: p.channel, is_ephemeral: false },
    channel: { id: p.channel },
    message: { type: "message", ts: p.message.ts, bot_id: "BBENCHBOT", blocks: p.message.blocks },
    actions: [
      {
        type: "button",
        action_id: p.actionId,
        block_id: actions?.block_id ?? "b",
        value: button.value ?? "",
        text: { type: "plain_text", text: button.text?.text ?? "" },
        action_ts: nowTs(),
      },
    ],
  };
}

function viewSubmission(
  view: View,
  values: Record<string, string>,
  user: string,
  teamId: string,
): Record<string, unknown> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks ?? []) {
    if (block.type !== "input" || !block.block_id) continue;
    const value = values[block.block_id];
    state[block.block_id] = {
      value:
        block.element?.type === "static_select" || block.element?.type === "radio_buttons"
          ? {
              type: block.element.type,
              selected_option: value ? { value, text: { type: "plain_text", text: value } } : null,
            }
          : { type: "plain_text_input", value: value ?? null },
    };
  }
  return {
    type: "view_submission",
    user: { id: user, team_id: teamId },
    team: { id: teamId },
    api_app_id: "A0BENCH",
    trigger_id: newId("trg."),
    // Slack sends the whole view with its state.
    view: {
      ...view,
      id: view.id ?? newId("V"),
      hash: view.hash ?? newId("h."),
      type: "modal",
      callback_id: view.callback_id ?? "vt_form",
      private_metadata: view.private_metadata,
      state: { values: state },
    },
  };
}
