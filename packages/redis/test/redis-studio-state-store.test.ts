import type { StudioState } from '@trax-webhooks/core';
import { RedisStudioStateStore } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteKeys,
  REDIS_URL,
  redisSkipReason,
  uniquePrefix,
} from '../../../test-support/redis-test-env.js';

const skip = await redisSkipReason();

const live: StudioState = {
  live: true,
  session: {
    studioId: 'st_1',
    encoderStreamId: 'es_1',
    liveStartedAt: '2026-11-27T12:00:00.000Z',
    mode: 'cloud',
    region: 'eu',
  },
  updatedAt: 1_795_000_000_000,
};

describe.skipIf(skip)(`RedisStudioStateStore${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let redis: Redis;
  const prefix = uniquePrefix('studio-state');
  const store = () => new RedisStudioStateStore(redis, { prefix });

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('answers undefined for a studio never seen, and round-trips a state exactly', async () => {
    const s = store();
    expect(await s.get('st_never')).toBeUndefined();
    await s.set('st_1', live);
    expect(await s.get('st_1')).toEqual(live);
    // Another process (another client) reads the same state: it survives restarts.
    const other = new Redis(REDIS_URL);
    try {
      expect(await new RedisStudioStateStore(other, { prefix }).get('st_1')).toEqual(live);
    } finally {
      other.disconnect();
    }
    await s.set('st_1', { live: false, updatedAt: 1 });
    expect(await s.get('st_1')).toEqual({ live: false, updatedAt: 1 });
  });

  it('keeps one studio’s keys in one Cluster slot under the prefix', async () => {
    await store().set('st_slot', live);
    await store().acquireLease('st_slot', 'a', 10_000);
    const keys = (await redis.keys(`${prefix}*st_slot*`)).sort();
    expect(keys).toEqual([`${prefix}{st_slot}:lease`, `${prefix}{st_slot}:state`]);
  });

  it('refuses to guess from a state it cannot read', async () => {
    await redis.set(`${prefix}{st_bad}:state`, 'not json');
    await expect(store().get('st_bad')).rejects.toThrow(/st_bad is not a studio state/);
  });

  it('gives a lease to one owner at a time, until it expires', async () => {
    const s = store();
    expect(await s.acquireLease('st_l', 'a', 200)).toBe(true);
    expect(await s.acquireLease('st_l', 'b', 200)).toBe(false);
    // Repeating the owner's own call is safe and does not extend the lease.
    expect(await s.acquireLease('st_l', 'a', 60_000)).toBe(true);
    expect(await redis.pttl(`${prefix}{st_l}:lease`)).toBeLessThanOrEqual(200);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await s.acquireLease('st_l', 'b', 200)).toBe(true);
  });

  it('of concurrent acquirers, exactly one wins', async () => {
    const s = store();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => s.acquireLease('st_race', `owner-${i}`, 5_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('releases only the owner’s own lease', async () => {
    const s = store();
    await s.acquireLease('st_r', 'a', 10_000);
    expect(await s.releaseLease('st_r', 'b')).toBe(false);
    expect(await s.acquireLease('st_r', 'b', 10_000)).toBe(false);
    expect(await s.releaseLease('st_r', 'a')).toBe(true);
    expect(await s.releaseLease('st_r', 'a')).toBe(false);
    expect(await s.acquireLease('st_r', 'b', 10_000)).toBe(true);
  });

  it('rejects bad options with a TypeError naming them', () => {
    expect(() => new RedisStudioStateStore(redis, { prefix: 'a{b}' })).toThrow(/prefix option/);
    expect(() => new RedisStudioStateStore(redis, { commandTimeoutMs: 0 })).toThrow(
      /commandTimeoutMs option/,
    );
    expect(() => new RedisStudioStateStore({} as Redis)).toThrow(/ioredis client/);
  });

  it('a command against an unreachable Redis fails within commandTimeoutMs instead of hanging', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      retryStrategy: () => 50,
      maxRetriesPerRequest: null,
    });
    dead.on('error', () => {});
    try {
      const s = new RedisStudioStateStore(dead, { prefix, commandTimeoutMs: 150 });
      const started = Date.now();
      await expect(s.get('st_1')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      dead.disconnect();
    }
  });
});
