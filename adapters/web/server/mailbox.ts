/**
 * The follow-up mailbox's endpoints (docs/follow-up.md), under the page's address:
 *
 *   POST mailbox/open     { mailboxId, melderPublicKey, lockedPrivateKey,
 *                           counsellorId, caseId, caseCode }   a web report, before it is sealed
 *                         | { …keys, linkToken }                a chat report (receipt link): the
 *                           server seals a follow-up notice to the counsellor and queues it
 *   POST mailbox/read     { mailboxId }  → the keys and every message (404 no_mailbox otherwise)
 *   POST mailbox/answer   { mailboxId, armored }  a melder's answer, sealed in the browser; kept
 *                           and queued for delivery to the counsellor
 *   POST mailbox/replies  application/pgp-message, x-vertrouwd-mailbox: <id>; the counsellor's
 *                           signed reply (vertrouwd reply, or gpg and curl) → 201 { id }
 *
 * The server can read none of it (src/followup/messages.ts checks shapes, recipients and the
 * counsellor's signature); look-ups are rate-limited per client and, for unknown ids, over all
 * clients together, so guessing a secret of 100 bits is hopeless twice over.
 */
import type { IncomingMessage } from "node:http";
import * as openpgp from "openpgp";
import type { Config } from "../../../src/config/schema.ts";
import { sha256Hex } from "../../../src/crypto/seal.ts";
import type { DeliveryQueue } from "../../../src/delivery/queue.ts";
import { type LinkTarget, takeLinkToken } from "../../../src/followup/link-token.ts";
import { createMailboxStore } from "../../../src/followup/mailbox.ts";
import {
  type MessageProblem,
  checkAnswer,
  checkMelderKeys,
  checkReply,
} from "../../../src/followup/messages.ts";
import { sealNotice } from "../../../src/followup/notice.ts";
import type { Logger } from "../../../src/log/logger.ts";
import type { RateLimit, RateLimiter } from "../../../src/server/rate-limit.ts";
import type { KeyValueStore } from "../../../src/store/types.ts";
import { dayOf } from "../../../src/time/day.ts";
import {
  MAILBOX_HEADER,
  MAILBOX_ID,
  type MailboxAnswerAnswer,
  MailboxAnswerRequest,
  type MailboxOpenAnswer,
  MailboxOpenRequest,
  type MailboxReadAnswer,
  MailboxReadRequest,
} from "../protocol.ts";
import type { CounsellorKeys, KeyCache } from "./keys.ts";
import { Refusal } from "./refusal.ts";

export interface MailboxDeps {
  config: Config;
  store: KeyValueStore;
  queue: DeliveryQueue;
  keys: KeyCache;
  limiter: RateLimiter;
  logger: Logger;
  publicUrl: string;
  now: () => number;
  random: () => number;
  deliverSoon(): void;
  /** Counts one request against a limit for this request's client (throws a 429 Refusal). */
  take(limit: RateLimit, req: IncomingMessage | "all"): Promise<void>;
  badShape(issues: { path: (string | number)[] }[]): Refusal;
}

const NO_MAILBOX =
  "there is no mailbox with this id: it was never opened, or it expired after its last message";

const STATUS: Record<MessageProblem, number> = {
  bad_key: 422,
  not_a_message: 422,
  wrong_size: 422,
  wrong_recipients: 422,
  too_large: 413,
  not_signed: 401,
  wrong_signer: 403,
};

export function createMailboxEndpoints(deps: MailboxDeps) {
  const { config, queue, keys, logger, now } = deps;
  const settings = config.followUp;
  const windowMs = config.web.rateLimit.windowMinutes * 60_000;
  const LIMITS = {
    open: { name: "mailbox-open", limit: settings.rateLimit.opensPerClient, windowMs },
    read: { name: "mailbox-read", limit: settings.rateLimit.readsPerClient, windowMs },
    readMiss: { name: "mailbox-miss-all", limit: settings.rateLimit.readFailuresOverall, windowMs },
    answer: { name: "mailbox-answer", limit: settings.rateLimit.answersPerClient, windowMs },
    reply: { name: "mailbox-reply", limit: settings.rateLimit.repliesPerClient, windowMs },
  } satisfies Record<string, RateLimit>;
  const mailboxes = createMailboxStore({ store: deps.store, retentionDays: settings.retentionDays, now });

  async function pinned(counsellorId: string): Promise<Extract<CounsellorKeys, { ok: true }>> {
    const entry = await keys.get(counsellorId);
    if (!entry) throw new Refusal(422, "unknown_counsellor", "no counsellor with this id is configured");
    if (!entry.ok) {
      throw new Refusal(
        503,
        "key_problem",
        "this counsellor's key is refused at the moment; the admin has been told",
      );
    }
    return entry;
  }

  async function record(mailboxId: string) {
    const found = await mailboxes.get(mailboxId);
    if (!found) throw new Refusal(404, "no_mailbox", NO_MAILBOX);
    return found;
  }

  async function enqueue(counsellorId: string, armored: string) {
    const delayMs = Math.floor(deps.random() * config.handoff.deliveryDelayMinutes * 60_000);
    const caseId = globalThis.crypto.randomUUID();
    await queue.enqueue(
      { caseId, counsellorId, armored, sha256: await sha256Hex(armored), day: dayOf(new Date(now())) },
      delayMs,
    );
    deps.deliverSoon();
    return caseId;
  }

  async function open(body: unknown, req: IncomingMessage): Promise<MailboxOpenAnswer> {
    await deps.take(LIMITS.open, req);
    const parsed = MailboxOpenRequest.safeParse(body);
    if (!parsed.success) throw deps.badShape(parsed.error.issues);
    const request = parsed.data;
    const checked = await checkMelderKeys(request.melderPublicKey, request.lockedPrivateKey, new Date(now()));
    if (!checked.ok) throw new Refusal(STATUS[checked.problem], checked.problem as "bad_key", checked.detail);

    const existing = await mailboxes.get(request.mailboxId);
    if (existing) {
      // The same page asking again after a lost answer: the same mailbox, opened once.
      if (existing.melderPublicKey === checked.publicArmored) {
        return { v: 1, caseCode: existing.caseCode, counsellorId: existing.counsellorId };
      }
      throw new Refusal(409, "mailbox_exists", "a mailbox with this id exists already");
    }

    let target: LinkTarget;
    let counsellorKeys: Extract<CounsellorKeys, { ok: true }>;
    if ("linkToken" in request) {
      // The token is used up only once everything else is known to be in order.
      const taken = await takeLinkToken(deps.store, request.linkToken);
      if (!taken) {
        throw new Refusal(
          410,
          "link_expired",
          "this link was used already or is older than 15 minutes; open a new one from the receipt",
        );
      }
      target = taken;
      counsellorKeys = await pinned(target.counsellorId);
    } else {
      counsellorKeys = await pinned(request.counsellorId);
      target = {
        caseId: request.caseId,
        caseCode: request.caseCode,
        counsellorId: request.counsellorId,
        locale: config.defaultLocale,
      };
    }
    const opened = await mailboxes.open(request.mailboxId, {
      counsellorId: target.counsellorId,
      caseId: target.caseId,
      caseCode: target.caseCode,
      melderPublicKey: checked.publicArmored,
      lockedPrivateKey: checked.lockedArmored,
    });
    if (opened === "exists")
      throw new Refusal(409, "mailbox_exists", "a mailbox with this id exists already");

    if ("linkToken" in request) {
      const sealed = await sealNotice(
        {
          v: 1,
          caseId: target.caseId,
          caseCode: target.caseCode,
          date: dayOf(new Date(now())),
          locale: target.locale,
          followUp: {
            v: 1,
            mailboxId: request.mailboxId,
            melderPublicKey: checked.publicArmored,
            url: deps.publicUrl,
          },
        },
        { recipients: counsellorKeys.keys.map((k) => k.key), hideRecipients: config.handoff.hideRecipients },
      );
      await enqueue(target.counsellorId, sealed.armored);
    }
    logger.info({
      event: "web.mailbox_open",
      outcome: "opened",
      via: "linkToken" in request ? "link" : "web",
    });
    return { v: 1, caseCode: target.caseCode, counsellorId: target.counsellorId };
  }

  async function read(body: unknown, req: IncomingMessage): Promise<MailboxReadAnswer> {
    await deps.take(LIMITS.read, req);
    const parsed = MailboxReadRequest.safeParse(body);
    if (!parsed.success) throw deps.badShape(parsed.error.issues);
    // Past the ceiling of misses over all clients, every look-up waits for the next window: a hit
    // must not be told apart from a miss while someone is guessing.
    if (await deps.limiter.exhausted(LIMITS.readMiss, "all")) {
      throw new Refusal(
        429,
        "rate_limited",
        "too many look-ups of unknown mailboxes; try again after the time in retryAfterSeconds",
        Math.max(1, Math.ceil((windowMs - (now() % windowMs)) / 1000)),
      );
    }
    const found = await mailboxes.get(parsed.data.mailboxId);
    if (!found) {
      await deps.take(LIMITS.readMiss, "all").catch(() => undefined);
      logger.info({ event: "web.mailbox_read", outcome: "none" });
      throw new Refusal(404, "no_mailbox", NO_MAILBOX);
    }
    const messages = await mailboxes.messages(parsed.data.mailboxId);
    logger.info({ event: "web.mailbox_read", outcome: "found" });
    return {
      v: 1,
      caseId: found.caseId,
      caseCode: found.caseCode,
      counsellorId: found.counsellorId,
      melderPublicKey: found.melderPublicKey,
      lockedPrivateKey: found.lockedPrivateKey,
      messages,
    };
  }

  async function answer(body: unknown, req: IncomingMessage): Promise<MailboxAnswerAnswer> {
    await deps.take(LIMITS.answer, req);
    const parsed = MailboxAnswerRequest.safeParse(body);
    if (!parsed.success) throw deps.badShape(parsed.error.issues);
    const box = await record(parsed.data.mailboxId);
    const counsellorKeys = await pinned(box.counsellorId);
    const melderKey = await openpgp.readKey({ armoredKey: box.melderPublicKey });
    const checked = await checkAnswer(parsed.data.armored, {
      counsellorKeys: counsellorKeys.keys.map((k) => k.key),
      melderKey,
      now: new Date(now()),
    });
    if (!checked.ok) throw new Refusal(STATUS[checked.problem], checked.problem, checked.detail);
    const added = await mailboxes.add(parsed.data.mailboxId, {
      from: "melder",
      armored: checked.armored,
      bytes: checked.bytes,
    });
    if (!added.ok) throw refusalFor(added.reason);
    if (!added.duplicate) await enqueue(box.counsellorId, checked.armored);
    logger.info({ event: "web.mailbox_answer", outcome: added.duplicate ? "duplicate" : "queued" });
    return { id: added.id, status: "queued" };
  }

  /** The counsellor's reply; the body was read (capped) by the caller. */
  async function reply(req: IncomingMessage, raw: Buffer): Promise<{ id: string }> {
    await deps.take(LIMITS.reply, req);
    const mailboxId = String(req.headers[MAILBOX_HEADER] ?? "");
    if (!MAILBOX_ID.safeParse(mailboxId).success) {
      throw new Refusal(400, "bad_request", `the ${MAILBOX_HEADER} header must name the mailbox (its id)`);
    }
    const box = await record(mailboxId);
    const counsellorKeys = await pinned(box.counsellorId);
    const melderKey = await openpgp.readKey({ armoredKey: box.melderPublicKey });
    const checked = await checkReply(raw.toString("utf8"), {
      signers: counsellorKeys.keys.map((k) => k.key),
      melderKey,
      now: new Date(now()),
    });
    if (!checked.ok) throw new Refusal(STATUS[checked.problem], checked.problem, checked.detail);
    const added = await mailboxes.add(mailboxId, {
      from: "counsellor",
      armored: checked.armored,
      bytes: checked.bytes,
    });
    if (!added.ok) throw refusalFor(added.reason);
    logger.info({ event: "web.mailbox_reply", outcome: added.duplicate ? "duplicate" : "stored" });
    return { id: added.id };
  }

  return { open, read, answer, reply, mailboxes, limits: LIMITS };
}

function refusalFor(reason: "not_found" | "full"): Refusal {
  return reason === "not_found"
    ? new Refusal(404, "no_mailbox", NO_MAILBOX)
    : new Refusal(409, "mailbox_full", "this mailbox holds as many messages as it may");
}
