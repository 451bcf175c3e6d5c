import { setTimeout as sleep } from 'node:timers/promises';
import type { ClaimResult, DeliveryStore } from '@trax-webhooks/core';
import { type DeliveryScripts, deliveryScripts } from './delivery-scripts.js';
import { checkKeyPrefix, hashTaggedKey } from './hash-tagged-key.js';
import type { RedisClient } from './redis-client.js';
import { withTimeout } from './with-timeout.js';

/** Options of {@link RedisDeliveryStore}. */
export interface RedisDeliveryStoreOptions {
  /**
   * Put before every key, so several receivers (or apps) can share one Redis. Each delivery is one
   * key, `${prefix}{${deliveryKey}}`: the braces are a Cluster hash tag. No braces in the prefix.
   * @default 'trax-webhooks:delivery:'
   */
  prefix?: string;
  /**
   * How long a claim holds a delivery, in milliseconds. It bounds how long a claimer that died or
   * lost its reply keeps a delivery from being retried; keep it above your slowest handler (a
   * copy arriving after the lease ends runs the handlers again, even while the first still runs).
   * @default 30_000
   */
  leaseMs?: number;
  /**
   * How long a completed delivery is remembered, in milliseconds. Senders retry for a day or two
   * (Standard Webhooks' schedule spans about 28 hours), so the default outlasts that.
   * @default 259_200_000 (3 days)
   */
  ttlMs?: number;
  /**
   * How long one store call waits for Redis, in milliseconds, whatever the client's own options
   * say. A claim that times out rejects, and the receiver answers 503 with `Retry-After`.
   * @default 2_000
   */
  commandTimeoutMs?: number;
  /**
   * How long `complete` and `release` keep retrying when Redis fails or stalls, in milliseconds,
   * counted from the call, with a short backoff (25 ms doubling to 1 s). The receiver does not
   * wait for them — it answers as soon as the handlers settle and the retries run in the
   * background (its `drain()` waits for them) — so this bounds background work and how long a
   * graceful shutdown may wait, not any request. A completion keeps being accepted after the
   * lease ends as long as no other copy took the delivery over, so `complete` may retry past
   * the lease; `release` stops when the lease ends, since the claim is free from then on.
   * @default leaseMs
   */
  settleRetryMs?: number;
}

const CLAIMED: ClaimResult = Object.freeze({ status: 'claimed' });
const DUPLICATE: ClaimResult = Object.freeze({ status: 'duplicate' });
/** Above this many open claims, forget the ones whose lease has surely ended. */
const OPEN_CLAIMS_SWEEP_AT = 10_000;
const FIRST_BACKOFF_MS = 25;
const MAX_BACKOFF_MS = 1_000;

/**
 * A {@link DeliveryStore} on Redis (ioredis), shared by every process that receives the same
 * deliveries: a duplicate never runs handlers twice, whichever process it reaches.
 *
 * `claim`, `complete` and `release` are each one atomic Lua script (one round trip), act only for
 * the claim's own token and are safe to repeat. Every call is bounded by `commandTimeoutMs`, so a
 * stalled or unreachable Redis answers 503 through the receiver instead of hanging. A `complete`
 * or `release` that fails is retried with backoff for `settleRetryMs` before the error is
 * reported (the receiver has answered by then; it does not wait for them): a handler that
 * succeeded is not run again just because recording it failed once. A completion is recorded
 * even after the lease ended (a slow handler, a long outage), as long as no other copy took the
 * delivery over meanwhile.
 *
 * Works with `new Redis(…)` and `new Cluster(…)`; create the client with
 * {@link recommendedRedisOptions}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisDeliveryStore, recommendedRedisOptions } from '@trax-webhooks/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!, recommendedRedisOptions);
 * const webhooks = traxWebhooks({ secret, store: new RedisDeliveryStore(redis, { leaseMs: 60_000 }) });
 * ```
 * @throws {TypeError} naming the option that is wrong
 */
export class RedisDeliveryStore implements DeliveryStore {
  readonly #scripts: DeliveryScripts;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #ttlMs: number;
  /** How long a claim record lives: its lease, then the TTL, for a completion that comes late. */
  readonly #keepMs: number;
  readonly #commandTimeoutMs: number;
  readonly #settleRetryMs: number;
  /** token → when its claim was sent (monotonic ms), so retries stop where the lease ends. */
  readonly #openClaims = new Map<string, number>();

  /** How long a completed delivery is remembered, in milliseconds. */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  constructor(redis: RedisClient, options: RedisDeliveryStoreOptions = {}) {
    if (typeof (redis as { defineCommand?: unknown } | null)?.defineCommand !== 'function') {
      throw new TypeError('redis must be an ioredis client (new Redis(…) or new Cluster(…))');
    }
    if (typeof options !== 'object' || options === null)
      throw new TypeError('options must be an object');
    const {
      prefix = 'trax-webhooks:delivery:',
      leaseMs = 30_000,
      ttlMs = 3 * 24 * 60 * 60 * 1000,
      commandTimeoutMs = 2_000,
    } = options;
    this.#prefix = checkKeyPrefix(prefix);
    this.#leaseMs = positiveInteger(leaseMs, 'leaseMs');
    this.#ttlMs = positiveInteger(ttlMs, 'ttlMs');
    this.#keepMs = this.#leaseMs + this.#ttlMs;
    this.#commandTimeoutMs = positiveInteger(commandTimeoutMs, 'commandTimeoutMs');
    const { settleRetryMs = this.#leaseMs } = options;
    if (!Number.isSafeInteger(settleRetryMs) || settleRetryMs < 0) {
      throw new TypeError('settleRetryMs option must be a nonnegative integer of milliseconds');
    }
    this.#settleRetryMs = settleRetryMs;
    this.#scripts = deliveryScripts(redis);
  }

  async claim(key: string, token: string): Promise<ClaimResult> {
    const redisKey = hashTaggedKey(this.#prefix, key);
    const sentAt = performance.now();
    let reply: number;
    try {
      reply = await withTimeout(
        this.#scripts.claim(redisKey, token, this.#leaseMs, this.#keepMs),
        this.#commandTimeoutMs,
        'claim',
      );
    } catch (error) {
      // The claim may still land after we gave up (ioredis resends it after a reconnect). The
      // caller answers 503 and never uses this token, so free the key for the sender's retry
      // rather than leave it held for a whole lease. Queued behind the claim, so it runs after it.
      this.#scripts.release(redisKey, token).catch(ignore);
      throw error;
    }
    if (reply === 0) {
      this.#remember(token, sentAt);
      return CLAIMED;
    }
    if (reply < 0) return DUPLICATE;
    return { status: 'in-flight', retryAfterMs: reply };
  }

  complete(key: string, token: string): Promise<boolean> {
    const redisKey = hashTaggedKey(this.#prefix, key);
    // Worth retrying past the lease: Redis keeps accepting this token's completion until another
    // copy takes the delivery over (or the claim record expires after lease + TTL).
    return this.#settle('complete', token, this.#keepMs, () =>
      this.#scripts.complete(redisKey, token, this.#ttlMs),
    );
  }

  release(key: string, token: string): Promise<boolean> {
    const redisKey = hashTaggedKey(this.#prefix, key);
    // Not past the lease: from then on the next copy may claim the delivery anyway.
    return this.#settle('release', token, this.#leaseMs, () =>
      this.#scripts.release(redisKey, token),
    );
  }

  /**
   * Runs `command` until Redis answers, retrying with backoff for `settleRetryMs`, and never
   * past `usefulMs` after the claim (when the command could no longer have any effect).
   */
  #settle(
    name: string,
    token: string,
    usefulMs: number,
    command: () => Promise<number>,
  ): Promise<boolean> {
    const start = performance.now();
    const claimedAt = this.#openClaims.get(token);
    this.#openClaims.delete(token);
    let first: Promise<number>;
    try {
      first = withTimeout(command(), this.#commandTimeoutMs, name);
    } catch (error) {
      first = Promise.reject(error);
    }
    // Every delivery takes this path: one attempt, no async frame and no retry state; the
    // retry loop is built only once an attempt has failed.
    return first.then(isOne, (error: unknown) =>
      this.#retry(name, (claimedAt ?? start) + usefulMs, usefulMs, start, command, error),
    );
  }

  /** The attempts after a failed first one, until `usefulUntil` or `settleRetryMs` from `start`. */
  async #retry(
    name: string,
    usefulUntil: number,
    usefulMs: number,
    start: number,
    command: () => Promise<number>,
    firstError: unknown,
  ): Promise<boolean> {
    const deadline = Math.min(usefulUntil, start + this.#settleRetryMs);
    let backoff = FIRST_BACKOFF_MS;
    let error = firstError;
    for (let attempt = 1; ; attempt++) {
      const left = deadline - performance.now();
      if (left <= 0) {
        const bound =
          deadline === usefulUntil && usefulMs === this.#leaseMs
            ? 'within the lease'
            : deadline === usefulUntil
              ? 'before the claim record expired'
              : `within settleRetryMs (${this.#settleRetryMs} ms)`;
        throw new Error(`Redis did not record ${name} after ${attempt} attempt(s) ${bound}`, {
          cause: error,
        });
      }
      // Half to full backoff, so processes that lost Redis together do not retry in step.
      await sleep(Math.min(left, backoff * (0.5 + Math.random() / 2)));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      try {
        // Safe to send again after a failure: the scripts give the same effect when run twice.
        return (await withTimeout(command(), this.#commandTimeoutMs, name)) === 1;
      } catch (failure) {
        error = failure;
      }
    }
  }

  #remember(token: string, sentAt: number): void {
    this.#openClaims.delete(token);
    this.#openClaims.set(token, sentAt);
    // A claim whose complete/release never came (a handler that hangs forever) must not leak:
    // entries are in claim order, so the expired ones are at the front.
    if (this.#openClaims.size <= OPEN_CLAIMS_SWEEP_AT) return;
    const expired = performance.now() - this.#leaseMs;
    for (const [openToken, at] of this.#openClaims) {
      if (at > expired) break;
      this.#openClaims.delete(openToken);
    }
  }
}

function positiveInteger(value: unknown, option: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new TypeError(`${option} option must be a positive integer of milliseconds`);
  }
  return value as number;
}

function ignore(): void {}

function isOne(reply: number): boolean {
  return reply === 1;
}
