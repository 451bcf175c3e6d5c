import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import {
  createDeliveryQueue,
  createTraxWorker,
  openDeliveryQueueAdmin,
} from '@trax-webhooks/bullmq';
import { createTraxWebhooks, signDelivery } from '@trax-webhooks/core';
import { metricNames, observeQueueDepth, traxTelemetry } from '@trax-webhooks/otel';
import { RedisDeliveryStore, recommendedRedisOptions } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveEvent, SECRET } from '../../../test-support/fixtures.js';
import { deleteKeys, REDIS_URL, redisSkipReason } from '../../../test-support/redis-test-env.js';
import { startTestSdk, type TestSdk } from './support.js';

const skip = await redisSkipReason('otel queue tests');

describe.skipIf(skip)(`queue mode on the real Redis${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sdk: TestSdk;
  const id = randomUUID();
  const prefix = `trax-test-bull:otel:${id}`;
  const storePrefix = `trax-test:otel-store:${id}:`;
  const clients: Redis[] = [];
  const client = (options: Record<string, unknown>) => {
    const redis = new Redis(REDIS_URL, options);
    redis.on('error', () => {});
    clients.push(redis);
    return redis;
  };
  beforeAll(() => {
    sdk = startTestSdk();
  });
  afterAll(async () => {
    await sdk.shutdown();
    const cleaner = new Redis(REDIS_URL);
    await deleteKeys(cleaner, `${prefix}:`);
    await deleteKeys(cleaner, storePrefix);
    await cleaner.quit();
    for (const redis of clients) redis.disconnect();
  });

  it("the receiver's span says queued (202); the worker's span, with its handler inside, links back to it", async () => {
    const telemetry = traxTelemetry({
      tracerProvider: sdk.tracerProvider,
      meterProvider: sdk.meterProvider,
    });
    const queue = createDeliveryQueue({
      connection: client({ maxRetriesPerRequest: null }),
      prefix,
    });
    const receiver = createTraxWebhooks({ secret: SECRET, queue, observer: telemetry });
    const workerReceiver = createTraxWebhooks({
      secret: SECRET,
      store: new RedisDeliveryStore(client(recommendedRedisOptions), { prefix: storePrefix }),
      observer: telemetry,
    });
    let handled = 0;
    workerReceiver.onStreamLive(function notify() {
      handled++;
    });
    const worker = createTraxWorker(workerReceiver, {
      connection: client({ maxRetriesPerRequest: null }),
      prefix,
    });
    try {
      const signed = signDelivery({ secret: SECRET, payload: liveEvent('st_q'), id: 'msg_queued' });
      const answer = await receiver.receive({ headers: signed.headers, rawBody: signed.body });
      expect(answer.status).toBe(202);
      await expect.poll(() => handled, { timeout: 10_000 }).toBe(1);
      await expect
        .poll(() => sdk.spans.getFinishedSpans().filter((s) => s.kind === SpanKind.CONSUMER).length)
        .toBe(2);
    } finally {
      await worker.close();
      await queue.close();
    }
    const [queued, processed] = sdk.spans
      .getFinishedSpans()
      .filter((s) => s.kind === SpanKind.CONSUMER)
      .sort(
        (a, b) =>
          Number(a.attributes['trax_webhooks.outcome'] !== 'queued') -
          Number(b.attributes['trax_webhooks.outcome'] !== 'queued'),
      );
    expect(queued!.attributes).toMatchObject({
      'messaging.message.id': 'msg_queued',
      'trax_webhooks.outcome': 'queued',
      'http.response.status_code': 202,
    });
    expect(processed!.name).toBe('process stream.live');
    expect(processed!.attributes).toMatchObject({
      'messaging.message.id': 'msg_queued',
      'trax_webhooks.outcome': 'handled',
      'trax_webhooks.delivery.attempt': 1,
    });
    expect(processed!.links.map((l) => l.context.spanId)).toEqual([queued!.spanContext().spanId]);
    expect(processed!.links[0]!.context.traceId).toBe(queued!.spanContext().traceId);
    expect(await sdk.count(metricNames.deliveries, { 'trax_webhooks.outcome': 'queued' })).toBe(1);
    expect(
      await sdk.count(metricNames.handlerDuration, { 'trax_webhooks.handler.name': 'notify' }),
    ).toBe(1);
  });

  it('observeQueueDepth reports the jobs by state on each collection', async () => {
    const depthPrefix = `${prefix}-depth`;
    const queue = createDeliveryQueue({
      connection: client({ maxRetriesPerRequest: null }),
      prefix: depthPrefix,
    });
    const admin = openDeliveryQueueAdmin({
      connection: client({ maxRetriesPerRequest: null }),
      prefix: depthPrefix,
    });
    const stop = observeQueueDepth(admin, { meterProvider: sdk.meterProvider });
    try {
      const receiver = createTraxWebhooks({ secret: SECRET, queue });
      for (const n of [1, 2, 3]) {
        const signed = signDelivery({
          secret: SECRET,
          payload: liveEvent(`st_${n}`),
          id: `msg_depth_${n}`,
        });
        expect(
          (await receiver.receive({ headers: signed.headers, rawBody: signed.body })).status,
        ).toBe(202);
      }
      const points = await sdk.points(metricNames.queueDepth);
      const waiting = points.find((p) => p.attributes['trax_webhooks.queue.state'] === 'waiting');
      expect(waiting?.value).toBe(3);
      expect(waiting?.attributes['messaging.destination.name']).toBe('trax-webhooks');
      expect(
        points.find((p) => p.attributes['trax_webhooks.queue.state'] === 'failed')?.value,
      ).toBe(0);
    } finally {
      stop();
      await admin.close();
      await queue.close();
      const cleaner = new Redis(REDIS_URL);
      await deleteKeys(cleaner, `${depthPrefix}:`);
      await cleaner.quit();
    }
  });
});
