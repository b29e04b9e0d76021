/**
 * From a finished draft to the HandoffDocument: what the counsellor will read. No I/O, no Node
 * modules: the server builds it for Slack, Teams and the terminal, and the secure web page builds
 * it in the melder's browser from the same code before sealing it there.
 */
import type { IntakeContext } from "../../flows/intake/machine.ts";
import type { CaseIds } from "./case.ts";
import type { FollowUp, HandoffDocument } from "./document.ts";

/** What the document says about the counsellor: the config's entry, or the page's directory. */
export interface HandoffCounsellor {
  id: string;
  name: string;
  kind: "internal" | "external";
  deputy?: { name: string };
}

export interface BuildExtra {
  /** Only for a named melder who asked to be contacted in the chat: their platform account. */
  chatHandle?: string;
  followUp?: FollowUp;
}

export function buildDocument(
  draft: IntakeContext,
  counsellor: HandoffCounsellor,
  ids: CaseIds,
  channel: HandoffDocument["channel"],
  extra: BuildExtra = {},
): HandoffDocument {
  const named = draft.identity === "named";
  const contact = named
    ? {
        ...(draft.contact?.name ? { name: draft.contact.name } : {}),
        ...(draft.contact?.route ? { route: draft.contact.route } : {}),
        // The platform id goes along only when a named melder asked to be contacted in the chat.
        ...(draft.contact?.viaChat && extra.chatHandle ? { chatHandle: extra.chatHandle } : {}),
      }
    : undefined;
  const hasReport = draft.mode === "report" && Object.keys(draft.report).length > 0;
  return {
    version: 2,
    caseId: ids.caseId,
    caseCode: ids.caseCode,
    date: ids.date,
    locale: draft.locale,
    channel,
    kind: draft.mode ?? "report",
    topic: draft.topic ?? "not_sure",
    counsellorId: counsellor.id,
    counsellorKind: counsellor.kind,
    recipients: {
      counsellor: counsellor.name,
      ...(counsellor.deputy ? { deputy: counsellor.deputy.name } : {}),
    },
    anonymity: named ? "named" : "anonymous",
    ...(contact ? { contact } : {}),
    ...(hasReport ? { report: draft.report } : {}),
    ...(draft.mode === "report" && draft.wishes ? { wishes: draft.wishes } : {}),
    ...(extra.followUp ? { followUp: extra.followUp } : {}),
  };
}
