/**
 * A worker process: runs the app's handlers for each queued delivery, once, through the shared
 * dedupe store. Start as many as you like, on as many machines, against the same Redis.
 * `pnpm start:worker`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createTraxWorker } from '@trax-webhooks/bullmq';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { RedisDeliveryStore, recommendedRedisOptions } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';
// The very handlers of examples/express: the worker runs what the receiver would have run.
import { type ExampleLog, registerHandlers } from '../express/handlers.js';
import { queueName, queuePrefix, redisUrl, secret } from './env.js';

const tag = `worker pid ${process.pid}`;
const log: ExampleLog = {
  info: (message) => console.log(`[${tag}] ${message}`),
  error: (message) => console.error(`[${tag}] ${message}`),
};
const handlerDelayMs = Number(process.env.HANDLER_DELAY_MS ?? 0);
if (!Number.isFinite(handlerDelayMs) || handlerDelayMs < 0)
  throw new TypeError('HANDLER_DELAY_MS must be a number of milliseconds, 0 or more');

// The dedupe store's client fails fast (the worker retries the job); BullMQ's waits (null).
const storeRedis = new Redis(redisUrl, recommendedRedisOptions);
storeRedis.on('error', () => {});
const webhooks = createTraxWebhooks({
  secret,
  store: new RedisDeliveryStore(
    storeRedis,
    queuePrefix ? { prefix: `${queuePrefix}:delivery:` } : {},
  ),
});
if (handlerDelayMs > 0) {
  webhooks.onAny(async function simulateSlowWork() {
    await sleep(handlerDelayMs);
  });
}
registerHandlers(webhooks, log);

// BullMQ requires `maxRetriesPerRequest: null` of a worker's connection.
const queueRedis = new Redis(redisUrl, { maxRetriesPerRequest: null });
queueRedis.on('error', () => {});
const { worker, close } = createTraxWorker(webhooks, {
  connection: queueRedis,
  ...(queueName ? { name: queueName } : {}),
  ...(queuePrefix ? { prefix: queuePrefix } : {}),
  concurrency: 10,
});
worker.on('ready', () => log.info('ready, waiting for deliveries'));
worker.on('completed', (job, outcome) => {
  log.info(`job ${job.id} (${job.data.deliveryId}) done: ${outcome}`);
});
worker.on('failed', (job, error) => {
  if (job) log.error(`job ${job.id} (${job.data.deliveryId}) failed: ${error.message}`);
});

let stopping: Promise<void> | undefined;
function shutdown(): Promise<void> {
  stopping ??= (async () => {
    // Active jobs finish first; a job still running after this is taken over as stalled.
    setTimeout(() => process.exit(1), 30_000).unref();
    log.info('SIGTERM: finishing active jobs');
    await close();
    queueRedis.disconnect();
    storeRedis.disconnect();
    log.info('stopped');
    process.exit(0);
  })();
  return stopping;
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
