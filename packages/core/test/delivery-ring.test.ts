import { MemoryDeliveryStore } from '@trax-webhooks/core';
import { describe, expect, it } from 'vitest';

/** The memory store's bound on remembered deliveries, seen through its public claims. */
describe('MemoryDeliveryStore remembers at most `max` deliveries, the one received longest ago forgotten first', () => {
  async function complete(store: MemoryDeliveryStore, key: string) {
    expect(await store.claim(key, `t-${key}`)).toEqual({ status: 'claimed' });
    expect(await store.complete(key, `t-${key}`)).toBe(true);
  }

  it('forgets the oldest completed key once full', async () => {
    const store = new MemoryDeliveryStore({ max: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await complete(store, key);
    for (const key of ['b', 'c', 'd']) {
      expect((await store.claim(key, 'again')).status).toBe('duplicate');
    }
    // Last: a new claim takes a place of its own (it would forget "b").
    expect((await store.claim('a', 'again')).status).toBe('claimed');
  });

  it('counts a key completed again after its TTL as new, and never forgets it through its old slot', async () => {
    let now = 0;
    const store = new MemoryDeliveryStore({ max: 3, ttlMs: 1_000, now: () => now });
    await complete(store, 'a');
    now = 2_000; // "a" is forgotten by its TTL, and completed again
    await complete(store, 'a');
    await complete(store, 'b');
    // Full: completing "c" overwrites a's first slot, which must not forget a's second completion.
    await complete(store, 'c');
    expect((await store.claim('a', 'copy')).status).toBe('duplicate');
    // "d" overwrites a's second slot: now "a" is the oldest completion, and is forgotten.
    await complete(store, 'd');
    expect((await store.claim('b', 'copy')).status).toBe('duplicate');
    expect((await store.claim('a', 'copy')).status).toBe('claimed');
  });

  it('holds 100,000 by default', async () => {
    const store = new MemoryDeliveryStore();
    for (let n = 0; n <= 100_000; n++) {
      await store.claim(`k${n}`, 't');
      await store.complete(`k${n}`, 't');
    }
    expect((await store.claim('k1', 'again')).status).toBe('duplicate');
    expect((await store.claim('k100000', 'again')).status).toBe('duplicate');
    expect((await store.claim('k0', 'again')).status).toBe('claimed');
  });

  it('counts a claim toward max, and keeps it with its token when it completes later', async () => {
    const store = new MemoryDeliveryStore({ max: 2 });
    expect((await store.claim('a', 'ta')).status).toBe('claimed');
    await complete(store, 'b');
    // "a" completes after "b": its record is where its claim was, and the right token's.
    await expect(store.complete('a', 'other')).resolves.toBe(false);
    await expect(store.complete('a', 'ta')).resolves.toBe(true);
    await complete(store, 'c'); // full: "a", received first, is forgotten
    expect((await store.claim('a', 'again')).status).toBe('claimed');
    expect((await store.claim('c', 'again')).status).toBe('duplicate');
  });

  it('never forgets a claim whose lease still runs: the next oldest delivery goes instead', async () => {
    const now = 0;
    const store = new MemoryDeliveryStore({ max: 3, leaseMs: 1_000, now: () => now });
    expect((await store.claim('slow', 'handler')).status).toBe('claimed');
    await complete(store, 'b');
    await complete(store, 'c');
    await complete(store, 'd'); // full: "slow" is still at work, so "b" is forgotten
    expect((await store.claim('slow', 'copy')).status).toBe('in-flight');
    expect((await store.claim('b', 'again')).status).toBe('claimed');
    await expect(store.complete('slow', 'handler')).resolves.toBe(true);
    expect((await store.claim('slow', 'copy')).status).toBe('duplicate');
  });

  it('forgets a claim whose lease ended once the ring comes round to it', async () => {
    let now = 0;
    const store = new MemoryDeliveryStore({ max: 2, leaseMs: 1_000, now: () => now });
    expect((await store.claim('hung', 'handler')).status).toBe('claimed');
    await complete(store, 'b');
    now = 1_001; // the hung handler's lease ended
    await complete(store, 'c'); // full: "hung" is forgotten
    await expect(store.complete('hung', 'handler')).resolves.toBe(false);
    expect((await store.claim('hung', 'retry')).status).toBe('claimed');
  });

  it('forgets the oldest anyway when every remembered delivery is a live claim', async () => {
    const store = new MemoryDeliveryStore({ max: 2 });
    expect((await store.claim('a', 'ta')).status).toBe('claimed');
    expect((await store.claim('b', 'tb')).status).toBe('claimed');
    expect((await store.claim('c', 'tc')).status).toBe('claimed');
    expect((await store.claim('a', 'copy')).status).toBe('claimed');
    expect((await store.claim('c', 'copy')).status).toBe('in-flight');
  });
});
