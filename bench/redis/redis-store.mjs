// The Redis store the benchmark's Fastify server uses (loaded by bench/http/fastify-server.mjs
// through its `<path to module>` store kind): the client built as the package README says, a
// bench-only key prefix, and every key deleted on close so the shared Redis is left clean.
import { RedisDeliveryStore, recommendedRedisOptions } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', recommendedRedisOptions);
const prefix = `trax-bench:redis:${process.pid}:`;

export function createStore() {
  return new RedisDeliveryStore(redis, { prefix, ttlMs: 600_000 });
}

export async function closeStore() {
  for (let cursor = '0'; ; ) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  await redis.quit();
}
