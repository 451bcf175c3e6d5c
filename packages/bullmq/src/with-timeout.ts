import { TraxWebhookError } from '@trax-webhooks/core';

/**
 * Resolves `map(value)` once `add` resolves, rejects like it, or rejects `STORE_UNAVAILABLE`
 * after `timeoutMs` (`map` saves the hot path a promise of its own).
 *
 * BullMQ wants its connections at `maxRetriesPerRequest: null`, and ioredis then holds a
 * command for as long as Redis is away: an add must not hold the sender's request with it.
 * The add itself is not cancelled (it may land once Redis is back; the sender's retry then
 * finds it a duplicate). A timer per add is the cheap way: a `setTimeout` and its
 * `clearTimeout` cost less than a shared sweep over a FIFO of deadlines (measured, ≈ 0.25 µs
 * against ≈ 0.4–0.7 µs per add).
 */
export function withTimeout<T, R>(
  add: Promise<T>,
  timeoutMs: number,
  map: (value: T) => R,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new TraxWebhookError(
            'STORE_UNAVAILABLE',
            `Adding the delivery to the queue did not finish within ${timeoutMs} ms.`,
          ),
        ),
      timeoutMs,
    );
    // A pending add must not keep a process alive that is otherwise done.
    timer.unref();
    add.then(
      (value) => {
        clearTimeout(timer);
        resolve(map(value));
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
