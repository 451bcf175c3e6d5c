/**
 * What the receiver and the workers read from the environment: the same queue, the same Redis.
 *
 * | variable | default |
 * |---|---|
 * | `REDIS_URL` | `redis://127.0.0.1:6379` |
 * | `TRAX_WEBHOOK_SECRET` | a development secret (with a warning) |
 * | `TRAX_QUEUE_NAME` | `trax-webhooks` (hash-tag it, `{trax}`, on Redis Cluster) |
 * | `TRAX_QUEUE_PREFIX` | BullMQ's `bull` |
 * | `PORT` (receiver) | `3000` (`0`: any free port) |
 * | `HANDLER_DELAY_MS` (worker) | `0`: how long each delivery's handlers take |
 */
// A fixed development secret, so the example runs out of the box; never use it in production.
const DEV_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export const secret = process.env.TRAX_WEBHOOK_SECRET ?? DEV_SECRET;
export const usesDevSecret = secret === DEV_SECRET;
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const queueName = process.env.TRAX_QUEUE_NAME || undefined;
export const queuePrefix = process.env.TRAX_QUEUE_PREFIX || undefined;

/** The URL for log lines: never print a password that REDIS_URL may carry. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the Redis URL';
  }
}
