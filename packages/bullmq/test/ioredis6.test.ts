import { randomUUID } from 'node:crypto';
import { createTraxWebhooks, permanentFailure } from '@trax-webhooks/core';
import { type RedisClient, RedisDeliveryStore } from '@trax-webhooks/redis';
import { Redis as Redis6 } from 'ioredis6';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, REDIS_URL, redisSkipReason } from '../../../test-support/redis-test-env.js';
import { createDeliveryQueue, createTraxWorker, openDeliveryQueueAdmin } from '../src/index.js';
import { eventually, SECRET, signedRequest } from './harness.js';

const skip = await redisSkipReason('bullmq tests');

describe.skipIf(skip)(`queue mode on ioredis 6 clients${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const prefix = `trax-test-bull:${randomUUID()}`;
  const clients: Redis6[] = [];
  const client = (options: Record<string, unknown> = { maxRetriesPerRequest: null }) => {
    const redis = new Redis6(REDIS_URL, options);
    redis.on('error', () => {});
    clients.push(redis);
    return redis;
  };
  const queue = createDeliveryQueue({ connection: client(), prefix, backoff: 20 });
  const receiver = createTraxWebhooks({ secret: SECRET, queue });
  const workerReceiver = createTraxWebhooks({
    secret: SECRET,
    // The store's client type is written against ioredis 5's; the store runs on both.
    store: new RedisDeliveryStore(client({}) as unknown as RedisClient, {
      prefix: `${prefix}:store:`,
    }),
  });
  const seen: string[] = [];
  workerReceiver.onStreamLive((_event, ctx) => {
    seen.push(ctx.deliveryId);
    if (ctx.deliveryId.startsWith('msg_dead')) throw permanentFailure(new Error('no such studio'));
  });
  const worker = createTraxWorker(workerReceiver, { connection: client(), prefix });
  const admin = openDeliveryQueueAdmin({ connection: client(), prefix });

  afterAll(async () => {
    await worker.close();
    await queue.close();
    await admin.close();
    const cleaner = client({});
    await deleteKeys(cleaner, `${prefix}:`);
    for (const redis of clients) redis.disconnect();
  });

  it('queues once under concurrent copies, runs once, fails a permanent failure into the failed set', async () => {
    const live = signedRequest();
    const answers = await Promise.all([1, 2, 3, 4].map(() => receiver.receive(live)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 202]);
    const dead = signedRequest(`msg_dead_${randomUUID()}`);
    expect((await receiver.receive(dead)).status).toBe(202);
    await eventually(async () => (await admin.counts()).failed === 1 && seen.includes(live.id));
    expect(seen.filter((id) => id === live.id)).toHaveLength(1);
    const [failed] = await admin.failed();
    expect(failed).toMatchObject({ deliveryId: dead.id, attemptsMade: 1 });
    expect(failed!.failedReason).toMatch(/no such studio/);
  });
});
