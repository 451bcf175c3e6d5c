// The logic of packages/redis/test/redis-test-env.ts, copied: an example cannot import a
// package's test files.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The shared Redis the test uses (never one of production). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** In CI, a missing Redis must fail the run rather than skip it. */
export const REDIS_REQUIRED = process.env.TRAX_REQUIRE_REDIS === '1';

/**
 * Why the test cannot run (shown in the skipped suite's name), or `false` when a Redis answers at
 * {@link REDIS_URL}. With `TRAX_REQUIRE_REDIS=1` a missing Redis throws instead.
 */
export async function redisSkipReason(): Promise<string | false> {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return false;
  } catch (error) {
    const reason = `no Redis answers at ${REDIS_URL} (${(error as Error).message}); set REDIS_URL, or TRAX_REQUIRE_REDIS=1 to fail instead`;
    if (REDIS_REQUIRED) throw new Error(`TRAX_REQUIRE_REDIS=1 but ${reason}`);
    console.warn(`[redis example test skipped] ${reason}`);
    return reason;
  } finally {
    probe.disconnect();
  }
}

/** A key prefix no other test run uses. */
export function uniquePrefix(name: string): string {
  return `trax-test:${name}:${randomUUID()}:`;
}

/** Every key under `prefix` (the test's own keys only). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}
