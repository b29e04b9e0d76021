/**
 * Typed messages in the DM. Typed text is never report content: it is a command (stop, help,
 * danger, start) or gets a caring reply that points to the form and the danger route.
 */
import type { types } from "@slack/bolt";
import { parseCommand } from "../../../flows/model.ts";
import { type SlackContext, melderOf } from "../context.ts";

type DmMessage =
  | types.GenericMessageEvent
  | {
      channel_type?: string;
      subtype?: string;
      user?: string;
      bot_id?: string;
      channel?: string;
      text?: string;
    };

export function registerMessages(ctx: SlackContext): void {
  ctx.app.event("message", async ({ event, body }) => {
    const message = event as DmMessage;
    // Only what a person typed in the DM; edits, joins and bot messages are not turns.
    if (message.channel_type !== "im" || !message.user || message.bot_id || !message.channel) return;
    if (message.subtype !== undefined && message.subtype !== "file_share") return;
    const { user, channel } = message;
    // A message event is signed by Slack and names the user's own DM.
    ctx.chat.learnDm(user, channel);
    await ctx.work("message", async () => {
      const out = await ctx.runtime.chat({
        melder: melderOf(body.team_id, user),
        event: parseCommand(message.text ?? "") ?? { type: "TEXT" },
        ...(body.event_id ? { eventId: body.event_id } : {}),
      });
      if (out.status !== "duplicate") await ctx.chat.post(channel, out);
    });
  });
}
