/**
 * Every kind of message `desk import` accepts: the handoff, the follow-up notice and the
 * melder's answer. To add one: write a module exporting a DeskMessageType with its own JSON
 * block marker, schema and identity, and add it to this list.
 */
import { answerMessage } from "./answer-message.ts";
import { handoffMessage } from "./handoff-message.ts";
import { MessageRegistry } from "./messages.ts";
import { noticeMessage } from "./notice-message.ts";

export const MESSAGE_TYPES = new MessageRegistry([handoffMessage, noticeMessage, answerMessage]);
