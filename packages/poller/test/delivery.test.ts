import {
  type DeliveryStore,
  MemoryDeliveryStore,
  MemoryStudioStateStore,
  permanentFailure,
} from '@trax-webhooks/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeStreamStatusApi } from './fake-stream-status-api.js';
import { API_KEY, startPolling } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-27T12:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a handler that fails', () => {
  it('is retried at the next poll with the same delivery id, and nothing newer overtakes it', async () => {
    const { api, webhooks, poller, seen, errors } = startPolling();
    let failuresLeft = 2;
    webhooks.onStreamLive(() => {
      if (failuresLeft-- > 0) throw new Error('database down');
    });
    api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(0);
    expect(errors.map((e) => [e.code, e.source])).toEqual([['HANDLER_FAILED', 'poll']]);
    // The studio goes offline while stream.live is still failing: offline must wait its turn.
    api.goOffline('st_1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(poller.stats().pendingEvents).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(poller.stats().pendingEvents).toBe(0);
    const live = seen.filter((s) => s.event.type === 'stream.live');
    expect(live.map((s) => s.ctx.attempt)).toEqual([1, 2, 3]);
    expect(new Set(live.map((s) => s.ctx.deliveryId)).size).toBe(1);
    expect(seen.map((s) => s.event.type)).toEqual([
      'stream.live',
      'stream.live',
      'stream.live',
      'stream.offline',
    ]);
    await poller.stop();
  });

  it('stays listed by pendingEvents(), oldest first, also after stop()', async () => {
    const { api, webhooks, poller } = startPolling();
    webhooks.onStreamLive(() => {
      throw new Error('database down');
    });
    api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(0);
    api.goOffline('st_1');
    await vi.advanceTimersByTimeAsync(1000);
    await poller.stop();
    const pending = poller.pendingEvents();
    expect(pending.map((p) => [p.studioId, p.event.type, p.attempts])).toEqual([
      ['st_1', 'stream.live', 2],
      // Queued behind the live: never handed over.
      ['st_1', 'stream.offline', 0],
    ]);
    expect(pending.every((p) => p.deliveryId.startsWith('poll_'))).toBe(true);
  });

  it('is retried even while the API is failing (the retry needs no request)', async () => {
    const { api, webhooks, poller, seen } = startPolling();
    let fail = true;
    webhooks.onStreamLive(() => {
      if (fail) throw new Error('boom');
    });
    api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(0);
    api.injectFault({ type: 'status', status: 500 }, { times: 10 });
    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.map((s) => s.ctx.attempt)).toEqual([1, 2]);
    await poller.stop();
  });

  it('that fails permanently is acknowledged and not retried', async () => {
    const { api, webhooks, poller, seen } = startPolling();
    webhooks.onStreamLive(() => {
      throw permanentFailure(new Error('studio unknown to us'));
    });
    api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen).toHaveLength(1);
    await poller.stop();
  });
});

describe('the delivery store', () => {
  it('unavailable: the event stays pending and is delivered once the store is back', async () => {
    const inner = new MemoryDeliveryStore();
    let down = true;
    const store: DeliveryStore = {
      claim: (k, t) => (down ? Promise.reject(new Error('ECONNREFUSED')) : inner.claim(k, t)),
      complete: (k, t) => inner.complete(k, t),
      release: (k, t) => inner.release(k, t),
    };
    const { api, poller, seen, errors } = startPolling({ store });
    api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual([
      'STORE_UNAVAILABLE',
      'STORE_UNAVAILABLE',
      'STORE_UNAVAILABLE',
    ]);
    down = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.map((s) => s.event.type)).toEqual(['stream.live']);
    await poller.stop();
  });

  it('in flight elsewhere: retried at the next poll, then a duplicate, and the state moves on', async () => {
    const shared = new MemoryDeliveryStore();
    const stateStore = new MemoryStudioStateStore();
    const api = createFakeStreamStatusApi(API_KEY);
    const session = api.goLive('st_1');
    // Another process claimed the same delivery and is still running its handlers.
    const { pollDeliveryId } = await import('@trax-webhooks/poller');
    await shared.claim(pollDeliveryId('st_1', session, 'stream.live'), 'other-process');
    const { poller, seen } = startPolling({ api, store: shared, stateStore });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([]);
    expect(poller.stats().pendingEvents).toBe(1);
    expect(await stateStore.get('st_1')).toBeUndefined();
    await shared.complete(pollDeliveryId('st_1', session, 'stream.live'), 'other-process');
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual([]);
    expect(poller.stats().pendingEvents).toBe(0);
    expect(await stateStore.get('st_1')).toMatchObject({
      live: true,
      session: { liveStartedAt: session.liveStartedAt },
    });
    await poller.stop();
  });
});

describe('restarts with persisted state', () => {
  it('do not re-emit what was delivered, even with a fresh delivery store', async () => {
    const stateStore = new MemoryStudioStateStore();
    const api = createFakeStreamStatusApi(API_KEY);
    api.goLive('st_1');
    const first = startPolling({ api, stateStore });
    await vi.advanceTimersByTimeAsync(0);
    expect(first.types()).toEqual(['stream.live']);
    await first.poller.stop();

    // A new process: new receiver, new (empty) memory delivery store, same state store.
    const second = startPolling({ api, stateStore });
    await vi.advanceTimersByTimeAsync(5000);
    expect(second.seen).toEqual([]);
    api.goOffline('st_1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(second.types()).toEqual(['stream.offline']);
    await second.poller.stop();
  });

  it('re-derive an event that was not delivered before the restart (nothing is lost)', async () => {
    const stateStore = new MemoryStudioStateStore();
    const api = createFakeStreamStatusApi(API_KEY);
    api.goLive('st_1');
    const first = startPolling({ api, stateStore });
    first.webhooks.onStreamLive(() => {
      throw new Error('crashing');
    });
    await vi.advanceTimersByTimeAsync(0);
    await first.poller.stop();
    expect(await stateStore.get('st_1')).toBeUndefined();

    const second = startPolling({ api, stateStore });
    await vi.advanceTimersByTimeAsync(0);
    expect(second.types()).toEqual(['stream.live']);
    expect(second.seen[0]!.ctx.deliveryId).toBe(first.seen[0]!.ctx.deliveryId);
    await second.poller.stop();
  });

  it('a studio restarted while the poller was down gives offline(old), live(new)', async () => {
    const stateStore = new MemoryStudioStateStore();
    const api = createFakeStreamStatusApi(API_KEY);
    api.goLive('st_1', { liveStartedAt: '2026-11-27T11:00:00.000Z' });
    const first = startPolling({ api, stateStore });
    await vi.advanceTimersByTimeAsync(0);
    await first.poller.stop();
    api.goLive('st_1', { liveStartedAt: '2026-11-27T11:59:00.000Z' });
    const second = startPolling({ api, stateStore });
    await vi.advanceTimersByTimeAsync(0);
    expect(second.seen.map((s) => [s.event.type, s.event.data.liveStartedAt])).toEqual([
      ['stream.offline', '2026-11-27T11:00:00.000Z'],
      ['stream.live', '2026-11-27T11:59:00.000Z'],
    ]);
    await second.poller.stop();
  });
});

describe('the state store', () => {
  it('unreachable: the poll is skipped and reported, never guessed', async () => {
    const inner = new MemoryStudioStateStore();
    let down = true;
    const stateStore = {
      get: (id: string) => (down ? Promise.reject(new Error('ETIMEDOUT')) : inner.get(id)),
      set: inner.set.bind(inner),
      acquireLease: inner.acquireLease.bind(inner),
      releaseLease: inner.releaseLease.bind(inner),
    };
    const { api, poller, seen, errors } = startPolling({ stateStore });
    api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([]);
    expect(errors.map((e) => [e.code, e.studioId])).toEqual([['STORE_UNAVAILABLE', 'st_1']]);
    down = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen.map((s) => s.event.type)).toEqual(['stream.live']);
    await poller.stop();
  });
});

describe('leases', () => {
  it('two pollers sharing a state store poll each studio about once per interval between them', async () => {
    const stateStore = new MemoryStudioStateStore();
    const store = new MemoryDeliveryStore();
    const api = createFakeStreamStatusApi(API_KEY);
    api.goLive('st_1');
    const a = startPolling({
      api,
      stateStore,
      store,
      lease: true,
      instanceId: 'a',
      intervalMs: 10_000,
    });
    const b = startPolling({
      api,
      stateStore,
      store,
      lease: true,
      instanceId: 'b',
      intervalMs: 10_000,
      random: () => 0.5,
    });
    await vi.advanceTimersByTimeAsync(100_000);
    // 100 s at one poll per ~9-10 s: 10 or 11 polls in all, not 20.
    expect(api.requests.length).toBeGreaterThanOrEqual(10);
    expect(api.requests.length).toBeLessThanOrEqual(12);
    expect([...a.seen, ...b.seen]).toHaveLength(1);
    await Promise.all([a.poller.stop(), b.poller.stop()]);
  });

  it('stop() hands the lease over so another poller need not wait for it to expire', async () => {
    const stateStore = new MemoryStudioStateStore();
    const a = startPolling({ stateStore, lease: { ttlMs: 60_000 }, instanceId: 'a' });
    await vi.advanceTimersByTimeAsync(0);
    expect(await stateStore.acquireLease('st_1', 'b', 1000)).toBe(false);
    await a.poller.stop();
    expect(await stateStore.acquireLease('st_1', 'b', 1000)).toBe(true);
  });
});
