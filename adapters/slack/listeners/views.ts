/**
 * The form's submissions and its closing. A step advances in the submission's ack
 * (`response_action: update`): the turn runs before the ack, within Slack's 3 seconds, and costs
 * no Web API call. When the store is down, the form stays open with everything typed and an
 * honest message (`response_action: errors`, or the same view with a notice when it has no input).
 */
import type { ViewClosedAction, ViewOutput, ViewSubmitAction } from "@slack/bolt";
import { renderPrompt, t } from "../../../src/content/index.ts";
import type { FormOutput } from "../../../src/conversation/types.ts";
import { type SlackContext, melderOf } from "../context.ts";
import {
  CHOICE_BLOCK_ID,
  FORM_CALLBACK_ID,
  decodeMetadata,
  fieldErrors,
  firstInputBlock,
  formView,
  renderOptions,
  submissionEvent,
} from "../modal.ts";
import { sameViewWithNotice } from "./actions.ts";

export function registerViews(ctx: SlackContext): void {
  const { app, runtime, logger } = ctx;

  app.view<ViewSubmitAction>(FORM_CALLBACK_ID, async ({ ack, body, view }) => {
    const meta = decodeMetadata(view.private_metadata);
    if (!meta) {
      await ack();
      logger.warn({ event: "slack.form.bad_metadata" });
      return;
    }
    const event = submissionEvent(meta, view.state);
    if (!event) {
      await ack({ response_action: "errors", errors: { [CHOICE_BLOCK_ID]: t(meta.locale, "form.pick") } });
      return;
    }
    const melder = melderOf(body.team?.id ?? body.user.team_id, body.user.id);
    // No event id: a view keeps its hash after `errors`, and the corrected submission that
    // follows must count. The step number (answering) recognises a re-sent older step instead.
    const out = await runtime.form({ melder, token: meta.token, event, answering: meta.seq });
    await ack(responseFor(out, view));
    logger.info({ event: "slack.form.submitted", status: out.status });
    if (out.chat) {
      const chat = out.chat;
      await ctx.work("form_chat", async () => {
        const dm = await ctx.chat.dmOf(body.user.id);
        if (dm) await ctx.chat.post(dm, chat);
      });
    }
  });

  app.view<ViewClosedAction>(
    { callback_id: FORM_CALLBACK_ID, type: "view_closed" },
    async ({ ack, body, view }) => {
      await ack();
      await ctx.work("form_closed", async () => {
        const meta = decodeMetadata(view.private_metadata);
        if (!meta) return;
        const told = await runtime.closeForm(
          melderOf(body.team?.id ?? body.user.team_id, body.user.id),
          meta.token,
        );
        if (!told) return;
        const dm = await ctx.chat.dmOf(body.user.id);
        if (dm) await ctx.chat.post(dm, told);
      });
    },
  );
}

function responseFor(out: FormOutput, view: ViewOutput) {
  if (out.status === "invalid" && out.errors) {
    const step = out.prompts.map((p) => renderPrompt(out.locale, p, renderOptions)).find((r) => r.input);
    return { response_action: "errors" as const, errors: fieldErrors(out.locale, out.errors, step) };
  }
  if (out.status === "unavailable") {
    // Nothing was saved. Slack keeps everything typed when we answer with errors.
    const notice = t(out.locale, "notice.formUnavailable");
    const block = firstInputBlock(view);
    if (block) return { response_action: "errors" as const, errors: { [block]: notice } };
    return { response_action: "update" as const, view: sameViewWithNotice(view, out) };
  }
  return { response_action: "update" as const, view: formView(out) };
}
