import { LRUCache } from 'lru-cache';
import type { ClaimResult, DeliveryStore } from './delivery-store.js';

/** Options of {@link MemoryDeliveryStore}. */
export interface MemoryDeliveryStoreOptions {
  /**
   * How many deliveries to remember. When full, the least recently used is forgotten, and a
   * retry of it would run again.
   * @default 100_000
   */
  max?: number;
  /**
   * How long a completed delivery is remembered, in milliseconds. Senders retry for a day or
   * two (Standard Webhooks' schedule spans about 28 hours), so the default outlasts that.
   * @default 259_200_000 (3 days)
   */
  ttlMs?: number;
  /**
   * How long a claim holds a delivery before another copy may take it over, in milliseconds.
   * Keep it above your slowest handler.
   * @default 30_000
   */
  leaseMs?: number;
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number;
}

interface Entry {
  state: 'pending' | 'done';
  token: string;
}

/**
 * The default {@link DeliveryStore}: an LRU in this process's memory. Right for one process;
 * for several, use `RedisDeliveryStore` from `@trax-webhooks/redis`.
 *
 * @example
 * ```ts
 * createTraxWebhooks({ secret, store: new MemoryDeliveryStore({ max: 10_000 }) });
 * ```
 */
export class MemoryDeliveryStore implements DeliveryStore {
  readonly #cache: LRUCache<string, Entry>;
  readonly #ttlMs: number;
  readonly #leaseMs: number;

  constructor(options: MemoryDeliveryStoreOptions = {}) {
    const {
      max = 100_000,
      ttlMs = 3 * 24 * 60 * 60 * 1000,
      leaseMs = 30_000,
      now = Date.now,
    } = options;
    if (!Number.isSafeInteger(max) || max < 1)
      throw new TypeError('max option must be a positive integer');
    if (!Number.isFinite(ttlMs) || ttlMs <= 0)
      throw new TypeError('ttlMs option must be a positive number of milliseconds');
    if (!Number.isFinite(leaseMs) || leaseMs <= 0)
      throw new TypeError('leaseMs option must be a positive number of milliseconds');
    if (typeof now !== 'function')
      throw new TypeError('now option must be a function returning milliseconds');
    this.#ttlMs = ttlMs;
    this.#leaseMs = leaseMs;
    // ttlResolution 0: read the clock on every check, so leases end exactly (and fake timers work).
    this.#cache = new LRUCache<string, Entry>({ max, ttl: ttlMs, ttlResolution: 0, perf: { now } });
  }

  async claim(key: string, token: string): Promise<ClaimResult> {
    const entry = this.#cache.get(key);
    if (entry?.state === 'done') return { status: 'duplicate' };
    if (entry?.state === 'pending' && entry.token !== token) {
      return {
        status: 'in-flight',
        retryAfterMs: Math.max(1, Math.ceil(this.#cache.getRemainingTTL(key))),
      };
    }
    this.#cache.set(key, { state: 'pending', token }, { ttl: this.#leaseMs });
    return { status: 'claimed' };
  }

  async complete(key: string, token: string): Promise<boolean> {
    const entry = this.#cache.get(key);
    if (entry?.token !== token) return false;
    if (entry.state === 'pending')
      this.#cache.set(key, { state: 'done', token }, { ttl: this.#ttlMs });
    return true;
  }

  async release(key: string, token: string): Promise<boolean> {
    const entry = this.#cache.get(key);
    if (entry?.state !== 'pending' || entry.token !== token) return false;
    this.#cache.delete(key);
    return true;
  }
}
