/**
 * The texts that differ on the secure web page. The steps and their choices are the same on every
 * surface; only a few texts speak about the channel (what Slack or Microsoft keep, "this chat",
 * typed commands), and on the web page those would be untrue. Ids only: the words are in
 * src/content, under `web.`.
 */
import type { Surface } from "./domain.ts";
import type { MessageId, Prompt } from "./model.ts";

export const WEB_TEXTS = {
  "welcome.intro": "web.welcome",
  "confidentiality.short": "web.confidentiality.short",
  "confidentiality.long": "web.confidentiality.long",
  "info.retention": "web.info.retention",
  "form.offered": "web.form.offered",
  "stopped.wiped": "web.stopped",
  "stopped.form": "web.stopped",
  "notice.stopAfterSend": "web.stopAfterSend",
  "identity.question": "web.identity",
  "contact.intro": "web.contact.intro",
} as const satisfies Partial<Record<MessageId, MessageId>>;

/** The prompts as the given surface shows them (the chat's are returned unchanged). */
export function forSurface(prompts: Prompt[], surface: Surface | undefined): Prompt[] {
  if (surface !== "web") return prompts;
  const texts: Partial<Record<MessageId, MessageId>> = WEB_TEXTS;
  return prompts.map((p) => {
    const text = texts[p.text];
    return text ? { ...p, text } : p;
  });
}
