import type { RedisOptions } from 'ioredis';

/**
 * ioredis options for the client a store uses, so an outage fails fast and recovers fast.
 * Spread them and override what you need: `new Redis(url, { ...recommendedRedisOptions, db: 2 })`.
 * For a Cluster pass them as `redisOptions`.
 *
 * - `maxRetriesPerRequest: 2` — a command queued while Redis is away fails after two reconnect
 *   attempts instead of twenty (the default), so queues do not pile up during an outage.
 * - `enableOfflineQueue: true` (the default, kept) — a reconnect of a few hundred milliseconds
 *   (a restart, a failover) does not fail requests; the store's `commandTimeoutMs` bounds the wait.
 *   Set it to `false` to answer 503 at once whenever the connection is down.
 * - `commandTimeout: 2_000` — a backstop for other commands on a shared client; the store bounds
 *   its own calls with `commandTimeoutMs` either way.
 * - `connectTimeout: 2_000` — give up on a connection attempt that hangs (a blackholed host).
 * - `retryStrategy` — reconnect every 50 ms, 100 ms, … up to 1 s, forever: the receiver keeps
 *   answering 503 until Redis is back, then recovers within a second.
 * - `autoResendUnfulfilledCommands: true` (the default, kept) — commands whose reply was lost are
 *   sent again after a reconnect; every store script is safe to run twice with the same token.
 *
 * @example
 * ```ts
 * const redis = new Redis(process.env.REDIS_URL!, recommendedRedisOptions);
 * const cluster = new Cluster(nodes, { redisOptions: recommendedRedisOptions });
 * ```
 */
export const recommendedRedisOptions = Object.freeze({
  maxRetriesPerRequest: 2,
  enableOfflineQueue: true,
  commandTimeout: 2_000,
  connectTimeout: 2_000,
  autoResendUnfulfilledCommands: true,
  retryStrategy: (times: number) => Math.min(times * 50, 1_000),
} satisfies RedisOptions);
