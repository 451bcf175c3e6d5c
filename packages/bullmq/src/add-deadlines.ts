import { TraxWebhookError } from '@trax-webhooks/core';

/** Bounds pending adds by one timeout, without a timer per add. */
export interface AddDeadlines {
  /**
   * Resolves `map(value)` once `add` resolves, rejects like it, or rejects `STORE_UNAVAILABLE`
   * once the timeout has passed. (`map` saves the hot path a promise of its own.)
   */
  bound<T, R>(add: Promise<T>, map: (value: T) => R): Promise<R>;
}

interface Pending {
  readonly deadline: number;
  readonly reject: (error: unknown) => void;
  settled: boolean;
}

/**
 * BullMQ wants its connections at `maxRetriesPerRequest: null`, and ioredis then holds a
 * command for as long as Redis is away: an add must not hold the sender's request with it.
 *
 * Every add has the same timeout, so deadlines come in the order adds were made: a FIFO and one
 * sweep timer (a quarter of the timeout, while anything is pending) bound them all. That is
 * what the hot path pays instead of a `setTimeout` and a `clearTimeout` per add; the price is
 * precision — an add is given up between `timeoutMs` and `timeoutMs × 1.25` after it started.
 * The add itself is not cancelled (it may land once Redis is back; the sender's retry then
 * finds it a duplicate).
 */
export function createAddDeadlines(timeoutMs: number, now: () => number = Date.now): AddDeadlines {
  const pending: Pending[] = [];
  let head = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const every = Math.max(1, Math.floor(timeoutMs / 4));

  function sweep(): void {
    const at = now();
    while (head < pending.length) {
      const entry = pending[head]!;
      if (!entry.settled) {
        if (entry.deadline > at) break;
        entry.settled = true;
        entry.reject(
          new TraxWebhookError(
            'STORE_UNAVAILABLE',
            `Adding the delivery to the queue did not finish within ${timeoutMs} ms.`,
          ),
        );
      }
      head++;
    }
    // Compact now and then, so the array does not grow with every add ever made.
    if (head > 1024 && head * 2 > pending.length) {
      pending.splice(0, head);
      head = 0;
    }
    if (head === pending.length && timer) {
      clearInterval(timer);
      timer = undefined;
      pending.length = 0;
      head = 0;
    }
  }

  return {
    bound<T, R>(add: Promise<T>, map: (value: T) => R): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        const entry: Pending = { deadline: now() + timeoutMs, reject, settled: false };
        pending.push(entry);
        if (!timer) {
          timer = setInterval(sweep, every);
          // A pending add must not keep a process alive that is otherwise done.
          timer.unref();
        }
        add.then(
          (value) => {
            if (entry.settled) return;
            entry.settled = true;
            resolve(map(value));
          },
          (error: unknown) => {
            if (entry.settled) return;
            entry.settled = true;
            reject(error);
          },
        );
      });
    },
  };
}
