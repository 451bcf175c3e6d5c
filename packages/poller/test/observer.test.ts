import { createTraxWebhooks, type PollOutcome } from '@trax-webhooks/core';
import { pollStreamStatus } from '@trax-webhooks/poller';
import { type MockFault, startMockTraxApi } from '@trax-webhooks/testing';
import { describe, expect, it } from 'vitest';

/** Against the real mock TRaX API over loopback HTTP, with real timers. */
const KEY = 'sk_live_observed';

async function observeOnce(fault: MockFault | undefined, apiKey = KEY) {
  const api = await startMockTraxApi({ apiKeys: [KEY] });
  api.goLive('st_1');
  if (fault) api.injectFault({ fault });
  const seen: [string, PollOutcome, number | undefined][] = [];
  const durations: number[] = [];
  const poller = pollStreamStatus(
    createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
    {
      apiKey,
      studios: ['st_1'],
      baseUrl: api.url,
      intervalMs: 50,
      random: () => 0,
      timeoutMs: 300,
      observer: {
        polled(studioId, outcome, durationMs, httpStatus) {
          seen.push([studioId, outcome, httpStatus]);
          durations.push(durationMs);
        },
      },
    },
  );
  try {
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBeGreaterThan(0);
  } finally {
    await poller.stop();
    await api.close();
  }
  expect(durations[0]).toBeGreaterThanOrEqual(0);
  return seen[0];
}

describe('observer option: each stream-status request is told with its outcome and status', () => {
  it.each([
    ['ok 200', undefined, ['st_1', 'ok', 200]],
    [
      'rate-limited 429',
      { type: 'rate-limit', retryAfter: 'seconds', seconds: 1 },
      ['st_1', 'rate-limited', 429],
    ],
    ['not-found 404', { type: 'status', status: 404 }, ['st_1', 'not-found', 404]],
    ['failed 503', { type: 'status', status: 503 }, ['st_1', 'failed', 503]],
    ['failed, not JSON (200 answered)', { type: 'garbage' }, ['st_1', 'failed', 200]],
    ['failed, no answer (dropped)', { type: 'drop' }, ['st_1', 'failed', undefined]],
  ] as const)('%s', async (_name, fault, expected) => {
    expect(await observeOnce(fault as MockFault | undefined)).toEqual(expected);
  });

  it('unauthorized 401 (a rejected key)', async () => {
    expect(await observeOnce(undefined, 'sk_live_wrong')).toEqual(['st_1', 'unauthorized', 401]);
  });

  it('an observer without polled() is a TypeError naming the option', () => {
    expect(() =>
      pollStreamStatus(createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }), {
        apiKey: KEY,
        studios: [],
        observer: {} as never,
      }),
    ).toThrow(new TypeError('observer option must implement PollObserver (missing polled())'));
  });
});
