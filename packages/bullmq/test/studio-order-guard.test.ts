import type { AnyTraxEvent } from '@trax-webhooks/core';
import { afterEach, describe, expect, it } from 'vitest';
import { redisSkipReason } from '../../../test-support/redis-test-env.js';
import { createStudioOrderGuard } from '../src/index.js';
import { eventually, queueWorld, signedRequest } from './harness.js';

const skip = await redisSkipReason('bullmq tests');

const at = (studioId: string, type: 'stream.live' | 'stream.offline', timestamp: string) => ({
  type,
  timestamp,
  data: {
    studioId,
    encoderStreamId: 'enc_1',
    liveStartedAt: '2026-11-27T12:00:00.000Z',
    mode: 'cloud',
  },
});
const ctx = { deliveryId: 'd', source: 'webhook' as const, receivedAt: new Date(), attempt: 1 };

describe.skipIf(skip)(`createStudioOrderGuard${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: ReturnType<typeof queueWorld>;
  afterEach(async () => {
    await world.close();
  });

  it('drops a retried stream.live that a worker reaches after the stream.offline of the same session', async () => {
    world = queueWorld();
    const redis = world.client();
    const { webhooks } = world.receiver({}, { backoff: 200 });
    const worker = world.workerReceiver();
    const stale: string[] = [];
    const inOrder = createStudioOrderGuard(redis, {
      prefix: `${world.storePrefix}applied:`,
      onStale: (event) => {
        stale.push(event.type);
      },
    });
    const applied: string[] = [];
    let liveRuns = 0;
    worker.webhooks.onStreamLive(
      inOrder((event) => {
        // The first run fails: the retry comes after the offline was applied.
        if (++liveRuns === 1) throw new Error('temporarily down');
        applied.push(event.type);
      }),
    );
    worker.webhooks.onStreamOffline(
      inOrder((event) => {
        applied.push(event.type);
      }),
    );
    world.worker(worker.webhooks, { concurrency: 1 });
    await webhooks.receive(
      signedRequest(undefined, at('st_1', 'stream.live', '2026-11-27T12:00:00.000Z')),
    );
    await webhooks.receive(
      signedRequest(undefined, at('st_1', 'stream.offline', '2026-11-27T12:30:00.000Z')),
    );
    await eventually(() => stale.length === 1);
    expect(applied).toEqual(['stream.offline']);
    expect(stale).toEqual(['stream.live']);
    expect(liveRuns).toBe(1);
  });

  it('keeps studios apart, lets an equal timestamp through, and records nothing for a handler that failed', async () => {
    world = queueWorld();
    const inOrder = createStudioOrderGuard(world.client(), {
      prefix: `${world.storePrefix}applied:`,
    });
    const ran: string[] = [];
    let fail = false;
    const handler = inOrder((event: AnyTraxEvent) => {
      if (fail) throw new Error('no');
      ran.push(`${(event.data as { studioId: string }).studioId}@${event.timestamp.slice(11, 16)}`);
    });
    await handler(at('st_1', 'stream.offline', '2026-11-27T12:30:00.000Z') as AnyTraxEvent, ctx);
    await handler(at('st_2', 'stream.live', '2026-11-27T12:00:00.000Z') as AnyTraxEvent, ctx);
    await handler(at('st_1', 'stream.live', '2026-11-27T12:00:00.000Z') as AnyTraxEvent, ctx);
    await handler(at('st_1', 'stream.live', '2026-11-27T12:30:00.000Z') as AnyTraxEvent, ctx);
    fail = true;
    await expect(
      handler(at('st_2', 'stream.offline', '2026-11-27T13:00:00.000Z') as AnyTraxEvent, ctx),
    ).rejects.toThrow('no');
    fail = false;
    await handler(at('st_2', 'stream.offline', '2026-11-27T12:10:00.000Z') as AnyTraxEvent, ctx);
    expect(ran).toEqual(['st_1@12:30', 'st_2@12:00', 'st_1@12:30', 'st_2@12:10']);
  });

  it('refuses bad options with a TypeError naming them', () => {
    world = queueWorld();
    expect(() => createStudioOrderGuard({} as never)).toThrow(/redis must/);
    expect(() => createStudioOrderGuard(world.client(), { ttlMs: -1 })).toThrow(/ttlMs option/);
  });
});
