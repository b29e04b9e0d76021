/**
 * The handoff effect: build the HandoffDocument from the draft, validate the counsellor's key
 * (again, before every seal), seal it in memory, and deliver only ciphertext.
 */
import { randomInt, randomUUID } from "node:crypto";
import type * as openpgp from "openpgp";
import type { IntakeContext } from "../../flows/intake/index.ts";
import type { Receipt } from "../../flows/model.ts";
import type { Config, Counsellor } from "../config/schema.ts";
import type { Melder } from "../conversation/types.ts";
import { KeyProblemError, loadCounsellorKey } from "../crypto/keys.ts";
import { DeliveryFailedError, createTransport, deliverWithRetry, retryPolicyFor } from "../delivery/index.ts";
import type { Transport } from "../delivery/transport.ts";
import { type Logger, safeError } from "../log/logger.ts";
import type { HandoffDocument } from "./document.ts";
import { sealHandoff } from "./seal.ts";

export type HandoffOutcome =
  | { ok: true; receipt: Receipt }
  | { ok: false; reason: "key" | "delivery" | "internal" };

export interface HandoffService {
  send(draft: IntakeContext, melder: Melder): Promise<HandoffOutcome>;
}

export interface HandoffDeps {
  config: Config;
  /** Directory the config's relative paths (keys, outbox) resolve against. */
  baseDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  signingKey?: openpgp.PrivateKey;
  /** Replace transports (tests, the Slack adapter's client); default: built from the config. */
  transportFor?: (counsellor: Counsellor) => Transport;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** Crockford-style alphabet without look-alikes (no I, L, O, U) for codes people read aloud. */
const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const codePart = () =>
  Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
export const newCaseCode = (): string => `VT-${codePart()}-${codePart()}`;

/** Day only, in the Netherlands' calendar: an exact time could identify an anonymous melder. */
export const dayOf = (d: Date): string =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Amsterdam",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(d);

export function buildDocument(
  draft: IntakeContext,
  melder: Melder,
  ids: { caseId: string; caseCode: string; date: string },
): HandoffDocument {
  const named = draft.identity === "named";
  const contact = named
    ? {
        ...(draft.contact?.name ? { name: draft.contact.name } : {}),
        ...(draft.contact?.route ? { route: draft.contact.route } : {}),
        // The platform id goes along only when a named melder asked to be contacted in the chat.
        ...(draft.contact?.viaChat
          ? { chatHandle: `${melder.platform}:${melder.tenant}/${melder.user}` }
          : {}),
      }
    : undefined;
  const hasReport = draft.mode === "report" && Object.keys(draft.report).length > 0;
  return {
    version: 1,
    caseId: ids.caseId,
    caseCode: ids.caseCode,
    date: ids.date,
    locale: draft.locale,
    channel: melder.platform,
    kind: draft.mode ?? "report",
    topic: draft.topic ?? "not_sure",
    counsellorId: draft.counsellorId ?? "",
    anonymity: named ? "named" : "anonymous",
    ...(contact ? { contact } : {}),
    ...(hasReport ? { report: draft.report } : {}),
    ...(draft.mode === "report" && draft.wishes ? { wishes: draft.wishes } : {}),
  };
}

export function createHandoffService(deps: HandoffDeps): HandoffService {
  const { config, logger } = deps;
  const transports = new Map<string, Transport>();
  const transportFor =
    deps.transportFor ??
    ((c: Counsellor) => {
      let t = transports.get(c.id);
      if (!t) {
        t = createTransport(c.delivery, {
          env: deps.env,
          logger,
          baseDir: deps.baseDir,
          locale: c.languages[0],
        });
        transports.set(c.id, t);
      }
      return t;
    });

  return {
    async send(draft, melder) {
      const counsellor = config.counsellors.find((c) => c.id === draft.counsellorId);
      if (!counsellor) {
        logger.error({ event: "handoff.unknown_counsellor" });
        return { ok: false, reason: "internal" };
      }
      const started = Date.now();
      const now = deps.now?.() ?? new Date();
      try {
        const keys = [await loadCounsellorKey(counsellor.key, counsellor.id, { now, baseDir: deps.baseDir })];
        if (counsellor.deputy) {
          keys.push(
            await loadCounsellorKey(counsellor.deputy, counsellor.id, {
              now,
              baseDir: deps.baseDir,
              role: "deputy",
            }),
          );
        }
        for (const k of keys)
          for (const w of k.warnings)
            logger.warn({ event: "key.warning", counsellor: counsellor.id, warning: w });

        const caseId = randomUUID();
        const caseCode = newCaseCode();
        const date = dayOf(now);
        const doc = buildDocument(draft, melder, { caseId, caseCode, date });
        const sealed = await sealHandoff(doc, {
          recipients: keys.map((k) => k.key),
          signingKey: deps.signingKey,
          hideRecipients: config.handoff.hideRecipients,
        });
        const confirmation = await deliverWithRetry(
          transportFor(counsellor),
          { caseId, counsellorId: counsellor.id, armored: sealed.armored, sha256: sealed.sha256 },
          retryPolicyFor(counsellor.delivery),
          { logger, sleep: deps.sleep },
        );
        logger.info({
          event: "handoff.delivered",
          counsellor: counsellor.id,
          transport: confirmation.transport,
          ms: Date.now() - started,
        });
        return { ok: true, receipt: { caseCode, date, sha256: sealed.sha256, counsellorId: counsellor.id } };
      } catch (err) {
        if (err instanceof KeyProblemError) {
          // Admin-facing: names the counsellor and the reason, never report data.
          logger.error({ event: "handoff.key_refused", counsellor: counsellor.id, reason: err.reason, err });
          return { ok: false, reason: "key" };
        }
        if (err instanceof DeliveryFailedError) {
          logger.error({ event: "handoff.delivery_failed", counsellor: counsellor.id, err });
          return { ok: false, reason: "delivery" };
        }
        logger.error({ event: "handoff.error", counsellor: counsellor.id, err: safeError(err) });
        return { ok: false, reason: "internal" };
      }
    },
  };
}
