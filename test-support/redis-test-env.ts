// The one Redis test environment of the repo: the Redis package's, the poller's and the Redis
// example's tests all import it. It depends on nothing but Node, so any of them can.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';

/** The shared Redis the tests use (never one of production). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** In CI, a missing Redis must fail the run rather than skip it. */
export const REDIS_REQUIRED = process.env.TRAX_REQUIRE_REDIS === '1';

/** What the key helpers need of a client (ioredis fits). */
export interface KeyClient {
  scan(
    cursor: string,
    matchToken: 'MATCH',
    pattern: string,
    countToken: 'COUNT',
    count: number,
  ): Promise<[cursor: string, elements: string[]]>;
  del(...keys: string[]): Promise<number>;
}

/** Resolves when something at `url` answers a PING in Redis's protocol; rejects otherwise. */
function ping(url: string, timeoutMs = 1_000): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port || 6379), hostname.replace(/^\[|\]$/g, ''));
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer within ${timeoutMs} ms`)),
    );
    socket.once('error', reject);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => {
      socket.destroy();
      // +PONG, or an error such as -NOAUTH: either way a Redis answered.
      if (reply[0] === 0x2b || reply[0] === 0x2d) resolve();
      else reject(new Error('the answer is not Redis'));
    });
  });
}

function skip(reason: string, what: string): string {
  if (REDIS_REQUIRED) throw new Error(`TRAX_REQUIRE_REDIS=1 but ${reason}`);
  console.warn(`[${what} skipped] ${reason}`);
  return reason;
}

/**
 * Why the Redis tests cannot run (a message shown in the skipped suite's name), or `false` when a
 * Redis answers at {@link REDIS_URL}. With `TRAX_REQUIRE_REDIS=1` a missing Redis throws instead.
 */
export async function redisSkipReason(what = 'redis tests'): Promise<string | false> {
  try {
    await ping(REDIS_URL);
    return false;
  } catch (error) {
    return skip(
      `no Redis answers at ${REDIS_URL} (${(error as Error).message}); set REDIS_URL, or TRAX_REQUIRE_REDIS=1 to fail instead`,
      what,
    );
  }
}

/** Why tests that start their own redis-server cannot run, or `false` when `redis-server` is on PATH. */
export function redisServerSkipReason(what = 'redis tests'): string | false {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return skip('redis-server is not on PATH', what);
  }
}

/** A key prefix no other test run uses. */
export function uniquePrefix(name: string): string {
  return `trax-test:${name}:${randomUUID()}:`;
}

/** Every key under `prefix` (the test's own keys only). */
export async function keysUnder(redis: KeyClient, prefix: string): Promise<string[]> {
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
export async function deleteKeys(redis: KeyClient, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}
