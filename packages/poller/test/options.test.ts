import { createTraxWebhooks, MemoryStudioStateStore } from '@trax-webhooks/core';
import { type PollStreamStatusOptions, pollStreamStatus } from '@trax-webhooks/poller';
import { describe, expect, it } from 'vitest';

const webhooks = createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
const base: PollStreamStatusOptions = {
  apiKey: 'sk_live_secret_key',
  studios: ['st_1'],
  fetch: async () => new Response(),
};

describe('bad options throw a TypeError naming the option', () => {
  const cases: Array<[string, Partial<Record<keyof PollStreamStatusOptions, unknown>>, RegExp]> = [
    ['apiKey', { apiKey: '' }, /^apiKey option/],
    ['studios (not iterable)', { studios: 5 }, /^studios option/],
    ['studios (a string)', { studios: 'st_1' }, /^studios option/],
    [
      'studios (an empty id)',
      { studios: ['st_1', ''] },
      /studios option must be a non-empty string/,
    ],
    ['intervalMs', { intervalMs: 0 }, /^intervalMs option/],
    ['baseUrl', { baseUrl: 'not a url' }, /^baseUrl option/],
    ['timeoutMs', { timeoutMs: -1 }, /^timeoutMs option/],
    ['concurrency', { concurrency: 1.5 }, /^concurrency option/],
    ['maxRequestsPerSecond', { maxRequestsPerSecond: 0 }, /^maxRequestsPerSecond option/],
    ['jitter', { jitter: 1 }, /^jitter option/],
    ['maxBackoffMs', { maxBackoffMs: Number.NaN }, /^maxBackoffMs option/],
    // Past setTimeout's limit a timer fires after 1 ms: a busy loop, not a long wait.
    ['intervalMs above 2^31 - 1', { intervalMs: 2 ** 31 }, /^intervalMs option .*2147483647/],
    ['timeoutMs above 2^31 - 1', { timeoutMs: 2 ** 31 }, /^timeoutMs option .*2147483647/],
    ['maxBackoffMs above 2^31 - 1', { maxBackoffMs: 2 ** 31 }, /^maxBackoffMs option .*2147483647/],
    ['emitInitialLive', { emitInitialLive: 'no' }, /^emitInitialLive option/],
    ['stateStore', { stateStore: { get() {} } }, /^stateStore option .*missing set\(\)/],
    ['lease', { lease: 'yes' }, /^lease option/],
    [
      'lease.ttlMs',
      { lease: { ttlMs: 0 }, stateStore: new MemoryStudioStateStore() },
      /^lease.ttlMs option/,
    ],
    ['lease without a store', { lease: true }, /^lease option needs a shared stateStore/],
    ['instanceId', { instanceId: '' }, /^instanceId option/],
    ['fetch', { fetch: 'fetch' }, /^fetch option/],
    [
      'dispatcher',
      { fetch: undefined, dispatcher: {} },
      /^dispatcher option .*missing request\(\)/,
    ],
    [
      'fetch and dispatcher together',
      { dispatcher: { request() {} } },
      /^fetch and dispatcher options cannot be used together/,
    ],
    ['random', { random: 0.5 }, /^random option/],
  ];
  for (const [name, patch, message] of cases) {
    it(name, () => {
      const options = { ...base, ...patch } as PollStreamStatusOptions;
      expect(() => pollStreamStatus(webhooks, options)).toThrow(TypeError);
      expect(() => pollStreamStatus(webhooks, options)).toThrow(message);
    });
  }

  it('webhooks without handleEvent() and report()', () => {
    expect(() => pollStreamStatus({} as never, base)).toThrow(
      /webhooks must be a receiver with handleEvent\(\) and report\(\)/,
    );
  });

  it('accepts 2^31 - 1 ms, the longest setTimeout delay', async () => {
    const max = 2_147_483_647;
    const poller = pollStreamStatus(webhooks, {
      ...base,
      intervalMs: max,
      timeoutMs: max,
      maxBackoffMs: max,
    });
    await poller.stop();
  });

  it('never echoes the API key', () => {
    try {
      pollStreamStatus(webhooks, { ...base, intervalMs: -1 });
    } catch (error) {
      expect(String(error)).not.toContain('sk_live_secret_key');
    }
  });

  it('a bad id given to addStudio', async () => {
    const poller = pollStreamStatus(webhooks, { ...base, studios: [] });
    expect(() => poller.addStudio('' as string)).toThrow(/studio id must be a non-empty string/);
    await poller.stop();
  });
});

describe('MemoryStudioStateStore (the default)', () => {
  it('stores state and grants a lease to one owner until it ends', async () => {
    let now = 1000;
    const store = new MemoryStudioStateStore({ now: () => now });
    expect(await store.get('st_1')).toBeUndefined();
    await store.set('st_1', { live: false, updatedAt: 1 });
    expect(await store.get('st_1')).toEqual({ live: false, updatedAt: 1 });
    expect(await store.acquireLease('st_1', 'a', 100)).toBe(true);
    expect(await store.acquireLease('st_1', 'b', 100)).toBe(false);
    expect(await store.acquireLease('st_1', 'a', 100)).toBe(true);
    expect(await store.releaseLease('st_1', 'b')).toBe(false);
    now += 100;
    expect(await store.acquireLease('st_1', 'b', 100)).toBe(true);
    expect(await store.releaseLease('st_1', 'a')).toBe(false);
    expect(await store.releaseLease('st_1', 'b')).toBe(true);
    expect(await store.acquireLease('st_1', 'a', 100)).toBe(true);
  });
});
