import { pollStreamStatus } from '@trax-webhooks/poller';
import { startMockTraxApi } from '@trax-webhooks/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { redisSkipReason } from '../../../test-support/redis-test-env.js';
import { eventually, queueWorld } from './harness.js';

const skip = await redisSkipReason('bullmq tests');
const KEY = 'sk_live_integration';

describe.skipIf(skip)(`the poller feeding the queue${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: ReturnType<typeof queueWorld>;
  const stops: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await world.close();
  });

  it('enqueues polled events instead of running them inline; two pollers queue each once; workers run them with source "poll"', async () => {
    world = queueWorld();
    const api = await startMockTraxApi({ apiKeys: [KEY], port: 0 });
    stops.push(() => api.close());
    const seen: Array<{ type: string; source: string; deliveryId: string }> = [];
    const inline: string[] = [];
    for (let i = 0; i < 2; i++) {
      // Two receivers, as two processes that both poll would be.
      const { webhooks } = world.receiver();
      webhooks.onAny((event) => {
        inline.push(event.type);
      });
      const poller = pollStreamStatus(webhooks, {
        apiKey: KEY,
        studios: ['st_1'],
        baseUrl: api.url,
        intervalMs: 50,
        timeoutMs: 300,
      });
      stops.push(() => poller.stop());
    }
    const queue = world.queue();
    api.goLive('st_1', { encoderStreamId: 'enc_a', liveStartedAt: '2026-11-27T12:00:00.000Z' });
    await eventually(async () => (await queue.queue.getWaitingCount()) === 1);
    api.goOffline('st_1');
    await eventually(async () => (await queue.queue.getWaitingCount()) === 2);
    // Polls go on; the deterministic delivery ids keep the queue at one job per event.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await queue.queue.getWaitingCount()).toBe(2);

    const worker = world.workerReceiver();
    worker.webhooks.onAny((event, ctx) => {
      seen.push({ type: event.type, source: ctx.source, deliveryId: ctx.deliveryId });
    });
    world.worker(worker.webhooks, { concurrency: 1 });
    await eventually(() => seen.length === 2);
    expect(seen.map((s) => [s.type, s.source])).toEqual([
      ['stream.live', 'poll'],
      ['stream.offline', 'poll'],
    ]);
    expect(inline).toEqual([]);
  });
});
