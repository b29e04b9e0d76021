/**
 * One simulated melder playing a whole conversation over signed HTTP: first DM → confidentiality
 * → report → topic → counsellor → anonymous → open the report modal → submit it → send (handoff).
 *
 * Each step sends one Slack request and waits for the bot's resulting Web API call on the fake
 * (correlated by the melder's own DM channel). The ack is the HTTP response; the full turn ends
 * when the message the melder waits for (the next prompt, or the modal) reaches the fake.
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

/** The whole conversation: 10 requests, the last one seals and delivers the handoff. */
export const SCRIPT: ScriptStep[] = [
  { name: "first_dm", kind: "home", expect: "vt_choice:continue" },
  { name: "welcome", kind: "click", action: "vt_choice:continue", expect: "vt_choice:ack" },
  { name: "confidentiality", kind: "click", action: "vt_choice:ack", expect: "vt_choice:report" },
  { name: "need", kind: "click", action: "vt_choice:report", expect: "vt_choice:bullying" },
  { name: "topic", kind: "click", action: "vt_choice:bullying", expect: "vt_choice:counsellor:demo-extern" },
  {
    name: "counsellor",
    kind: "click",
    action: "vt_choice:counsellor:demo-extern",
    expect: "vt_choice:anonymous",
  },
  { name: "identity", kind: "click", action: "vt_choice:anonymous", expect: "vt_open:report" },
  { name: "open_form", kind: "click", action: "vt_open:report", expect: "view" },
  { name: "submit_report", kind: "submit", expect: "vt_choice:send" },
  { name: "send_handoff", kind: "click", action: "vt_choice:send", expect: "vt_choice:restart" },
];

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
  ackMs?: number;
  turnMs?: number;
  status?: number;
  error?: "ack_status" | "ack_timeout" | "unavailable" | "missing_reply" | "deadline";
}

/** What a vertrouwd conversation looked like, replayed to the floor so request bodies match in size. */
export interface Templates {
  blocks: (Block[] | undefined)[];
  view?: View;
}

interface Reply {
  at: number;
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
      let channel = String(call.params.channel ?? "");
      let view: View | undefined;
      if (call.method === "views.open") {
        view = call.params.view as View;
        try {
          channel = String((JSON.parse(view.private_metadata ?? "{}") as { c?: string }).c ?? "");
        } catch {
          return;
        }
      }
      const waiter = this.#waiters.get(channel);
      if (!waiter || !waiter.match(call, message)) return;
      this.#waiters.delete(channel);
      waiter.done({
        at: call.at,
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
  teamId: string;
  stepTimeoutMs: number;
  /** performance.now() after which no further step is started. */
  deadline: number;
  /** Floor only: vertrouwd's blocks and modal to replay (same request sizes). */
  templates?: Templates;
}

export async function playConversation(
  options: MelderOptions,
): Promise<{ records: StepRecord[]; templates: Templates }> {
  const { target, sender, router, teamId } = options;
  const user = newId("U");
  const channel = newId("D");
  const records: StepRecord[] = [];
  const seen: Templates = { blocks: [] };
  let prompt: Prompt | undefined;
  let view: View | undefined;

  for (const [index, step] of SCRIPT.entries()) {
    if (performance.now() > options.deadline) {
      records.push({ step: step.name, ok: false, error: "deadline" });
      break;
    }
    const after = prompt ? Number(prompt.ts) : Number.NEGATIVE_INFINITY;
    const expectView = target === "vertrouwd" && step.expect === "view";
    const wait = router.wait(
      channel,
      (call, message) => {
        if (expectView) return call.method === "views.open";
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
        : step.kind === "click"
          ? await sender.interaction(
              blockActions({
                user,
                channel,
                teamId,
                message: { ts: prompt?.ts ?? nowTs(), blocks: clickBlocks(options, index, prompt) },
                actionId: step.action ?? "",
              }),
            )
          : await sender.interaction(
              viewSubmission(submitView(options, view, channel, prompt), REPORT_VALUES, user, teamId),
            );

    if (step.kind === "click") seen.blocks[index] = prompt?.blocks;
    if (step.kind === "submit") seen.view = view;
    if (ack.status !== 200) {
      wait.cancel();
      records.push({
        step: step.name,
        ok: false,
        status: ack.status,
        ackMs: ack.ms,
        error: ack.status === 0 ? "ack_timeout" : "ack_status",
      });
      break;
    }
    const reply = await wait.promise;
    if (!reply) {
      records.push({ step: step.name, ok: false, status: 200, ackMs: ack.ms, error: "missing_reply" });
      break;
    }
    if (target === "vertrouwd" && reply.text === UNAVAILABLE_TEXT) {
      records.push({ step: step.name, ok: false, status: 200, ackMs: ack.ms, error: "unavailable" });
      break;
    }
    records.push({ step: step.name, ok: true, status: 200, ackMs: ack.ms, turnMs: reply.at - ack.startedAt });
    if (reply.prompt) prompt = reply.prompt;
    if (reply.view) view = reply.view;
  }
  return { records, templates: seen };
}

let tsSeq = 0;
const nowTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsSeq % 1_000_000).padStart(6, "0")}`;

/** The message the click comes from: vertrouwd's own prompt, or the replayed template for the floor. */
function clickBlocks(options: MelderOptions, index: number, prompt: Prompt | undefined): Block[] {
  if (options.target === "floor") return options.templates?.blocks[index] ?? prompt?.blocks ?? [];
  return prompt?.blocks ?? [];
}

function submitView(
  options: MelderOptions,
  view: View | undefined,
  channel: string,
  prompt: Prompt | undefined,
): View {
  if (options.target === "vertrouwd") return view ?? {};
  const template = options.templates?.view ?? { callback_id: "vt_form", blocks: [] };
  // The floor reads the DM channel from private_metadata, as vertrouwd does.
  return {
    ...template,
    private_metadata: JSON.stringify({ f: "report", l: "nl", c: channel, t: prompt?.ts ?? "0" }),
  };
}

function blockActions(p: {
  user: string;
  channel: string;
  teamId: string;
  message: Prompt;
  actionId: string;
}): Record<string, unknown> {
  const actions = p.message.blocks.find((b) => b.type === "actions");
  const button = (actions?.elements ?? []).find((e) => e.action_id === p.actionId) ??
    actions?.elements?.[0] ?? { value: "" };
  return {
    type: "block_actions",
    user: { id: p.user, team_id: p.teamId },
    team: { id: p.teamId },
    api_app_id: "A0BENCH",
    trigger_id: newId("trg."),
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
        block.element?.type === "static_select"
          ? {
              type: "static_select",
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
    view: {
      id: view.id ?? newId("V"),
      hash: view.hash ?? newId("h."),
      type: "modal",
      callback_id: view.callback_id ?? "vt_form",
      private_metadata: view.private_metadata,
      state: { values: state },
    },
  };
}
