import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Fault } from './fake-stream-status-api.js';
import { API_KEY, startPolling } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-27T12:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Gaps between a studio's consecutive requests, in ms. */
function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

describe('an error is never "offline"', () => {
  const kinds: Array<[string, Fault, RegExp]> = [
    ['a network error', { type: 'network' }, /request failed: fetch failed \(ECONNRESET\)/],
    ['a 500', { type: 'status', status: 500 }, /answered HTTP 500/],
    ['a 503', { type: 'status', status: 503 }, /answered HTTP 503/],
    ['a body that is not JSON', { type: 'garbage' }, /not JSON/],
    ['a body of the wrong shape', { type: 'wrong-shape' }, /wrong shape: "live" is not a boolean/],
    ['a timeout', { type: 'hang' }, /did not answer within 500 ms/],
  ];

  for (const [name, fault, message] of kinds) {
    it(`${name} keeps the last state, backs off exponentially and reaches onError with the studio id`, async () => {
      const { api, poller, seen, errors } = startPolling({ timeoutMs: 500, maxBackoffMs: 16_000 });
      api.goLive('st_1');
      await vi.advanceTimersByTimeAsync(0);
      expect(seen).toHaveLength(1);

      api.injectFault(fault, { times: 4 });
      await vi.advanceTimersByTimeAsync(60_000);
      // Still live: no stream.offline came out of the errors.
      expect(seen.map((s) => s.event.type)).toEqual(['stream.live']);
      expect(errors.length).toBe(4);
      for (const error of errors) {
        expect(error.code).toBe('POLL_FAILED');
        expect(error.studioId).toBe('st_1');
        expect(error.source).toBe('poll');
        expect(error.message).toMatch(message);
        expect(error.message).toMatch(/last known state is kept/);
        expect(error.message).not.toContain(API_KEY);
      }
      // random() = 0: equal jitter gives half the doubled interval, never under the interval.
      const times = api.requestsFor('st_1').map((r) => r.at);
      const timeout = fault.type === 'hang' ? 500 : 0;
      expect(gaps(times).slice(0, 5)).toEqual([
        1000,
        1000 + timeout,
        2000 + timeout,
        4000 + timeout,
        8000 + timeout,
      ]);

      // Recovered: the next transition still comes through.
      api.goOffline('st_1');
      await vi.advanceTimersByTimeAsync(1000);
      expect(seen.map((s) => s.event.type)).toEqual(['stream.live', 'stream.offline']);
      await poller.stop();
    });
  }

  it('backoff is capped at maxBackoffMs', async () => {
    const { api, poller } = startPolling({ maxBackoffMs: 5000 });
    api.injectFault({ type: 'status', status: 502 }, { times: 20 });
    await vi.advanceTimersByTimeAsync(60_000);
    const times = api.requestsFor('st_1').map((r) => r.at);
    expect(Math.max(...gaps(times))).toBeLessThanOrEqual(5000);
    await poller.stop();
  });

  it('a 503 with Retry-After waits at least that long', async () => {
    const { api, poller } = startPolling();
    api.injectFault({ type: 'status', status: 503, headers: { 'retry-after': '30' } });
    await vi.advanceTimersByTimeAsync(40_000);
    const times = api.requestsFor('st_1').map((r) => r.at);
    expect(gaps(times)[0]).toBe(30_000);
    await poller.stop();
  });
});

describe('404', () => {
  it('reports POLL_NOT_FOUND and backs off, then polls on', async () => {
    const { api, poller, errors, seen } = startPolling();
    api.injectFault({ type: 'status', status: 404 }, { times: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(errors.map((e) => [e.code, e.studioId])).toEqual([['POLL_NOT_FOUND', 'st_1']]);
    expect(errors[0]!.message).toMatch(/404 for studio st_1: no such studio/);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(gaps(api.requestsFor('st_1').map((r) => r.at)).slice(0, 2)).toEqual([1000, 2000]);
    api.goLive('st_1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.map((s) => s.event.type)).toEqual(['stream.live']);
    await poller.stop();
  });
});

describe('401 and 403', () => {
  it('a 401 (rejected key) stops that studio, says why, and leaves the others polling', async () => {
    const { api, poller, errors } = startPolling({
      studios: ['st_1', 'st_2'],
      apiKey: 'sk_live_wrong',
    });
    // The fake answers 401 to every request with the wrong key; st_2 gets a healthy key below.
    await vi.advanceTimersByTimeAsync(0);
    expect(errors.map((e) => [e.code, e.status, e.studioId]).sort()).toEqual([
      ['POLL_UNAUTHORIZED', undefined, 'st_1'],
      ['POLL_UNAUTHORIZED', undefined, 'st_2'],
    ]);
    expect(errors[0]!.message).toMatch(
      /answered 401 .*API key was rejected.*Polling this studio stopped/,
    );
    expect(errors[0]!.message).not.toContain('sk_live_wrong');
    expect(poller.studioIds()).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.requests).toHaveLength(2);
    await poller.stop();
  });

  it('a 403 stops only the studio it was about', async () => {
    const { api, poller, errors } = startPolling({ studios: ['st_1', 'st_2'] });
    api.injectFault({ type: 'status', status: 403 }, { studioId: 'st_2' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(errors.map((e) => [e.code, e.studioId])).toEqual([['POLL_UNAUTHORIZED', 'st_2']]);
    expect(errors[0]!.message).toMatch(/403 .*may not read this studio/);
    expect(poller.studioIds()).toEqual(['st_1']);
    expect(api.requestsFor('st_2')).toHaveLength(1);
    expect(api.requestsFor('st_1')).toHaveLength(6);
    // Adding it again (access fixed) resumes it.
    poller.addStudio('st_2');
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.requestsFor('st_2').length).toBeGreaterThan(1);
    await poller.stop();
  });
});

describe('429', () => {
  it('honours Retry-After in seconds, for every studio (the limit is the key’s)', async () => {
    const { api, poller, errors } = startPolling({ studios: ['st_1', 'st_2'] });
    await vi.advanceTimersByTimeAsync(0);
    api.injectFault(
      { type: 'status', status: 429, headers: { 'retry-after': '20' } },
      { studioId: 'st_1' },
    );
    await vi.advanceTimersByTimeAsync(1000);
    const limitedAt = Date.now();
    expect(errors.map((e) => [e.code, e.status, e.studioId])).toEqual([
      ['POLL_RATE_LIMITED', undefined, 'st_1'],
    ]);
    expect(errors[0]!.message).toMatch(/429 for studio st_1; polling it again in 20 s/);
    await vi.advanceTimersByTimeAsync(19_999);
    // Nobody asked during the 20 s: st_2's polls waited too.
    expect(api.requests.filter((r) => r.at > limitedAt)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.requests.filter((r) => r.at > limitedAt).map((r) => r.at - limitedAt)).toEqual([
      20_000, 20_000,
    ]);
    await poller.stop();
  });

  it('Retry-After: 0 does not make polling faster than the interval', async () => {
    const { api, poller } = startPolling({ intervalMs: 5000 });
    api.injectFault({ type: 'status', status: 429, headers: { 'retry-after': '0' } }, { times: 5 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(Math.min(...gaps(api.requests.map((r) => r.at)))).toBeGreaterThanOrEqual(5000);
    await poller.stop();
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { api, poller, errors } = startPolling();
    await vi.advanceTimersByTimeAsync(0);
    const retryAt = new Date(Date.now() + 1000 + 45_000);
    api.injectFault({
      type: 'status',
      status: 429,
      headers: { 'retry-after': retryAt.toUTCString() },
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors[0]!.message).toMatch(/again in 45 s/);
    await vi.advanceTimersByTimeAsync(44_999);
    expect(api.requests.at(-1)!.at).toBe(retryAt.getTime() - 45_000);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.requests.at(-1)!.at).toBe(retryAt.getTime());
    await poller.stop();
  });

  it('a 429 without Retry-After uses X-RateLimit-Reset, else backs off', async () => {
    const { api, poller } = startPolling();
    await vi.advanceTimersByTimeAsync(0);
    api.injectFault({
      type: 'status',
      status: 429,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 31),
      },
    });
    api.injectFault({ type: 'status', status: 429 });
    await vi.advanceTimersByTimeAsync(1000);
    const first = Date.now();
    await vi.advanceTimersByTimeAsync(40_000);
    const times = api.requests.map((r) => r.at).filter((t) => t >= first);
    // Epoch-seconds reset 30 s later, then plain exponential backoff (2 failures: 2 s).
    expect(gaps(times).slice(0, 2)).toEqual([30_000, 2000]);
    await poller.stop();
  });

  it('X-RateLimit-Remaining: 0 on a good answer pauses every request until the reset', async () => {
    const { api, poller, seen } = startPolling({ studios: ['st_1', 'st_2'] });
    api.setHeaders({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '10' });
    await vi.advanceTimersByTimeAsync(0);
    api.setHeaders({});
    api.goLive('st_1');
    const start = api.requests[0]!.at;
    await vi.advanceTimersByTimeAsync(10_000);
    const after = api.requests.map((r) => r.at - start).filter((t) => t > 0);
    // Nothing until the window resets 10 s later; then both studios, st_1 now live.
    expect(after).toEqual([10_000, 10_000]);
    expect(seen.map((s) => s.event.type)).toEqual(['stream.live']);
    await poller.stop();
  });
});

describe('waits the API asks for are honoured up to 1 h (or maxBackoffMs if longer)', () => {
  // Unclamped, each of these is a delay past setTimeout's 2^31 - 1 ms: it fires after 1 ms, and
  // the poller asks again and again, as fast as the event loop turns.
  const HOUR = 3_600_000;

  it('a 429 with an absurd Retry-After (seconds) polls again after an hour, every studio waiting', async () => {
    const { api, poller, errors } = startPolling({ studios: ['st_1', 'st_2'] });
    await vi.advanceTimersByTimeAsync(0);
    api.injectFault(
      { type: 'status', status: 429, headers: { 'retry-after': '99999999999' } },
      { studioId: 'st_1', times: 100 },
    );
    await vi.advanceTimersByTimeAsync(1000);
    const limitedAt = Date.now();
    expect(errors[0]!.message).toMatch(/polling it again in 3600 s/);
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    // The key-wide pause is capped too: nobody asked, st_2 included, and nothing spun.
    expect(api.requests.filter((r) => r.at > limitedAt)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.requests.filter((r) => r.at > limitedAt).map((r) => r.at - limitedAt)).toEqual([
      HOUR,
      HOUR,
    ]);
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    // One 429 an hour for st_1, not thousands.
    expect(
      api
        .requestsFor('st_1')
        .filter((r) => r.at >= limitedAt)
        .map((r) => r.at - limitedAt),
    ).toEqual([0, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR]);
    await poller.stop();
  });

  it('a longer maxBackoffMs raises the cap', async () => {
    const { api, poller, errors } = startPolling({ maxBackoffMs: 2 * HOUR });
    await vi.advanceTimersByTimeAsync(0);
    api.injectFault({ type: 'status', status: 429, headers: { 'retry-after': '99999999999' } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors[0]!.message).toMatch(/polling it again in 7200 s/);
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(gaps(api.requests.map((r) => r.at)).slice(0, 3)).toEqual([1000, 2 * HOUR, 1000]);
    await poller.stop();
  });

  it('a 503 with a Retry-After date centuries away waits an hour, not forever', async () => {
    const { api, poller, errors } = startPolling();
    await vi.advanceTimersByTimeAsync(0);
    api.injectFault(
      { type: 'status', status: 503, headers: { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' } },
      { times: 2 },
    );
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(errors.map((e) => e.code)).toEqual(['POLL_FAILED', 'POLL_FAILED']);
    expect(errors[0]!.message).toMatch(/retrying in 3600 s/);
    const times = api.requests.map((r) => r.at);
    expect(gaps(times).slice(0, 3)).toEqual([1000, HOUR, HOUR]);
    await poller.stop();
  });

  it('X-RateLimit-Reset far in the future pauses every request for an hour at most', async () => {
    const { api, poller, seen } = startPolling({ studios: ['st_1', 'st_2'] });
    // Epoch seconds in the year 5138: in ms from now, far past a timer's limit.
    api.setHeaders({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '99999999999' });
    await vi.advanceTimersByTimeAsync(0);
    api.setHeaders({});
    api.goLive('st_1');
    const start = api.requests[0]!.at;
    await vi.advanceTimersByTimeAsync(HOUR);
    const after = api.requests.map((r) => r.at - start).filter((t) => t > 0);
    expect(after).toEqual([HOUR, HOUR]);
    expect(seen.map((s) => s.event.type)).toEqual(['stream.live']);
    await poller.stop();
  });
});
