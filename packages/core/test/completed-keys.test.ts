import { MemoryDeliveryStore } from '@trax-webhooks/core';
import { describe, expect, it } from 'vitest';

/** The memory store's bound on remembered deliveries, seen through its public claims. */
describe('MemoryDeliveryStore remembers at most `max` deliveries, the oldest completion forgotten first', () => {
  async function complete(store: MemoryDeliveryStore, key: string) {
    expect(await store.claim(key, `t-${key}`)).toEqual({ status: 'claimed' });
    expect(await store.complete(key, `t-${key}`)).toBe(true);
  }

  it('forgets the oldest completed key once full', async () => {
    const store = new MemoryDeliveryStore({ max: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await complete(store, key);
    expect((await store.claim('a', 'again')).status).toBe('claimed');
    for (const key of ['b', 'c', 'd']) {
      expect((await store.claim(key, 'again')).status).toBe('duplicate');
    }
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
    expect((await store.claim('a', 'copy')).status).toBe('claimed');
    expect((await store.claim('b', 'copy')).status).toBe('duplicate');
  });

  it('holds 100,000 by default', async () => {
    const store = new MemoryDeliveryStore();
    for (let n = 0; n <= 100_000; n++) {
      await store.claim(`k${n}`, 't');
      await store.complete(`k${n}`, 't');
    }
    expect((await store.claim('k0', 'again')).status).toBe('claimed');
    expect((await store.claim('k1', 'again')).status).toBe('duplicate');
    expect((await store.claim('k100000', 'again')).status).toBe('duplicate');
  });
});
