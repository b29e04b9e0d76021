/**
 * App Home: the Home tab introduces the counsellors; the first visit to the Messages tab gets
 * the welcome (confidentiality comes before any question).
 */
import { homeView } from "../blocks.ts";
import { call } from "../chat.ts";
import { type SlackContext, melderOf } from "../context.ts";
import { json } from "../web-client.ts";

export function registerHome(ctx: SlackContext): void {
  ctx.app.event("app_home_opened", async ({ event, body }) => {
    await ctx.work("app_home_opened", async () => {
      if (event.tab === "home") {
        const view = homeView(ctx.config, ctx.config.defaultLocale);
        await call(() => ctx.views.views.publish({ user_id: event.user, view: json(view) }));
        ctx.logger.info({ event: "slack.home.published" });
        return;
      }
      if (event.tab !== "messages" || !event.channel) return;
      ctx.chat.learnDm(event.user, event.channel);
      // Greet on the very first visit only; later visits show the DM as it was.
      if (!(await ctx.chat.dmIsEmpty(event.channel))) return;
      const out = await ctx.runtime.chat({
        melder: melderOf(body.team_id, event.user),
        event: { type: "START" },
        ...(body.event_id ? { eventId: body.event_id } : {}),
      });
      if (out.status !== "duplicate") await ctx.chat.post(event.channel, out);
    });
  });
}
