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

interface Claim {
  token: string;
  /** When the lease ends, on the store's clock. */
  leaseEndsAt: number;
}

interface Completion {
  token: string;
  completedAt: number;
}

const CLAIMED: ClaimResult = Object.freeze({ status: 'claimed' });
const DUPLICATE: ClaimResult = Object.freeze({ status: 'duplicate' });

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
  /** Completed deliveries: key → when it was completed and by which token. */
  readonly #done: LRUCache<string, Completion>;
  /**
   * Live claims. A claim lives for one handler run, so a plain Map is enough; it is kept
   * apart from the LRU so the hot path costs one LRU write per delivery, not two.
   */
  readonly #claims = new Map<string, Claim>();
  readonly #leaseMs: number;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

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
    this.#leaseMs = leaseMs;
    this.#ttlMs = ttlMs;
    this.#max = max;
    this.#now = now;
    // The TTL is checked here, against completedAt, rather than by lru-cache's per-entry TTL
    // bookkeeping: one timestamp per entry, measurably cheaper on the hot path.
    this.#done = new LRUCache<string, Completion>({ max });
  }

  /** The completion of `key`, if it is still within the TTL. */
  #completion(key: string, now: number): Completion | undefined {
    const done = this.#done.get(key);
    if (done === undefined) return undefined;
    if (now - done.completedAt < this.#ttlMs) return done;
    this.#done.delete(key);
    return undefined;
  }

  async claim(key: string, token: string): Promise<ClaimResult> {
    const now = this.#now();
    if (this.#completion(key, now) !== undefined) return DUPLICATE;
    const held = this.#claims.get(key);
    if (held !== undefined && held.token !== token && held.leaseEndsAt > now) {
      return { status: 'in-flight', retryAfterMs: Math.max(1, Math.ceil(held.leaseEndsAt - now)) };
    }
    if (held === undefined && this.#claims.size >= this.#max) this.#dropEndedLeases(now);
    this.#claims.set(key, { token, leaseEndsAt: now + this.#leaseMs });
    return CLAIMED;
  }

  async complete(key: string, token: string): Promise<boolean> {
    const now = this.#now();
    const held = this.#claims.get(key);
    // Still this token's claim, even past its lease (a slow handler), as long as no one took
    // it over: record it, or the sender's retry would run a handler that already succeeded.
    if (held !== undefined && held.token === token) {
      this.#claims.delete(key);
      this.#done.set(key, { token, completedAt: now });
      return true;
    }
    // Completing twice with the same token is a repeat, not a takeover.
    return this.#completion(key, now)?.token === token;
  }

  async release(key: string, token: string): Promise<boolean> {
    const held = this.#claims.get(key);
    if (held === undefined || held.token !== token) return false;
    this.#claims.delete(key);
    return held.leaseEndsAt > this.#now();
  }

  /** Bounds the claims map when handlers hang: claims whose lease ended are dead weight. */
  #dropEndedLeases(now: number): void {
    for (const [key, claim] of this.#claims) {
      if (claim.leaseEndsAt <= now) this.#claims.delete(key);
    }
  }
}
