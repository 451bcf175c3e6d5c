import { type AnyTraxEvent, createTraxWebhooks, type TraxWebhookError } from '@trax-webhooks/core';
import { type PollStreamStatusOptions, pollStreamStatus } from '@trax-webhooks/poller';
import { type MockTraxApi, startMockTraxApi } from '@trax-webhooks/testing';
import { afterEach, describe, expect, it } from 'vitest';

/** Against the real mock TRaX API over loopback HTTP, with the real global fetch and real timers. */
const KEY = 'sk_live_integration';
let api: MockTraxApi | undefined;
let stopPoller: (() => Promise<void>) | undefined;

afterEach(async () => {
  await stopPoller?.();
  await api?.close();
  api = undefined;
  stopPoller = undefined;
});

async function start(
  options: Partial<PollStreamStatusOptions> = {},
  mock: Parameters<typeof startMockTraxApi>[0] = {},
) {
  api = await startMockTraxApi({ apiKeys: [KEY], port: 0, ...mock });
  const webhooks = createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  const events: AnyTraxEvent[] = [];
  const errors: TraxWebhookError[] = [];
  webhooks.onAny((event) => {
    events.push(event);
  });
  webhooks.onError((error) => {
    errors.push(error);
  });
  const poller = pollStreamStatus(webhooks, {
    apiKey: KEY,
    studios: ['st_1'],
    baseUrl: api.url,
    intervalMs: 100,
    random: () => 0,
    maxBackoffMs: 200,
    timeoutMs: 300,
    ...options,
  });
  stopPoller = () => poller.stop();
  return { api, poller, events, errors };
}

async function until(check: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('against the mock TRaX API', () => {
  it('turns live, restart and offline into the webhook events', async () => {
    const { api, events } = await start();
    const first = api.goLive('st_1', {
      encoderStreamId: 'enc_a',
      liveStartedAt: '2026-11-27T12:00:00.000Z',
    });
    await until(() => events.length === 1);
    api.goLive('st_1', { encoderStreamId: 'enc_b', liveStartedAt: '2026-11-27T12:30:00.000Z' });
    await until(() => events.length === 3);
    api.goOffline('st_1');
    await until(() => events.length === 4);
    expect(events.map((e) => [e.type, e.data.encoderStreamId])).toEqual([
      ['stream.live', 'enc_a'],
      ['stream.offline', 'enc_a'],
      ['stream.live', 'enc_b'],
      ['stream.offline', 'enc_b'],
    ]);
    expect(events[0]).toEqual({
      type: 'stream.live',
      timestamp: first.liveStartedAt,
      data: {
        studioId: 'st_1',
        encoderStreamId: 'enc_a',
        liveStartedAt: first.liveStartedAt,
        mode: 'cloud',
      },
    });
  });

  // Every fault through both HTTP clients: the default undici pool and a `fetch`.
  const clients: Array<[string, Partial<PollStreamStatusOptions>]> = [
    ['undici pool', {}],
    ['fetch option', { fetch: (url, init) => globalThis.fetch(url, init) }],
  ];
  for (const [client, clientOptions] of clients)
    for (const [name, fault, pattern] of [
      ['garbage', { type: 'garbage' }, /not JSON/],
      ['wrong-shape', { type: 'wrong-shape' }, /wrong shape/],
      ['drop', { type: 'drop' }, /request failed/],
      ['status 502', { type: 'status', status: 502 }, /HTTP 502/],
      ['latency past the timeout', { type: 'latency', ms: 1000 }, /did not answer within 300 ms/],
    ] as const) {
      it(`${name} (${client}): reported with the studio id, never read as offline`, async () => {
        const { api, events, errors } = await start(clientOptions);
        api.goLive('st_1');
        await until(() => events.length === 1);
        api.injectFault({ studioId: 'st_1', times: 2, fault });
        await until(() => errors.length === 2);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(events.map((e) => e.type)).toEqual(['stream.live']);
        expect(errors.map((e) => [e.code, e.studioId])).toEqual([
          ['POLL_FAILED', 'st_1'],
          ['POLL_FAILED', 'st_1'],
        ]);
        expect(errors[0]!.message).toMatch(pattern);
      });
    }

  it('401 for a wrong key stops the studio; 404 backs off', async () => {
    const { api, poller, errors } = await start({
      studios: ['st_1', 'st_gone'],
      apiKey: 'sk_live_nope',
    });
    await until(() => errors.length === 2);
    expect(errors.every((e) => e.code === 'POLL_UNAUTHORIZED')).toBe(true);
    expect(poller.studioIds()).toEqual([]);
    expect(JSON.stringify(errors.map((e) => e.message))).not.toContain('sk_live_nope');
    await poller.stop();
    api.removeStudio('st_gone');
    const second = pollStreamStatus(
      createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
      {
        apiKey: KEY,
        studios: ['st_gone'],
        baseUrl: api.url,
        intervalMs: 100,
        random: () => 0,
      },
    );
    stopPoller = () => second.stop();
    await until(() => api.requests.filter((r) => r.status === 404).length >= 2);
  });

  for (const retryAfter of ['seconds', 'http-date'] as const) {
    it(`429 with Retry-After as ${retryAfter}: no request until it has passed`, async () => {
      const { api, errors } = await start({ studios: ['st_1', 'st_2'] });
      await until(() => api.requests.length >= 2);
      api.injectFault({
        studioId: 'st_1',
        times: 1,
        fault: { type: 'rate-limit', retryAfter, seconds: 2 },
      });
      await until(() => errors.length === 1);
      const limitedAt = Date.now();
      expect(errors[0]!.code).toBe('POLL_RATE_LIMITED');
      await until(() => api.requests.some((r) => r.at.getTime() > limitedAt + 500), 4000);
      const next = api.requests.find((r) => r.at.getTime() > limitedAt)!;
      // An HTTP date has one-second resolution, so it may end up to a second early.
      expect(next.at.getTime() - limitedAt).toBeGreaterThanOrEqual(
        retryAfter === 'seconds' ? 1900 : 900,
      );
    });
  }

  it('kept to the budget, a rate-limited API never answers 429', async () => {
    const studios = Array.from({ length: 40 }, (_, i) => `st_${i}`);
    const { api, errors } = await start(
      { studios, intervalMs: 200, maxRequestsPerSecond: 20, concurrency: 8 },
      { rateLimit: { limit: 20, windowMs: 1000 } },
    );
    await new Promise((resolve) => setTimeout(resolve, 3500));
    // The mock rounds X-RateLimit-Reset up to whole seconds and the poller honours
    // `Remaining: 0`, so a window may stretch to two seconds: at least 20 per 2 s.
    expect(api.requests.length).toBeGreaterThanOrEqual(35);
    expect(api.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
