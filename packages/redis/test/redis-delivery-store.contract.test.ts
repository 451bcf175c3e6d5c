import { describeDeliveryStoreContract } from '@trax-webhooks/core/contract';
import { RedisDeliveryStore, recommendedRedisOptions } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';
import {
  deleteKeys,
  REDIS_URL,
  redisSkipReason,
  uniquePrefix,
} from '../../../test-support/redis-test-env.js';

const skip = await redisSkipReason();
const prefix = uniquePrefix('contract');
const redis = skip ? undefined : new Redis(REDIS_URL, recommendedRedisOptions);

describeDeliveryStoreContract('RedisDeliveryStore', {
  skip,
  create: ({ leaseMs, ttlMs }) => new RedisDeliveryStore(redis!, { prefix, leaseMs, ttlMs }),
  async cleanup() {
    if (!redis) return;
    await deleteKeys(redis, prefix);
    await redis.quit();
  },
});
