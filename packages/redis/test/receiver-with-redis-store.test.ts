import { createTraxWebhooks, type TraxWebhookError, type TraxWebhooks } from '@trax-webhooks/core';
import {
  RedisDeliveryStore,
  type RedisDeliveryStoreOptions,
  recommendedRedisOptions,
} from '@trax-webhooks/redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteKeys,
  REDIS_URL,
  redisSkipReason,
  uniquePrefix,
} from '../../../test-support/redis-test-env.js';
import { SECRET, signedRequest } from './delivery-helpers.js';
import { type FaultProxy, startFaultProxy, unusedPort } from './fault-proxy.js';

const skip = await redisSkipReason();
const prefix = uniquePrefix('receiver');

describe.skipIf(skip)(
  `the receiver with a RedisDeliveryStore${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let proxy: FaultProxy;
    const clients: Redis[] = [];
    const client = (url = REDIS_URL) => {
      const redis = new Redis(url, recommendedRedisOptions);
      redis.on('error', () => {});
      clients.push(redis);
      return redis;
    };
    /** A receiver on its own client, as one process of several would be. */
    const receiver = (
      url?: string,
      options: { failOpen?: boolean } & RedisDeliveryStoreOptions = {},
    ) => {
      const errors: TraxWebhookError[] = [];
      const { failOpen, ...storeOptions } = options;
      const store = new RedisDeliveryStore(client(url), {
        prefix,
        commandTimeoutMs: 300,
        ...storeOptions,
      });
      const webhooks: TraxWebhooks = createTraxWebhooks({
        secret: SECRET,
        store,
        failOpen,
      });
      webhooks.onError((error) => {
        errors.push(error);
      });
      return { webhooks, errors };
    };

    beforeAll(async () => {
      proxy = await startFaultProxy(REDIS_URL);
    });
    afterEach(() => proxy.resume());
    afterAll(async () => {
      for (const redis of clients) redis.disconnect();
      await proxy.close();
      const cleaner = new Redis(REDIS_URL);
      await deleteKeys(cleaner, prefix);
      await cleaner.quit();
    });

    it('runs a delivery sent to two processes at once only once', async () => {
      const [a, b] = [receiver(), receiver()];
      let runs = 0;
      for (const { webhooks } of [a, b]) {
        webhooks.onStreamLive(async () => {
          runs++;
          await new Promise((resolve) => setTimeout(resolve, 300));
        });
      }
      const request = signedRequest();
      const [first, second] = await Promise.all([
        a.webhooks.receive(request),
        b.webhooks.receive(request),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      expect((first.status === 409 ? first : second).headers['retry-after']).toBeDefined();
      expect((await b.webhooks.receive(request)).body).toContain('"duplicate":true');
      expect(runs).toBe(1);
    });

    it('lets the retry of a failed delivery run again, in another process', async () => {
      const [a, b] = [receiver(), receiver()];
      let runs = 0;
      a.webhooks.onStreamLive(() => {
        runs++;
        throw new Error('downstream is down');
      });
      b.webhooks.onStreamLive(() => {
        runs++;
      });
      const request = signedRequest();
      expect((await a.webhooks.receive(request)).status).toBe(500);
      expect((await b.webhooks.receive(request)).status).toBe(200);
      expect((await a.webhooks.receive(request)).status).toBe(200);
      expect(runs).toBe(2);
    });

    it('answers 503 with Retry-After, without running handlers, when Redis stalls', async () => {
      const { webhooks, errors } = receiver(proxy.url);
      let runs = 0;
      webhooks.onStreamLive(() => {
        runs++;
      });
      expect((await webhooks.receive(signedRequest())).status).toBe(200);
      proxy.stall();
      const started = performance.now();
      const response = await webhooks.receive(signedRequest());
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(JSON.parse(response.body).error.code).toBe('STORE_UNAVAILABLE');
      expect(errors.map((e) => e.code)).toEqual(['STORE_UNAVAILABLE']);
      expect(runs).toBe(1);
    });

    it('answers 503 with Retry-After when nothing listens where Redis should be', async () => {
      const { webhooks } = receiver(`redis://127.0.0.1:${await unusedPort()}`);
      webhooks.onStreamLive(() => {
        throw new Error('must not run');
      });
      const response = await webhooks.receive(signedRequest());
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
    });

    it('with failOpen, runs the handlers without dedupe and reports STORE_UNAVAILABLE', async () => {
      const { webhooks, errors } = receiver(`redis://127.0.0.1:${await unusedPort()}`, {
        failOpen: true,
      });
      let runs = 0;
      webhooks.onStreamLive(() => {
        runs++;
      });
      expect((await webhooks.receive(signedRequest())).status).toBe(200);
      expect(runs).toBe(1);
      expect(errors.map((e) => e.code)).toContain('STORE_UNAVAILABLE');
    });

    it('acknowledges and records a handled delivery even when Redis stalls while the handler runs', async () => {
      const { webhooks, errors } = receiver(proxy.url, { commandTimeoutMs: 150 });
      let runs = 0;
      webhooks.onStreamLive(() => {
        runs++;
        // Redis stops answering right after the claim and comes back 600 ms later.
        proxy.stall();
        setTimeout(() => proxy.resume(), 600);
      });
      const request = signedRequest();
      expect((await webhooks.receive(request)).status).toBe(200);
      // The answer does not wait for the completion; drain() does.
      await webhooks.drain();
      expect(errors).toEqual([]);
      const other = receiver();
      other.webhooks.onStreamLive(() => {
        runs++;
      });
      expect((await other.webhooks.receive(request)).body).toContain('"duplicate":true');
      expect(runs).toBe(1);
    });

    it('answers 200 at once when Redis stalls after the handler for longer than a sender waits, and records the completion once Redis is back', async () => {
      // Senders give up on an answer after 10-15 s and retry; were the 200 held until Redis came
      // back, a delivery that succeeded would be sent again. The stall also outlasts the lease:
      // the completion is still recorded, since no other copy took the delivery over.
      const stallMs = 4_000;
      const { webhooks, errors } = receiver(proxy.url, {
        commandTimeoutMs: 150,
        leaseMs: 1_500,
        settleRetryMs: 15_000,
      });
      let runs = 0;
      webhooks.onStreamLive(() => {
        runs++;
        proxy.stall();
      });
      const request = signedRequest();
      const redisKey = `${prefix}{${request.id}}`;
      const direct = client();
      const started = performance.now();
      setTimeout(() => proxy.resume(), stallMs);
      const response = await webhooks.receive(request);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(response.status).toBe(200);
      // Still only claimed while Redis (through the proxy) is away.
      expect(await direct.get(redisKey)).toMatch(/^p:/);

      await webhooks.drain();
      expect(performance.now() - started).toBeGreaterThanOrEqual(stallMs - 50);
      expect(await direct.get(redisKey)).toMatch(/^d:/);
      expect(errors).toEqual([]);
      const other = receiver();
      other.webhooks.onStreamLive(() => {
        runs++;
      });
      const copy = await other.webhooks.receive(request);
      expect(copy.status).toBe(200);
      expect(copy.body).toContain('"duplicate":true');
      expect(runs).toBe(1);
    }, 20_000);
  },
);
