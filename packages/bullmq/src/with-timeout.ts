import { TraxWebhookError } from '@trax-webhooks/core';

/**
 * Settles like `promise`, or rejects after `timeoutMs`. BullMQ wants its connections at
 * `maxRetriesPerRequest: null`, and ioredis then holds a command for as long as Redis is away:
 * an add must not hold the sender's request with it. The add itself is not cancelled (it may
 * still land once Redis is back); the sender's retry then finds it a duplicate.
 */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new TraxWebhookError(
            'STORE_UNAVAILABLE',
            `${what} did not finish within ${timeoutMs} ms.`,
          ),
        ),
      timeoutMs,
    );
    // A pending add must not keep a process alive that is otherwise done.
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
