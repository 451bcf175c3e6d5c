import { DeliveryRing } from './delivery-ring.js';
import type { ClaimResult, DeliveryStore } from './delivery-store.js';
import { registerInlineStore } from './inline-store.js';

/** Options of {@link MemoryDeliveryStore}. */
export interface MemoryDeliveryStoreOptions {
  /**
   * How many deliveries to remember, claimed or completed. When full, the one received longest
   * ago is forgotten (never a claim whose lease still runs), and a retry of it would run again.
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

// The answers that never vary, made once, and as settled promises for the public methods: a
// store that lives in memory answers at once, and allocates no promise of its own for them.
const CLAIMED: ClaimResult = Object.freeze({ status: 'claimed' });
const DUPLICATE: ClaimResult = Object.freeze({ status: 'duplicate' });
const CLAIMED_PROMISE = Promise.resolve(CLAIMED);
const DUPLICATE_PROMISE = Promise.resolve(DUPLICATE);
const TRUE = Promise.resolve(true);
const FALSE = Promise.resolve(false);

function claimPromise(result: ClaimResult): Promise<ClaimResult> {
  if (result === CLAIMED) return CLAIMED_PROMISE;
  if (result === DUPLICATE) return DUPLICATE_PROMISE;
  return Promise.resolve(result);
}

/**
 * The default {@link DeliveryStore}: the last `max` deliveries, in this process's memory. Right for one process;
 * for several, use `RedisDeliveryStore` from `@trax-webhooks/redis`.
 *
 * @example
 * ```ts
 * createTraxWebhooks({ secret, store: new MemoryDeliveryStore({ max: 10_000 }) });
 * ```
 */
export class MemoryDeliveryStore implements DeliveryStore {
  /**
   * Every delivery remembered, claimed or completed: one entry per delivery, written when it
   * is claimed and updated in place when it completes (delivery-ring.ts says why).
   */
  readonly #deliveries: DeliveryRing;
  readonly #leaseMs: number;
  readonly #ttlMs: number;
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
    this.#now = now;
    // The TTL is checked against the completion time when a key is read, not by a timer per
    // entry: one timestamp per entry, measurably cheaper on the hot path.
    this.#deliveries = new DeliveryRing(max);
    // The receiver calls these directly (no promises) as long as claim/complete/release are
    // this class's own: a subclass that overrides one is called through its methods.
    registerInlineStore(
      this,
      {
        claim: (key, token) => this.#claim(key, token),
        complete: (key, token) => this.#complete(key, token),
        release: (key, token) => this.#release(key, token),
      },
      MemoryDeliveryStore.prototype,
    );
  }

  /** How long a completed delivery is remembered, in milliseconds. */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  claim(key: string, token: string): Promise<ClaimResult> {
    // A throw (a `now` option that throws) becomes a rejection, as from an `async` method.
    try {
      return claimPromise(this.#claim(key, token));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  complete(key: string, token: string): Promise<boolean> {
    try {
      return this.#complete(key, token) ? TRUE : FALSE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  release(key: string, token: string): Promise<boolean> {
    try {
      return this.#release(key, token) ? TRUE : FALSE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #claim(key: string, token: string): ClaimResult {
    const now = this.#now();
    const deliveries = this.#deliveries;
    const leaseEndsAt = now + this.#leaseMs;
    const slot = deliveries.find(key);
    if (slot >= 0) {
      const held = deliveries.tokenAt(slot);
      const time = deliveries.timeAt(slot);
      if (held !== undefined) {
        if (held !== token && time > now) {
          return { status: 'in-flight', retryAfterMs: Math.max(1, Math.ceil(time - now)) };
        }
        // The holder repeating its claim, or a takeover of a lease that ended.
        deliveries.renew(slot, token, leaseEndsAt);
        return CLAIMED;
      }
      if (now - time < this.#ttlMs) return DUPLICATE;
      // Completed longer ago than the TTL: a new delivery, in a slot of its own (below).
    }
    deliveries.claim(key, token, leaseEndsAt, now);
    return CLAIMED;
  }

  #complete(key: string, token: string): boolean {
    const now = this.#now();
    const deliveries = this.#deliveries;
    const slot = deliveries.find(key);
    if (slot < 0) return false;
    const held = deliveries.tokenAt(slot);
    // Still this token's claim, even past its lease (a slow handler), as long as no one took
    // it over: record it, or the sender's retry would run a handler that already succeeded.
    if (held === token) {
      deliveries.complete(slot, now);
      return true;
    }
    // Another token holds it (this one's lease was taken over): not this token's to complete.
    if (held !== undefined) return false;
    // A repeat, or a late completion by a claimer whose lease was taken over and completed:
    // the delivery is done either way, which is what the answer says.
    if (now - deliveries.timeAt(slot) < this.#ttlMs) return true;
    deliveries.forget(key, slot);
    return false;
  }

  #release(key: string, token: string): boolean {
    const deliveries = this.#deliveries;
    const slot = deliveries.find(key);
    if (slot < 0 || deliveries.tokenAt(slot) !== token) return false;
    const leaseEndsAt = deliveries.timeAt(slot);
    deliveries.forget(key, slot);
    return leaseEndsAt > this.#now();
  }
}
