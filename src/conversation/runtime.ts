/**
 * The per-turn runtime every adapter calls: lock → load sealed snapshot → transition → run
 * effects (seal + deliver the handoff, wipe) → save sealed snapshot with the idle TTL.
 * Any replica can serve any turn because nothing lives in process memory between turns.
 */
import { randomBytes } from "node:crypto";
import {
  type FlowSnapshot,
  type IntakeInput,
  currentPrompts,
  startIntake,
  stepIntake,
} from "../../flows/intake/index.ts";
import type { FlowEvent, Prompt } from "../../flows/model.ts";
import type { Config, Locale } from "../config/schema.ts";
import type { HandoffService } from "../handoff/service.ts";
import type { Logger } from "../log/logger.ts";
import { type ConversationVault, StoreUnavailableError } from "../store/types.ts";
import { TurnQueueFullError, createLimiter } from "./limiter.ts";
import type { ConversationRuntime, Melder, TurnInput, TurnOutput } from "./types.ts";

export interface RuntimeDeps {
  vault: ConversationVault;
  config: Config;
  logger: Logger;
  handoff: HandoffService;
  now?: () => number;
  /** Turns worked on at once by this process (default 16); more wait in line. */
  maxActiveTurns?: number;
  /** Turns allowed to wait (default 10,000); beyond that the melder is told to try again. */
  maxWaitingTurns?: number;
}

/** What is sealed into the store per conversation. */
interface Persisted {
  v: 1;
  flow: FlowSnapshot;
  /** Platform message refs that showed report content; deleted by the adapter after handoff/stop. */
  refs: string[];
  /** Set while a handoff is in flight, so a concurrent turn cannot start a second one. */
  sendingSince?: number;
  /** Increases with every turn that shows new prompts; lets stale buttons be recognised. */
  seq: number;
  /**
   * Random id that correlates one conversation's log lines. Unlike a prefix of the HMAC key, it
   * cannot be recomputed from a user id by whoever holds the server secret.
   */
  logId: string;
}

/** A handoff that has been "in flight" longer than this died with its process; the draft is offered again. */
const STALE_SENDING_MS = 2 * 60_000;

export function createRuntime(deps: RuntimeDeps): ConversationRuntime {
  const { vault, config, logger } = deps;
  const now = deps.now ?? Date.now;
  const limiter = createLimiter(deps.maxActiveTurns ?? 16, deps.maxWaitingTurns ?? 10_000);

  const flowInput = (locale: Locale): IntakeInput => ({
    locale,
    organisation: config.organisation.name,
    counsellors: config.counsellors.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      languages: c.languages,
      introduction: c.introduction,
      reachVia: c.reachVia,
    })),
    defaultCounsellorId: config.defaultCounsellor,
  });

  async function turn(key: string, input: TurnInput): Promise<TurnOutput> {
    const started = now();

    const loaded = await vault.load(key);
    let persisted: Persisted | undefined = loaded.status === "found" ? parse(loaded.json) : undefined;
    const lead: Prompt[] = [];
    let event = input.event;

    if (!persisted) {
      const locale = localeHint(event) ?? config.defaultLocale;
      const start = startIntake(flowInput(locale));
      persisted = { v: 1, flow: start.snapshot, refs: [], seq: 1, logId: randomBytes(6).toString("hex") };
      if (loaded.status === "expired") lead.push({ text: "notice.timedOut" });
      // A first contact, or a button from a conversation that no longer exists: show the welcome.
      if (event.type === "START" || event.type === "CHOOSE" || event.type === "SUBMIT") {
        const prompts = [...lead, ...start.prompts];
        if (event.type === "SUBMIT") prompts.unshift({ text: "notice.staleChoice" });
        await vault.save(key, JSON.stringify(persisted));
        log("turn.start", persisted.logId, input, persisted.flow.state, started);
        return out(persisted.flow, prompts, persisted.seq);
      }
    } else if (input.answering !== undefined && input.answering !== persisted.seq) {
      log("turn.stale", persisted.logId, input, persisted.flow.state, started);
      return { ...out(persisted.flow, [{ text: "notice.staleChoice" }], persisted.seq), status: "stale" };
    }

    if (
      persisted.flow.state === "sending" &&
      persisted.sendingSince &&
      now() - persisted.sendingSince > STALE_SENDING_MS
    ) {
      event = { type: "HANDOFF_FAILED", reason: "internal" };
    }

    let step = stepIntake(persisted.flow, event);
    let receipt: TurnOutput["receipt"];
    const prompts: Prompt[] = [...lead];

    if (step.effects.handoff) {
      // Persist "sending" first: a concurrent turn (or a replica) must see the handoff in flight.
      await vault.save(key, JSON.stringify({ ...persisted, flow: step.snapshot, sendingSince: now() }));
      const outcome = await deps.handoff.send(step.snapshot.context, input.melder);
      const next: FlowEvent = outcome.ok
        ? { type: "HANDOFF_DONE", receipt: outcome.receipt }
        : { type: "HANDOFF_FAILED", reason: outcome.reason };
      if (outcome.ok) receipt = outcome.receipt;
      step = stepIntake(step.snapshot, next);
    }
    prompts.push(...step.prompts);

    if (step.effects.wipe) {
      const forget = persisted.refs;
      await vault.wipe(key);
      log(receipt ? "turn.handoff" : "turn.wiped", persisted.logId, input, step.snapshot.state, started);
      return { ...out(step.snapshot, prompts), receipt, forget: forget.length > 0 ? forget : undefined };
    }

    await vault.save(
      key,
      JSON.stringify({
        ...persisted,
        flow: step.snapshot,
        sendingSince: undefined,
        seq: persisted.seq + 1,
      } satisfies Persisted),
    );
    log("turn.ok", persisted.logId, input, step.snapshot.state, started);
    return out(step.snapshot, prompts, persisted.seq + 1);
  }

  function out(flow: FlowSnapshot, prompts: Prompt[], seq?: number): TurnOutput {
    return { status: "ok", locale: flow.context.locale, prompts, state: flow.state, ...(seq ? { seq } : {}) };
  }

  function log(event: string, logId: string, input: TurnInput, state: string, started: number): void {
    // Allow-list only: event name, random conversation log id, platform, event type, state, latency.
    logger.info({
      event,
      conv: logId,
      platform: input.melder.platform,
      input: input.event.type,
      state,
      ms: now() - started,
    });
  }

  function unavailable(): TurnOutput {
    return {
      status: "unavailable",
      locale: config.defaultLocale,
      prompts: [{ text: "notice.unavailable" }],
      state: "unknown",
    };
  }

  return {
    async handle(input) {
      const key = vault.keyFor(input.melder.platform, input.melder.tenant, input.melder.user);
      try {
        return await limiter.run(async () => {
          // De-duplicate before queueing for the lock: a retry that waited for the lock could
          // otherwise run after the first delivery finished and wiped the conversation.
          if (input.eventId && !(await vault.firstDelivery(key, input.eventId))) {
            logger.info({ event: "turn.duplicate", platform: input.melder.platform });
            return { status: "duplicate", locale: config.defaultLocale, prompts: [], state: "unknown" };
          }
          return await vault.withLock(key, () => turn(key, input));
        });
      } catch (err) {
        if (err instanceof StoreUnavailableError || err instanceof TurnQueueFullError) {
          logger.warn({ event: "turn.unavailable", platform: input.melder.platform, err });
          return unavailable();
        }
        logger.error({ event: "turn.error", platform: input.melder.platform, err });
        throw new Error("conversation turn failed");
      }
    },

    async current(melder: Melder) {
      const key = vault.keyFor(melder.platform, melder.tenant, melder.user);
      try {
        const loaded = await vault.load(key);
        const persisted = loaded.status === "found" ? parse(loaded.json) : undefined;
        if (!persisted) return { status: "ok", locale: config.defaultLocale, prompts: [], state: "none" };
        return out(persisted.flow, currentPrompts(persisted.flow), persisted.seq);
      } catch (err) {
        if (err instanceof StoreUnavailableError) return unavailable();
        throw err;
      }
    },

    async remember(melder: Melder, refs: string[]) {
      const key = vault.keyFor(melder.platform, melder.tenant, melder.user);
      await vault.withLock(key, async () => {
        const loaded = await vault.load(key);
        if (loaded.status !== "found") return;
        const persisted = parse(loaded.json);
        if (!persisted) return;
        persisted.refs = [...new Set([...persisted.refs, ...refs])].slice(-50);
        await vault.save(key, JSON.stringify(persisted));
      });
    },
  };
}

function parse(json: string): Persisted | undefined {
  try {
    const p = JSON.parse(json) as Persisted;
    if (p.v !== 1 || !p.flow) return undefined;
    p.logId ??= randomBytes(6).toString("hex");
    p.seq ??= 1;
    return p;
  } catch {
    return undefined;
  }
}

/** Teams sends "nl-NL", "en-US"…; anything not Dutch or English falls back to the default. */
function localeHint(event: FlowEvent): Locale | undefined {
  if (event.type !== "START" || !event.locale) return undefined;
  const lang = event.locale.slice(0, 2).toLowerCase();
  return lang === "nl" || lang === "en" ? lang : undefined;
}
