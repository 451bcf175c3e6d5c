import { describeDeliveryStoreContract } from '@trax-webhooks/core/contract';
import { RedisDeliveryStore, recommendedRedisOptions } from '@trax-webhooks/redis';
import type { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import {
  deleteKeys,
  REDIS_URL,
  redisSkipReason,
  uniquePrefix,
} from '../../../test-support/redis-test-env.js';
import { ioredisVersions } from './ioredis-versions.js';

const skip = await redisSkipReason();

it('runs against ioredis 5 and ioredis 6', () => {
  expect(ioredisVersions.map((v) => v.name.match(/ioredis (\d+)\./)?.[1])).toEqual(['5', '6']);
});

for (const { name, Redis: Client } of ioredisVersions) {
  const prefix = uniquePrefix(`contract:${name}`);
  const redis: Redis | undefined = skip
    ? undefined
    : new Client(REDIS_URL, recommendedRedisOptions);

  describeDeliveryStoreContract(`RedisDeliveryStore (${name})`, {
    skip,
    create: ({ leaseMs, ttlMs }) => new RedisDeliveryStore(redis!, { prefix, leaseMs, ttlMs }),
    async cleanup() {
      if (!redis) return;
      await deleteKeys(redis, prefix);
      await redis.quit();
    },
  });
}
