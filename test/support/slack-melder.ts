/**
 * A melder in Slack, as the tests (over HTTP or Socket Mode) and the benchmark drive one: opens
 * the DM, types, clicks chat buttons, and works the modal — picks an option, fills fields,
 * presses its buttons, submits, closes — with payloads shaped like Slack's. The bot's answers are
 * read back from the fake Web API (messages, views) and from the acks.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { FakeSlack, ModalView, StoredMessage } from "./fake-slack.ts";

export interface SlackPost {
  status: number;
  /** The ack's body (for a view submission: the response_action JSON). */
  body: string;
}

/** How payloads reach the bot: signed HTTP requests, or Socket Mode envelopes. */
export interface SlackTransport {
  event(envelope: Record<string, unknown>, headers?: Record<string, string>): Promise<SlackPost>;
  interaction(payload: Record<string, unknown>): Promise<SlackPost>;
}

export function sign(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}

/** Signed HTTP requests to the bot's /slack/events, as Slack sends them. */
export function httpTransport(eventsUrl: string, secret: string): SlackTransport {
  const post = async (body: string, contentType: string, headers: Record<string, string> = {}) => {
    const res = await fetch(eventsUrl, {
      method: "POST",
      headers: { "content-type": contentType, ...sign(secret, body), ...headers },
      body,
    });
    return { status: res.status, body: await res.text() };
  };
  return {
    event: (envelope, headers) => post(JSON.stringify(envelope), "application/json", headers),
    interaction: (payload) =>
      post(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        "application/x-www-form-urlencoded",
      ),
  };
}

let counter = 0;
const stamp = () => `${Math.floor(Date.now() / 1000)}.${String(++counter).padStart(6, "0")}`;

interface Button {
  action_id: string;
  value?: string;
  text?: { text: string };
}
interface Block {
  type: string;
  block_id?: string;
  elements?: Button[];
  element?: { type: string; options?: { value: string }[] };
  text?: { text?: string };
}

export interface SlackMelder {
  user: string;
  channel: string;
  /** Opens the Messages tab (the first visit gets the welcome). */
  openDm(): Promise<SlackPost>;
  type(text: string, options?: { eventId?: string; retryNum?: number }): Promise<SlackPost>;
  /** Clicks a chat button by choice id on the newest message that has it. */
  click(choice: string): Promise<SlackPost>;
  /** The modal on top, if one is open. */
  modal(): ModalView | undefined;
  /** Picks an option of the form's question and presses the main button. */
  choose(option: string): Promise<SlackPost>;
  /** Fills the form's fields and presses the main button. */
  fill(values: Record<string, string>): Promise<SlackPost>;
  /** Presses the main button of a step without a question or fields (review, referral). */
  submit(): Promise<SlackPost>;
  /** Presses a side button inside the modal (back, edit, discard, refresh, danger, stop). */
  press(choice: string): Promise<SlackPost>;
  /** Closes the top modal with its × (Slack sends view_closed when asked to). */
  close(): Promise<SlackPost>;
  /**
   * Waits until the bot called Slack after the last action and then stopped for a moment (its
   * reply is complete). `{ quiet: true }`: the last action needs no call, just let things settle.
   */
  settle(options?: { quiet?: boolean }): Promise<void>;
  /** The last errors the bot answered a submission with. */
  lastErrors: Record<string, string> | undefined;
}

export function slackMelder(
  fake: FakeSlack,
  transport: SlackTransport,
  who: {
    user: string;
    teamId?: string;
    /** Clicks carry a response_url the fake answers (Slack's); otherwise one nobody answers. */
    responseUrls?: boolean;
  },
): SlackMelder {
  const teamId = who.teamId ?? "T0TEAM";
  const user = who.user;
  const channel = fake.dmOf(user);
  const userRef = { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: teamId };
  const envelope = (event: Record<string, unknown>, eventId?: string) => ({
    token: "legacy-unused",
    team_id: teamId,
    api_app_id: "A0APP",
    type: "event_callback",
    event_id: eventId ?? `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });

  const top = () => fake.modals(user).at(-1);
  /** The open modal; right after a click, `views.open` may still be on its way on a busy machine. */
  const opened = async () => {
    for (let i = 0; i < 400 && !top(); i++) await new Promise((r) => setTimeout(r, 20));
    const view = top();
    if (!view) throw new Error("no modal open");
    return view;
  };
  /** The number of Web API calls when the last action was sent. */
  let mark = 0;
  const mine = () => fake.callsFor(user).length;
  const blocksOf = (view: ModalView | undefined) => (view?.view.blocks ?? []) as Block[];

  /** The view as Slack sends it back in an interaction, with the values typed into it. */
  const viewPayload = (view: ModalView, values: Record<string, Record<string, unknown>> = {}) => ({
    ...view.view,
    id: view.id,
    hash: view.hash,
    state: { values },
    team_id: teamId,
    app_id: "A0APP",
    bot_id: "B0",
  });

  async function submission(
    view: ModalView,
    state: Record<string, Record<string, unknown>>,
  ): Promise<SlackPost> {
    const post = await transport.interaction({
      type: "view_submission",
      user: userRef,
      team: { id: teamId, domain: "test" },
      api_app_id: "A0APP",
      token: "legacy-unused",
      trigger_id: fake.trigger(user),
      view: viewPayload(view, state),
    });
    const ack = post.body ? safeJson(post.body) : {};
    me.lastErrors = fake.applyAck(user, view.id, ack).errors;
    return post;
  }

  const me: SlackMelder = {
    user,
    channel,
    lastErrors: undefined,
    openDm: () =>
      transport.event(
        envelope({ type: "app_home_opened", user, channel, tab: "messages", event_ts: stamp() }),
      ),
    type: (text, options = {}) =>
      transport.event(
        envelope({ type: "message", channel_type: "im", channel, user, text, ts: stamp() }, options.eventId),
        options.retryNum !== undefined
          ? { "x-slack-retry-num": String(options.retryNum), "x-slack-retry-reason": "http_timeout" }
          : {},
      ),
    async click(choice) {
      const actionId = `vt_choice:${choice}`;
      const find = () =>
        [...fake.history(channel)].reverse().find((m) => buttonsOf(m).some((b) => b.action_id === actionId));
      // The bot's previous answer may still be on its way (a busy or cold server): wait for it.
      for (let i = 0; i < 400 && !find(); i++) await new Promise((r) => setTimeout(r, 20));
      const message = find();
      if (!message) throw new Error(`no chat button "${choice}" in ${channel}`);
      const block = (message.blocks as Block[]).find(
        (b) => b.type === "actions" && b.elements?.some((e) => e.action_id === actionId),
      );
      const button = block?.elements?.find((e) => e.action_id === actionId) as Button;
      mark = mine();
      return transport.interaction({
        type: "block_actions",
        user: userRef,
        team: { id: teamId, domain: "test" },
        api_app_id: "A0APP",
        token: "legacy-unused",
        response_url: who.responseUrls
          ? fake.responseUrl(channel, message.ts)
          : "https://hooks.invalid/response",
        trigger_id: fake.trigger(user),
        container: { type: "message", message_ts: message.ts, channel_id: channel, is_ephemeral: false },
        channel: { id: channel, name: "directmessage" },
        message: { type: "message", ts: message.ts, bot_id: "B0", blocks: message.blocks },
        actions: [
          {
            type: "button",
            action_id: button.action_id,
            block_id: block?.block_id,
            value: button.value,
            text: { type: "plain_text", text: button.text?.text ?? "" },
            action_ts: stamp(),
          },
        ],
      });
    },
    modal: top,
    async choose(option) {
      const view = await opened();
      const block = blocksOf(view).find((b) => b.type === "input" && b.block_id === "choice");
      if (!block?.element?.options?.some((o) => o.value === option))
        throw new Error(`no option "${option}" in the form`);
      const kind = block.element.type;
      return submission(view, {
        choice: {
          value: {
            type: kind,
            selected_option: { value: option, text: { type: "plain_text", text: option } },
          },
        },
      });
    },
    async fill(values) {
      const view = await opened();
      const state: Record<string, Record<string, unknown>> = {};
      for (const block of blocksOf(view)) {
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
      return submission(view, state);
    },
    async submit() {
      const view = await opened();
      return submission(view, {});
    },
    async press(choice) {
      const view = await opened();
      const actionId = `vt_form:${choice}`;
      const block = blocksOf(view).find(
        (b) => b.type === "actions" && b.elements?.some((e) => e.action_id === actionId),
      );
      const button = block?.elements?.find((e) => e.action_id === actionId);
      if (!block || !button) throw new Error(`no form button "${choice}"`);
      mark = mine();
      return transport.interaction({
        type: "block_actions",
        user: userRef,
        team: { id: teamId, domain: "test" },
        api_app_id: "A0APP",
        token: "legacy-unused",
        trigger_id: fake.trigger(user),
        container: { type: "view", view_id: view.id },
        view: viewPayload(view),
        actions: [
          {
            type: "button",
            action_id: actionId,
            block_id: block.block_id,
            value: button.value,
            text: { type: "plain_text", text: button.text?.text ?? "" },
            action_ts: stamp(),
          },
        ],
      });
    },
    async close() {
      const view = fake.closeModal(user);
      if (!view) throw new Error("no modal open");
      if (view.view.notify_on_close !== true) return { status: 200, body: "" };
      mark = mine();
      return transport.interaction({
        type: "view_closed",
        user: userRef,
        team: { id: teamId, domain: "test" },
        api_app_id: "A0APP",
        token: "legacy-unused",
        is_cleared: fake.modals(user).length === 0,
        view: viewPayload(view),
      });
    },
    async settle(options = {}) {
      const until = Date.now() + 8_000;
      // First the bot's answer to the last action (its calls follow the ack), …
      while (!options.quiet && mine() <= mark && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 10));
      }
      // … then quiet for a moment: the turn's calls are done.
      let seen = -1;
      while (Date.now() < until) {
        const now = mine();
        if (now === seen) return;
        seen = now;
        await new Promise((r) => setTimeout(r, 60));
      }
    },
  };
  return me;
}

export function buttonsOf(message: StoredMessage | undefined): Button[] {
  return ((message?.blocks ?? []) as Block[])
    .filter((b) => b.type === "actions")
    .flatMap((b) => b.elements ?? []);
}

export const sectionText = (blocks: unknown[] | undefined): string =>
  ((blocks ?? []) as Block[])
    .filter((b) => b.type === "section")
    .map((b) => b.text?.text ?? "")
    .join("\n");

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** Each payload to the next of several bots in turn (replicas behind a load balancer). */
export function alternating(...transports: SlackTransport[]): SlackTransport {
  let next = 0;
  const pick = () => transports[next++ % transports.length] as SlackTransport;
  return {
    event: (envelope, headers) => pick().event(envelope, headers),
    interaction: (payload) => pick().interaction(payload),
  };
}
