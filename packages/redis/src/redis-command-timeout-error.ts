/**
 * Redis did not answer a store command in time (stalled, unreachable, or reconnecting for longer
 * than the store waits). The receiver turns it into a 503 with `Retry-After`, so nothing is lost.
 * A `complete` or `release` that gave up rejects with an `Error` whose `cause` is the last failure.
 *
 * @example
 * ```ts
 * webhooks.onError((error) => {
 *   if (error.cause instanceof RedisCommandTimeoutError) metrics.increment('redis.timeout');
 * });
 * ```
 */
export class RedisCommandTimeoutError extends Error {
  override readonly name = 'RedisCommandTimeoutError';
  /** The store operation that timed out (`claim`, `complete`, `release`, …). */
  readonly command: string;
  /** How long the store waited, in milliseconds. */
  readonly timeoutMs: number;

  constructor(command: string, timeoutMs: number) {
    super(`Redis did not answer ${command} within ${timeoutMs} ms`);
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}
