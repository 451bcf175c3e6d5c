import { randomUUID } from 'node:crypto';
import {
  createTraxWebhooks,
  signDelivery,
  type TraxWebhookError,
  type TraxWebhooks,
  type TraxWebhooksOptions,
} from '@trax-webhooks/core';
import { RedisDeliveryStore, recommendedRedisOptions } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';
import { liveEvent, SECRET } from '../../../test-support/fixtures.js';
import { deleteKeys, REDIS_URL } from '../../../test-support/redis-test-env.js';
import {
  createDeliveryQueue,
  createTraxWorker,
  type DeliveryQueueOptions,
  type TraxDeliveryQueue,
  type TraxWorker,
  type TraxWorkerOptions,
} from '../src/index.js';

export { liveEvent, SECRET };

/** A signed request as an adapter hands it to `receive`; the same id on every call with `id`. */
export function signedRequest(id?: string, payload: unknown = liveEvent(), attempt?: number) {
  const signed = signDelivery({ secret: SECRET, payload, id, attempt });
  return { headers: signed.headers, rawBody: Buffer.from(signed.body), id: signed.id };
}

/**
 * One test's queue world on the shared Redis, under a prefix of its own: receivers, worker
 * receivers (sharing one `RedisDeliveryStore`), workers; `close()` stops them all and deletes
 * every key the test wrote.
 */
export function queueWorld(url = REDIS_URL) {
  const id = randomUUID();
  const prefix = `trax-test-bull:${id}`;
  const storePrefix = `trax-test:bullmq-store:${id}:`;
  const clients: Redis[] = [];
  const closers: Array<() => Promise<unknown>> = [];

  function client(options: Record<string, unknown> = recommendedRedisOptions) {
    const redis = new Redis(url, options);
    redis.on('error', () => {});
    clients.push(redis);
    return redis;
  }
  const store = () => new RedisDeliveryStore(client(), { prefix: storePrefix, leaseMs: 5_000 });

  function queue(options: Partial<DeliveryQueueOptions> = {}): TraxDeliveryQueue {
    const q = createDeliveryQueue({
      connection: client({ maxRetriesPerRequest: null }),
      prefix,
      backoff: 50,
      ...options,
    });
    closers.push(() => q.close());
    return q;
  }

  /** A receiver in queue mode: verifies, parses, enqueues. */
  function receiver(options: Partial<TraxWebhooksOptions> = {}, queueOptions = {}) {
    const errors: TraxWebhookError[] = [];
    const deliveryQueue = queue(queueOptions);
    const webhooks = createTraxWebhooks({ secret: SECRET, queue: deliveryQueue, ...options });
    webhooks.onError((error) => {
      errors.push(error);
    });
    return { webhooks, errors, queue: deliveryQueue };
  }

  /** A worker process's receiver: the same handlers, the shared store, no queue. */
  function workerReceiver(): { webhooks: TraxWebhooks; errors: TraxWebhookError[] } {
    const errors: TraxWebhookError[] = [];
    const webhooks = createTraxWebhooks({ secret: SECRET, store: store() });
    webhooks.onError((error) => {
      errors.push(error);
    });
    return { webhooks, errors };
  }

  function worker(webhooks: TraxWebhooks, options: Partial<TraxWorkerOptions> = {}): TraxWorker {
    const w = createTraxWorker(webhooks, {
      connection: client({ maxRetriesPerRequest: null }),
      prefix,
      ...options,
    });
    closers.unshift(() => w.close());
    return w;
  }

  return {
    prefix,
    storePrefix,
    client,
    store,
    queue,
    receiver,
    workerReceiver,
    worker,
    async close() {
      for (const close of closers) await close().catch(() => {});
      const cleaner = new Redis(url);
      await deleteKeys(cleaner, `${prefix}:`);
      await deleteKeys(cleaner, storePrefix);
      await cleaner.quit();
      for (const redis of clients) redis.disconnect();
    },
  };
}

/** Resolves once `check` holds, polling; rejects after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
