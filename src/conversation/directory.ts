/** The flows' display data, from the validated config (see flows/directory.ts). */
import type { Directory } from "../../flows/directory.ts";
import type { Config } from "../config/schema.ts";

export function directoryFrom(config: Config, extra: { webFormUrl?: string } = {}): Directory {
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
    ...(extra.webFormUrl ? { webFormUrl: extra.webFormUrl } : {}),
    deliveryDelayMinutes: config.handoff.deliveryDelayMinutes,
  };
}
