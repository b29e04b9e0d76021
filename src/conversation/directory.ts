/** The flows' display data, from the validated config (see flows/directory.ts). */
import type { Directory } from "../../flows/directory.ts";
import { type Config, followUpEnabled } from "../config/schema.ts";

export function directoryFrom(config: Config): Directory {
  // The chat links to the secure web page when the organisation runs it (one static address).
  const webFormUrl = config.web.enabled ? config.web.publicUrl : undefined;
  return {
    organisation: config.organisation.name,
    counsellors: config.counsellors.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      languages: c.languages,
      introduction: c.introduction,
      ...(c.reachVia ? { reachVia: c.reachVia } : {}),
      ...(c.deputy ? { deputyName: c.deputy.name } : {}),
    })),
    contacts: config.organisation.contacts,
    idleMinutes: config.idleTimeoutMinutes,
    ...(config.defaultCounsellor ? { defaultCounsellorId: config.defaultCounsellor } : {}),
    ...(webFormUrl ? { webFormUrl } : {}),
    ...(webFormUrl && followUpEnabled(config) ? { mailboxUrl: `${webFormUrl}#mailbox` } : {}),
    deliveryDelayMinutes: config.handoff.deliveryDelayMinutes,
  };
}
