/**
 * Button clicks: chat buttons (neutral navigation; "form" opens the modal) and the side
 * buttons inside the form (back, edit, discard, refresh, danger, stop).
 */
import type { BlockAction, ButtonAction } from "@slack/bolt";
import type { FormOutput } from "../../../src/conversation/types.ts";
import { CHOICE_ACTION_PREFIX, type KnownBlock, LINK_ACTION_PREFIX, decodeToken } from "../blocks.ts";
import { call } from "../chat.ts";
import { type SlackContext, isOwnDm, melderOf } from "../context.ts";
import { FORM_ACTION_PREFIX, type ModalView, dangerView, decodeMetadata, formView } from "../modal.ts";
import { json } from "../web-client.ts";

export function registerActions(ctx: SlackContext): void {
  const { app, runtime, logger } = ctx;

  // A link button (the secure web page): Slack opened the address in the browser and tells us
  // about the click. It is acknowledged and nothing else: no turn, no log line, nothing that
  // could tie a visit to the page to this account.
  app.action({ action_id: new RegExp(`^${LINK_ACTION_PREFIX}`) }, async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<ButtonAction>>(
    { action_id: new RegExp(`^${CHOICE_ACTION_PREFIX}`) },
    async ({ ack, body, action }) => {
      await ack();
      await ctx.work("choice", async () => {
        const channel = body.container?.channel_id ?? body.channel?.id;
        const ts = body.container?.message_ts ?? body.message?.ts;
        if (!channel || !ts || !(await isOwnDm(ctx, body.user.id, channel))) return;
        const choice = action.action_id.slice(CHOICE_ACTION_PREFIX.length);
        const token = decodeToken(action.value);
        // Danger and stop work from any message; other buttons only from the newest prompt.
        const global = choice === "danger" || choice === "stop";
        // The answered message loses its buttons alongside the turn, off the critical path. Danger
        // leaves it as it is: its buttons stay useful.
        const marking =
          choice === "danger"
            ? undefined
            : ctx.chat.markAnswered(channel, ts, body.message?.blocks as KnownBlock[], body.response_url);
        const out = await runtime.chat({
          melder: melderOf(body.team?.id ?? body.user.team_id, body.user.id),
          event: { type: "CHOOSE", choice },
          // One answer per message: a double click or a retry carries the same message ts.
          eventId: global ? `m:${ts}:${choice}` : `m:${ts}`,
          ...(global || !token?.seq ? {} : { answering: token.seq }),
        });
        if (out.status !== "duplicate") {
          // The form first: Slack's trigger_id is valid for 3 seconds from the click. The chat
          // message goes alongside it, on its own client (it never queues ahead of the form).
          const form = out.form;
          await Promise.all([form ? open(body.trigger_id, form) : undefined, ctx.chat.post(channel, out)]);
        }
        await marking;
        if (out.status === "stale") logger.info({ event: "slack.choice.stale" });
      });
    },
  );

  app.action<BlockAction<ButtonAction>>(
    { action_id: new RegExp(`^${FORM_ACTION_PREFIX}`) },
    async ({ ack, body, action }) => {
      await ack();
      await ctx.work("form_action", async () => {
        const view = body.view;
        const meta = decodeMetadata(view?.private_metadata);
        if (!view || !meta) return;
        const choice = action.action_id.slice(FORM_ACTION_PREFIX.length);
        if (choice === "danger") {
          // On top of the form: closing it returns to the form exactly as it was.
          await call(() =>
            ctx.views.views.push({ trigger_id: body.trigger_id, view: json(dangerView(meta.locale)) }),
          );
          return;
        }
        const out = await runtime.form({
          melder: melderOf(body.team?.id ?? body.user.team_id, body.user.id),
          token: meta.token,
          event: { type: "CHOOSE", choice },
          eventId: `a:${view.id}:${view.hash}:${choice}`,
          answering: meta.seq,
        });
        const next = out.status === "unavailable" ? sameViewWithNotice(view, out) : formView(out);
        const chat = out.chat;
        // The chat's message (if any) goes alongside the form's update, on its own client.
        await Promise.all([
          call(() => ctx.views.views.update({ view_id: view.id, hash: view.hash, view: json(next) })),
          chat
            ? ctx.chat.dmOf(body.user.id).then((dm) => (dm ? ctx.chat.post(dm, chat) : undefined))
            : undefined,
        ]);
      });
    },
  );

  async function open(triggerId: string, form: FormOutput): Promise<void> {
    await call(() => ctx.views.views.open({ trigger_id: triggerId, view: json(formView(form)) }));
    logger.info({ event: "slack.form.opened" });
  }
}

/**
 * The view the melder is looking at, unchanged but for an honest notice on top: nothing was
 * saved, nothing they see is lost.
 */
export function sameViewWithNotice(
  view: {
    callback_id: string;
    title: unknown;
    submit: unknown;
    close: unknown;
    private_metadata: string;
    blocks: unknown[];
  },
  out: FormOutput,
): ModalView {
  const notice = formView(out)
    .blocks.filter((b) => b.type === "section")
    .slice(0, 1);
  return {
    type: "modal",
    callback_id: view.callback_id,
    title: view.title as ModalView["title"],
    ...(view.submit ? { submit: view.submit as ModalView["submit"] } : {}),
    ...(view.close ? { close: view.close as ModalView["close"] } : {}),
    private_metadata: view.private_metadata,
    notify_on_close: true,
    blocks: [...notice, ...(view.blocks as KnownBlock[])].slice(0, 100),
  };
}
