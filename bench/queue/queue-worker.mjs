// A worker process for bench/queue: the handlers of the receiver (a no-op, or HANDLER_MS of
// waiting) run through createTraxWorker with a RedisDeliveryStore. Reports completed jobs.
import { setTimeout as sleep } from 'node:timers/promises';
import { createTraxWorker } from '@trax-webhooks/bullmq';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { RedisDeliveryStore, recommendedRedisOptions } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';

const env = process.env;
const handlerMs = Number(env.HANDLER_MS ?? 0);
const store = new RedisDeliveryStore(new Redis(env.REDIS_URL, recommendedRedisOptions), {
  prefix: `${env.PREFIX}:store:`,
});
const webhooks = createTraxWebhooks({ secret: env.SECRET, store });
webhooks.onStreamLive(async () => {
  if (handlerMs > 0) await sleep(handlerMs);
});
let completed = 0;
const { worker, close } = createTraxWorker(webhooks, {
  connection: new Redis(env.REDIS_URL, { maxRetriesPerRequest: null }),
  prefix: env.PREFIX,
  concurrency: Number(env.CONCURRENCY ?? 50),
});
worker.on('completed', () => completed++);
worker.once('ready', () => process.send({ ready: true }));
process.on('message', async (message) => {
  if (message === 'count') process.send({ completed });
  if (message === 'stop') {
    await close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
