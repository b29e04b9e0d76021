/**
 * Bounds the turns one process works on at once. Under a burst, extra turns wait here (after the
 * platform was already acknowledged) instead of all starting together: the event loop stays
 * responsive, so Redis round trips finish within their short timeouts and the process slows
 * down gracefully instead of answering "temporarily unavailable".
 */
export class TurnQueueFullError extends Error {
  constructor() {
    super("too many turns waiting");
    this.name = "TurnQueueFullError";
  }
}

export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(maxActive: number, maxWaiting: number): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    // Hand the slot straight to the next waiter, so a newcomer cannot overtake the queue.
    const next = queue.shift();
    if (next) next();
    else active--;
  };
  return {
    async run(fn) {
      if (active < maxActive) {
        active++;
      } else {
        if (queue.length >= maxWaiting) throw new TurnQueueFullError();
        await new Promise<void>((resolve) => queue.push(resolve));
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
      return queue.length;
    },
  };
}
