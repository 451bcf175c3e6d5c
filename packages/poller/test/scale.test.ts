import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPolling } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-27T12:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The most requests that started within any window of `windowMs` (inclusive start, exclusive end). */
function busiestWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

const studios = (n: number) => Array.from({ length: n }, (_, i) => `st_${i}`);

describe('the requests-per-second budget', () => {
  it('is never exceeded in any one-second window, and is used up (held to the budget)', async () => {
    // 300 studios every second would need 300 rps; the budget allows 25.
    const { api, poller } = startPolling({
      studios: studios(300),
      maxRequestsPerSecond: 25,
      concurrency: 100,
      random: Math.random,
      jitter: 0.1,
    });
    await vi.advanceTimersByTimeAsync(20_000);
    const times = api.requests.map((r) => r.at);
    expect(busiestWindow(times)).toBe(25);
    // Held to the budget, not far under it: 20 s at 25 rps.
    expect(times.length).toBeGreaterThanOrEqual(20 * 25 - 25);
    expect(times.length).toBeLessThanOrEqual(20 * 25 + 25);
    // Fair: every studio got polled.
    expect(new Set(api.requests.map((r) => r.studioId)).size).toBe(300);
    await poller.stop();
  });

  it('holds across errors and 429 retries too', async () => {
    const { api, poller } = startPolling({
      studios: studios(50),
      maxRequestsPerSecond: 10,
      intervalMs: 500,
      maxBackoffMs: 1000,
    });
    api.injectFault({ type: 'status', status: 500 }, { times: 200 });
    api.injectFault(
      { type: 'status', status: 429, headers: { 'retry-after': '0' } },
      { times: 100 },
    );
    await vi.advanceTimersByTimeAsync(30_000);
    expect(busiestWindow(api.requests.map((r) => r.at))).toBeLessThanOrEqual(10);
    await poller.stop();
  });
});

describe('the concurrency limit', () => {
  it('never has more requests in flight than allowed', async () => {
    const { api, poller } = startPolling({
      studios: studios(40),
      concurrency: 3,
      maxRequestsPerSecond: 1000,
    });
    api.setLatency(300);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.maxInFlight).toBe(3);
    // 3 at a time, 300 ms each: about 10 per second.
    expect(api.requests.length).toBeGreaterThanOrEqual(95);
    await poller.stop();
  });
});

describe('jittered schedules', () => {
  it('spread the first polls over one interval', async () => {
    const { api, poller } = startPolling({
      studios: studios(100),
      intervalMs: 10_000,
      random: Math.random,
      jitter: 0.2,
      maxRequestsPerSecond: 1000,
      concurrency: 100,
    });
    await vi.advanceTimersByTimeAsync(10_000);
    const first = new Map<string, number>();
    for (const r of api.requests) if (!first.has(r.studioId)) first.set(r.studioId, r.at);
    const firsts = [...first.values()];
    expect(firsts).toHaveLength(100);
    // Not all in one second: a uniform spread puts at most a few dozen in any one second.
    expect(busiestWindow(firsts)).toBeLessThan(40);
    await poller.stop();
  });
});
