import { CompletedKeys } from './completed-keys.js';
import type { ClaimResult, DeliveryStore } from './delivery-store.js';
import { registerInlineStore } from './inline-store.js';
import { LiveClaims } from './live-claims.js';

/** Options of {@link MemoryDeliveryStore}. */
export interface MemoryDeliveryStoreOptions {
  /**
   * How many deliveries to remember. When full, the one completed longest ago is forgotten, and
   * a retry of it would run again.
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
 * The default {@link DeliveryStore}: an LRU in this process's memory. Right for one process;
 * for several, use `RedisDeliveryStore` from `@trax-webhooks/redis`.
 *
 * @example
 * ```ts
 * createTraxWebhooks({ secret, store: new MemoryDeliveryStore({ max: 10_000 }) });
 * ```
 */
export class MemoryDeliveryStore implements DeliveryStore {
  /**
   * Completed deliveries: key → when it was completed. Only a number per entry: the store may
   * hold 100,000 of them, and every object or string kept per delivery costs the garbage
   * collector on every request (keeping the claim token too measured 3–7 µs per delivery).
   */
  readonly #done: CompletedKeys;
  /**
   * Live claims. A claim lives for one handler run, so a Map is enough (one that never empties:
   * live-claims.ts says why); it is kept
   * apart from the LRU so the hot path costs one LRU write per delivery, not two.
   */
  readonly #claims = new LiveClaims<Claim>();
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
    // The TTL is checked against completedAt when a key is read, not by a timer per entry:
    // one timestamp per entry, measurably cheaper on the hot path.
    this.#done = new CompletedKeys(max);
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

  /** Whether `key` was completed within the TTL. */
  #isDone(key: string, now: number): boolean {
    const completedAt = this.#done.get(key);
    if (completedAt === undefined) return false;
    if (now - completedAt < this.#ttlMs) return true;
    this.#done.delete(key);
    return false;
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
    if (this.#isDone(key, now)) return DUPLICATE;
    const held = this.#claims.get(key);
    if (held !== undefined && held.token !== token && held.leaseEndsAt > now) {
      const retryAfterMs = Math.max(1, Math.ceil(held.leaseEndsAt - now));
      return { status: 'in-flight', retryAfterMs };
    }
    if (held === undefined && this.#claims.size >= this.#max) this.#dropEndedLeases(now);
    this.#claims.set(key, { token, leaseEndsAt: now + this.#leaseMs });
    return CLAIMED;
  }

  #complete(key: string, token: string): boolean {
    const now = this.#now();
    const held = this.#claims.get(key);
    // Still this token's claim, even past its lease (a slow handler), as long as no one took
    // it over: record it, or the sender's retry would run a handler that already succeeded.
    if (held !== undefined && held.token === token) {
      this.#claims.delete(key);
      this.#done.set(key, now);
      return true;
    }
    // A repeat (or a late completion by a claimer whose lease was taken over and completed):
    // the delivery is done either way, which is what the answer says.
    return this.#isDone(key, now);
  }

  #release(key: string, token: string): boolean {
    const held = this.#claims.get(key);
    if (held === undefined || held.token !== token) return false;
    this.#claims.delete(key);
    return held.leaseEndsAt > this.#now();
  }

  /** Bounds the claims map when handlers hang: claims whose lease ended are dead weight. */
  #dropEndedLeases(now: number): void {
    this.#claims.deleteWhere((claim) => claim.leaseEndsAt <= now);
  }
}
