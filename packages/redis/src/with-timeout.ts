import { RedisCommandTimeoutError } from './redis-command-timeout-error.js';

/**
 * Settles like `promise`, or rejects with {@link RedisCommandTimeoutError} after `timeoutMs`.
 *
 * ioredis queues commands while it reconnects and, by default, waits for an answer forever;
 * a request must not hang with it. The command itself is not cancelled (Redis may still run
 * it later), which is why every store script is safe to run twice with the same token.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  command: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RedisCommandTimeoutError(command, timeoutMs)),
      timeoutMs,
    );
    // A pending store call must not keep a process alive that is otherwise done.
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
