/**
 * Bounds the turns one process works on at once. Under a burst, extra turns wait here (after the
 * platform was already acknowledged) instead of all starting together: the event loop stays
 * responsive, so Redis round trips finish within their short timeouts and the process slows
 * down gracefully instead of answering "temporarily unavailable".
 *
 * A turn with a platform deadline (opening Slack's form: the click's trigger_id expires 3 s
 * after the click) waits in a front lane: it starts before every turn without one, in its own
 * arrival order. Such turns are a small share (one per conversation), so the rest is not starved.
 */
export class TurnQueueFullError extends Error {
  constructor() {
    super("too many turns waiting");
    this.name = "TurnQueueFullError";
  }
}

export interface Limiter {
  /** `first`: the turn has a platform deadline and goes ahead of the turns without one. */
  run<T>(fn: () => Promise<T>, options?: { first?: boolean }): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(maxActive: number, maxWaiting: number): Limiter {
  let active = 0;
  const front: (() => void)[] = [];
  const queue: (() => void)[] = [];
  const release = () => {
    // Hand the slot straight to the next waiter, so a newcomer cannot overtake the queue.
    const next = front.shift() ?? queue.shift();
    if (next) next();
    else active--;
  };
  return {
    async run(fn, options = {}) {
      if (active < maxActive) {
        active++;
      } else {
        if (front.length + queue.length >= maxWaiting) throw new TurnQueueFullError();
        const lane = options.first ? front : queue;
        await new Promise<void>((resolve) => lane.push(resolve));
      }
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return front.length + queue.length;
    },
  };
}
