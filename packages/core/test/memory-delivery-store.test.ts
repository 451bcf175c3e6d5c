import { MemoryDeliveryStore } from '@trax-webhooks/core';
import { describeDeliveryStoreContract } from '@trax-webhooks/core/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';

describeDeliveryStoreContract('MemoryDeliveryStore', {
  create: (timings) => new MemoryDeliveryStore(timings),
});

describe('MemoryDeliveryStore with fake timers', () => {
  afterEach(() => vi.useRealTimers());

  it('remembers a completed delivery for the default three days, then forgets it', async () => {
    vi.useFakeTimers();
    const store = new MemoryDeliveryStore();
    await store.claim('d1', 't1');
    await store.complete('d1', 't1');
    vi.advanceTimersByTime(3 * 24 * 3600 * 1000 - 1000);
    expect((await store.claim('d1', 't2')).status).toBe('duplicate');
    vi.advanceTimersByTime(2000);
    expect((await store.claim('d1', 't2')).status).toBe('claimed');
  });

  it('ends a lease after leaseMs (default 30 s) and reports the time left while it runs', async () => {
    vi.useFakeTimers();
    const store = new MemoryDeliveryStore();
    await store.claim('d1', 't1');
    vi.advanceTimersByTime(10_000);
    expect(await store.claim('d1', 't2')).toEqual({ status: 'in-flight', retryAfterMs: 20_000 });
    vi.advanceTimersByTime(20_001);
    expect((await store.claim('d1', 't2')).status).toBe('claimed');
  });

  it('forgets the least recently used delivery beyond max', async () => {
    const store = new MemoryDeliveryStore({ max: 2 });
    for (const k of ['a', 'b', 'c']) {
      await store.claim(k, 't');
      await store.complete(k, 't');
    }
    expect((await store.claim('a', 'u')).status).toBe('claimed');
    expect((await store.claim('c', 'u')).status).toBe('duplicate');
  });

  it('rejects, rather than throwing, when its clock throws', async () => {
    const store = new MemoryDeliveryStore({
      now: () => {
        throw new Error('clock broke');
      },
    });
    await expect(store.claim('d1', 't1')).rejects.toThrow('clock broke');
    await expect(store.complete('d1', 't1')).rejects.toThrow('clock broke');
  });

  it('answers a late complete from a claimer whose lease was taken over: false while the new owner holds it, true once it is done', async () => {
    vi.useFakeTimers();
    const store = new MemoryDeliveryStore({ leaseMs: 1_000 });
    await store.claim('d1', 'first');
    vi.advanceTimersByTime(1_001);
    expect((await store.claim('d1', 'second')).status).toBe('claimed');
    await expect(store.complete('d1', 'first')).resolves.toBe(false);
    await expect(store.complete('d1', 'second')).resolves.toBe(true);
    // Done is done: the answer no longer tells claimers apart (no token is kept per delivery).
    await expect(store.complete('d1', 'first')).resolves.toBe(true);
  });

  it('keeps claims whose lease ended until it holds max claims, then drops those (not live ones)', async () => {
    let now = 0;
    const store = new MemoryDeliveryStore({ max: 2, leaseMs: 1_000, now: () => now });
    await store.claim('a', 'ta');
    now = 1_500; // a's lease ended, and one claim is held: under max, nothing is dropped
    await store.claim('b', 'tb');
    await expect(store.complete('a', 'ta')).resolves.toBe(true);
    await store.claim('c', 'tc');
    now = 2_600; // b's and c's leases ended; two claims held, so the next claim drops them
    await store.claim('d', 'td');
    await expect(store.complete('b', 'tb')).resolves.toBe(false);
    await expect(store.complete('c', 'tc')).resolves.toBe(false);
    await expect(store.complete('d', 'td')).resolves.toBe(true);
  });

  it('counts its claims exactly after thousands come and go one at a time', async () => {
    let now = 0;
    const store = new MemoryDeliveryStore({ max: 2, leaseMs: 1_000, now: () => now });
    for (let n = 0; n < 5_000; n++) {
      expect((await store.claim(`k${n}`, 't')).status).toBe('claimed');
      expect((await store.claim(`k${n}`, 'copy')).status).toBe('in-flight');
      await expect(store.complete(`k${n}`, 't')).resolves.toBe(true);
    }
    expect((await store.claim('k4999', 'copy')).status).toBe('duplicate');
    // No claim is left over from the churn: one held claim whose lease ended is still under
    // max, so the next claim drops nothing and its late completion is recorded.
    await store.claim('a', 'ta');
    now = 1_500;
    await store.claim('b', 'tb');
    await expect(store.complete('a', 'ta')).resolves.toBe(true);
  });

  it('throws a TypeError naming the option for bad options', () => {
    expect(() => new MemoryDeliveryStore({ max: 0 })).toThrow(/max option/);
    expect(() => new MemoryDeliveryStore({ ttlMs: -1 })).toThrow(/ttlMs option/);
    expect(() => new MemoryDeliveryStore({ leaseMs: Number.NaN })).toThrow(/leaseMs option/);
  });
});
