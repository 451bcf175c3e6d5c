import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPolling } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-27T12:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('stop()', () => {
  it('aborts the request in flight and resolves when nothing more will be sent', async () => {
    const { api, poller, seen, errors } = startPolling({
      studios: ['st_1', 'st_2'],
      timeoutMs: 60_000,
    });
    api.injectFault({ type: 'hang' }, { studioId: 'st_1' });
    api.goLive('st_2');
    api.setLatency(5000);
    await vi.advanceTimersByTimeAsync(100);
    expect(api.requests).toHaveLength(2);
    const signals = api.requests.map((r) => r.signal);
    expect(signals.some((s) => s.aborted)).toBe(false);

    let stopped = false;
    const stopping = poller.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(stopped).toBe(true);
    await stopping;
    // An abort from stop() is neither an error nor an event.
    expect(errors).toEqual([]);
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.requests).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
    // Idempotent.
    await poller.stop();
  });

  it('waits for a handler already running, and starts no new one', async () => {
    const { api, webhooks, poller, seen } = startPolling({ studios: ['st_1'] });
    let finishHandler!: () => void;
    webhooks.onStreamLive(() => new Promise<void>((resolve) => (finishHandler = resolve)));
    api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toHaveLength(1);
    let stopped = false;
    const stopping = poller.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false);
    finishHandler();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('a stopped poller takes no new studios', async () => {
    const { poller } = startPolling();
    await poller.stop();
    expect(() => poller.addStudio('st_9')).toThrow(/stopped/);
  });
});

describe('adding and removing studios while running', () => {
  it('addStudio starts polling within one interval; adding twice is a no-op', async () => {
    const { api, poller, seen } = startPolling({ studios: [] });
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.requests).toEqual([]);
    api.goLive('st_new');
    poller.addStudio('st_new');
    poller.addStudio('st_new');
    expect(poller.studioIds()).toEqual(['st_new']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.requestsFor('st_new')).toHaveLength(2);
    expect(seen.map((s) => s.event.data.studioId)).toEqual(['st_new']);
    await poller.stop();
  });

  it('removeStudio stops its schedule and aborts its request in flight; the others go on', async () => {
    const { api, poller, errors } = startPolling({ studios: ['st_1', 'st_2'], timeoutMs: 60_000 });
    api.injectFault({ type: 'hang' }, { studioId: 'st_1' });
    await vi.advanceTimersByTimeAsync(100);
    const hanging = api.requestsFor('st_1')[0]!;
    expect(poller.removeStudio('st_1')).toBe(true);
    expect(poller.removeStudio('st_1')).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(hanging.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.requestsFor('st_1')).toHaveLength(1);
    expect(api.requestsFor('st_2').length).toBeGreaterThanOrEqual(5);
    expect(poller.studioIds()).toEqual(['st_2']);
    expect(errors).toEqual([]);
    await poller.stop();
  });

  it('a removed studio keeps its state: adding it back does not re-emit', async () => {
    const { api, poller, seen } = startPolling();
    api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(0);
    poller.removeStudio('st_1');
    poller.addStudio('st_1');
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen).toHaveLength(1);
    await poller.stop();
  });
});

describe('requests', () => {
  it('GET {baseUrl}/v1/studios/{id}/stream-status with the bearer key, the id URL-encoded', async () => {
    const urls: string[] = [];
    const { api, poller } = startPolling({
      studios: ['st/odd id'],
      baseUrl: 'http://127.0.0.1:9/api/',
    });
    const original = api.fetch;
    await poller.stop();
    const again = startPolling({
      api,
      studios: ['st/odd id'],
      baseUrl: 'http://127.0.0.1:9/api/',
      fetch: (url, init) => {
        urls.push(url);
        return original(url.replace('st%2Fodd%20id', 'st_1'), init);
      },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(urls).toEqual(['http://127.0.0.1:9/api/v1/studios/st%2Fodd%20id/stream-status']);
    expect(api.requests.at(-1)!.authorization).toBe('Bearer sk_live_test_key');
    await again.poller.stop();
  });
});
