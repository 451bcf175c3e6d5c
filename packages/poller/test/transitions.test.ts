import { pollDeliveryId } from '@trax-webhooks/poller';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPolling } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-27T12:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('transitions', () => {
  it('offline → live emits stream.live shaped exactly like a webhook event', async () => {
    const { api, poller, seen } = startPolling();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([]);
    const session = api.goLive('st_1', {
      encoderStreamId: 'es_9',
      liveStartedAt: '2026-11-27T12:00:00.500Z',
      region: 'eu',
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toHaveLength(1);
    const { event, ctx } = seen[0]!;
    expect(event).toEqual({
      type: 'stream.live',
      timestamp: session.liveStartedAt,
      data: {
        studioId: 'st_1',
        encoderStreamId: 'es_9',
        liveStartedAt: session.liveStartedAt,
        mode: 'cloud',
        region: 'eu',
      },
    });
    expect(ctx.source).toBe('poll');
    expect(ctx.attempt).toBe(1);
    expect(ctx.deliveryId).toBe(pollDeliveryId('st_1', session, 'stream.live'));
    expect(ctx.deliveryId).toMatch(/^poll_[0-9a-f]{32}$/);
    await poller.stop();
  });

  it('live → offline emits stream.offline with endedAt and the ended session’s fields', async () => {
    const { api, poller, seen } = startPolling();
    const session = api.goLive('st_1', {
      encoderStreamId: 'es_1',
      liveStartedAt: '2026-11-27T11:00:00.000Z',
    });
    await vi.advanceTimersByTimeAsync(0);
    api.goOffline('st_1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.map((s) => s.event.type)).toEqual(['stream.live', 'stream.offline']);
    const offline = seen[1]!;
    expect(offline.event).toEqual({
      type: 'stream.offline',
      timestamp: '2026-11-27T12:00:01.000Z',
      data: {
        studioId: 'st_1',
        encoderStreamId: 'es_1',
        liveStartedAt: session.liveStartedAt,
        mode: 'cloud',
        endedAt: '2026-11-27T12:00:01.000Z',
      },
    });
    expect(offline.ctx.deliveryId).toBe(pollDeliveryId('st_1', session, 'stream.offline'));
    await poller.stop();
  });

  it('live → live with a new liveStartedAt emits offline for the old session, then live for the new', async () => {
    const { api, poller, seen } = startPolling();
    const first = api.goLive('st_1', { liveStartedAt: '2026-11-27T11:00:00.000Z' });
    await vi.advanceTimersByTimeAsync(0);
    const second = api.goLive('st_1', { liveStartedAt: '2026-11-27T12:00:00.700Z' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.map((s) => [s.event.type, s.event.data.liveStartedAt])).toEqual([
      ['stream.live', first.liveStartedAt],
      ['stream.offline', first.liveStartedAt],
      ['stream.live', second.liveStartedAt],
    ]);
    // The old session ended no later than the new one started (not when the poll noticed).
    expect(seen[1]!.event.data.endedAt).toBe(second.liveStartedAt);
    expect(seen[1]!.event.timestamp).toBe(second.liveStartedAt);
    await poller.stop();
  });

  it('live → live with only a new encoderStreamId is a restart too', async () => {
    const { api, poller, seen } = startPolling();
    api.goLive('st_1', { encoderStreamId: 'es_a', liveStartedAt: '2026-11-27T11:00:00.000Z' });
    await vi.advanceTimersByTimeAsync(0);
    api.goLive('st_1', { encoderStreamId: 'es_b', liveStartedAt: '2026-11-27T11:00:00.000Z' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.map((s) => [s.event.type, s.event.data.encoderStreamId])).toEqual([
      ['stream.live', 'es_a'],
      ['stream.offline', 'es_a'],
      ['stream.live', 'es_b'],
    ]);
    expect(new Set(seen.map((s) => s.ctx.deliveryId)).size).toBe(3);
    await poller.stop();
  });

  it('the same session polled again emits nothing more', async () => {
    const { api, poller, seen } = startPolling();
    api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.requestsFor('st_1')).toHaveLength(11);
    expect(seen).toHaveLength(1);
    await poller.stop();
  });

  it('a studio live at the first poll emits stream.live; emitInitialLive: false records it silently', async () => {
    const loud = startPolling();
    loud.api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(0);
    expect(loud.types()).toEqual(['stream.live']);
    await loud.poller.stop();

    const quiet = startPolling({ emitInitialLive: false });
    quiet.api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(0);
    expect(quiet.seen).toEqual([]);
    // It was recorded as live: going offline is still a transition.
    quiet.api.goOffline('st_1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(quiet.types()).toEqual(['stream.offline']);
    await quiet.poller.stop();
  });

  it('a studio offline at the first poll emits nothing', async () => {
    const { poller, seen } = startPolling();
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen).toEqual([]);
    await poller.stop();
  });

  it('flapping: every transition seen by a poll is emitted once, in order', async () => {
    const { api, poller, seen } = startPolling({ studios: ['st_1', 'st_2'] });
    const expected: string[] = [];
    for (let i = 0; i < 6; i++) {
      if (i % 2 === 0) {
        const session = api.goLive('st_1', { liveStartedAt: new Date(Date.now()).toISOString() });
        expected.push(`live ${session.liveStartedAt}`);
      } else {
        expected.push(`offline ${expected.at(-1)!.slice(5)}`);
        api.goOffline('st_1');
      }
      await vi.advanceTimersByTimeAsync(1000);
    }
    // A flap faster than the interval is invisible to polling (documented): on and off again
    // between two polls is no transition at all.
    api.goLive('st_1', { liveStartedAt: '2026-11-27T12:00:06.100Z' });
    await vi.advanceTimersByTimeAsync(100);
    api.goOffline('st_1');
    await vi.advanceTimersByTimeAsync(900);
    const st1 = seen.filter((s) => s.event.data.studioId === 'st_1');
    expect(st1.map((s) => `${s.event.type.slice(7)} ${s.event.data.liveStartedAt}`)).toEqual(
      expected,
    );
    expect(new Set(st1.map((s) => s.ctx.deliveryId)).size).toBe(expected.length);
    expect(seen.filter((s) => s.event.data.studioId === 'st_2')).toEqual([]);
    await poller.stop();
  });
});
