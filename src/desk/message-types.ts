/**
 * Every kind of message `desk import` accepts. To add one (e.g. the follow-up notice or a
 * melder's answer): write a module exporting a DeskMessageType with its own JSON block marker,
 * schema and identity, and add it to this list.
 */
import { handoffMessage } from "./handoff-message.ts";
import { MessageRegistry } from "./messages.ts";

export const MESSAGE_TYPES = new MessageRegistry([handoffMessage]);
