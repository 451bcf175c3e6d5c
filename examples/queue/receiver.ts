/**
 * The receiver process: verifies each delivery, adds it to the queue, answers 202 once Redis
 * has it. No handler runs here. `pnpm start:receiver`.
 */
import type { AddressInfo } from 'node:net';
import { createDeliveryQueue } from '@trax-webhooks/bullmq';
import { traxWebhooks } from '@trax-webhooks/express';
import express from 'express';
import { Redis } from 'ioredis';
import { displayUrl, queueName, queuePrefix, redisUrl, secret, usesDevSecret } from './env.js';

let tag = `receiver pid ${process.pid}`;
const log = (message: string) => console.log(`[${tag}] ${message}`);
if (usesDevSecret) log('TRAX_WEBHOOK_SECRET is not set: using the example development secret.');

// BullMQ wants `maxRetriesPerRequest: null`; the add still gives up after addTimeoutMs (503).
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
redis.on('error', () => {});
const queue = createDeliveryQueue({
  connection: redis,
  ...(queueName ? { name: queueName } : {}),
  ...(queuePrefix ? { prefix: queuePrefix } : {}),
});
const webhooks = traxWebhooks({ secret, queue });
webhooks.onError((error) => log(`webhook ${error.code} (${error.status}): ${error.message}`));

const app = express().use(webhooks);
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  tag = `receiver :${port}`;
  const url = `http://127.0.0.1:${port}${webhooks.path}`;
  log(`listening on ${url} (queueing into ${displayUrl(redisUrl)})`);
  process.send?.({ listening: url });
});

let stopping: Promise<void> | undefined;
function shutdown(): Promise<void> {
  stopping ??= (async () => {
    setTimeout(() => process.exit(1), 10_000).unref();
    // Stop taking deliveries, let the adds in flight land (or time out: 503), then close.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await webhooks.drain();
    await queue.close();
    log('stopped');
    process.exit(0);
  })();
  return stopping;
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
